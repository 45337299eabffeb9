// The bundle's changes to its dependencies (scripts/esbuild-plugins.mjs) keep their behaviour: the
// same answers from the bundled code as from the package itself.
import { build, type Plugin } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { packages, sdkSchemaKeys } from '../../scripts/esbuild-plugins.mjs';
import { scratchDir } from '../scratch.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const out = scratchDir('asgw-plugins-');

/** Bundles `source` (resolved from the repository) as the build does, and imports it. */
async function bundled(name: string, source: string, plugins: Plugin[]): Promise<{ module: Record<string, unknown>; bytes: number }> {
  const result = await build({ stdin: { contents: source, resolveDir: ROOT, loader: 'js' }, bundle: true, platform: 'node', format: 'esm', mainFields: ['module', 'main'], minify: true, write: false, plugins, logLevel: 'silent' });
  const file = join(out, `${name}.mjs`);
  const text = result.outputFiles[0]!.text;
  writeFileSync(file, `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${text}`);
  return { module: (await import(pathToFileURL(file).href)) as Record<string, unknown>, bytes: text.length };
}

/** A schema as plain data: thunks called, cycles cut. */
function plain(value: unknown, seen = new Set<unknown>()): unknown {
  if (typeof value === 'function') return seen.has(value) ? '<cycle>' : (seen.add(value), plain((value as () => unknown)(), seen));
  if (Array.isArray(value)) return seen.has(value) ? '<cycle>' : (seen.add(value), value.map((v) => plain(v, seen)));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, seen)]));
  return value;
}

describe('the bundle changes how it loads dependencies, not what they answer', () => {
  it('string-width: printable ASCII answered in place, everything else by string-width, lazily loaded', async () => {
    const texts = ['', 'abc', '--budget-seconds  [number] [default: 45]', 'héllo', '日本語', '👍🏽', '\u001b[31mred\u001b[0m', 'tab\there', 'a\u0301'];
    const source = `import width from 'string-width'; export const widths = ${JSON.stringify(texts)}.map((t) => width(t));`;
    const plainBuild = await bundled('width-plain', source, []);
    const ours = await bundled('width-ours', source, [packages]);
    expect(ours.module['widths']).toEqual(plainBuild.module['widths']);
    expect(ours.module['widths']).toEqual([0, 3, 40, 5, 6, 2, 3, 7, 1]);
  });

  it("the SDK's schemas: DescribeInstances described exactly as before, from a twentieth of the code", async () => {
    const source = `export { DescribeInstances$ } from '@aws-sdk/client-ec2/dist-es/schemas/schemas_0.js';`;
    const plainBuild = await bundled('ec2-plain', source, []);
    const ours = await bundled('ec2-ours', source, [sdkSchemaKeys]);
    expect(plain(ours.module['DescribeInstances$'])).toEqual(plain(plainBuild.module['DescribeInstances$']));
    expect(ours.bytes).toBeLessThan(plainBuild.bytes / 10);
  });
});
