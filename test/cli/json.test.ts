// Every command's --json against its versioned schema (src/cli/json/schemas.ts, docs/json.md):
// real output, strict both ways; and docs/json/*.schema.json as the schemas make them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { JSON_SCHEMAS, jsonSchemaOf } from '../../src/cli/json/schemas.js';
import { shipped, startLocal, type Local } from '../e2e/local.js';
import { cli } from './run.js';
import { scratchDir } from '../scratch.js';

let local: Local | null = null;
afterEach(async () => {
  await local?.close();
  local = null;
});

const scenario = (name: string) => new URL(`../../scenarios/${name}.json`, import.meta.url).pathname;

/** Parses one line of --json against a schema: the problems, or none. */
function problems(schema: z.ZodType, stdout: string): string[] {
  const result = schema.safeParse(JSON.parse(stdout));
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('docs/json/*.schema.json are what the schemas make (npm run json-schemas)', () => {
  it.each(Object.keys(JSON_SCHEMAS) as Array<keyof typeof JSON_SCHEMAS>)('%s', (name) => {
    const file = JSON.parse(readFileSync(new URL(`../../docs/json/${name}.schema.json`, import.meta.url), 'utf8'));
    expect(file).toEqual(jsonSchemaOf(name));
  });
});

describe('real output matches its schema', () => {
  it('watch --json: a dry run that would act', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await local.watch(['--dry-run', '--json']);
    expect(problems(JSON_SCHEMAS.watch, r.stdout)).toEqual([]);
  });

  it('watch --json: a runaway held after its +1, a launch pending, a kill budget blocked', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    await local.watch();
    local.server.world.advance(1);
    const r = await local.watch(['--json']);
    const out = JSON.parse(r.stdout);
    expect(problems(JSON_SCHEMAS.watch, r.stdout)).toEqual([]);
    expect(out.held).toEqual([{ rule: 'runaway', instance: 'i-00000000100000000', heldMinutes: 1, ofMinutes: 5, then: 'terminate', inMinutes: 4 }]);
    expect(out.instances.find((i: { lifecycle: string }) => i.lifecycle !== 'InService')).toMatchObject({ lifecycle: 'Pending', lb: null, load: null });
  });

  it('instances --json, and with a change', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const plain = await local.cli(['instances', '-g', 'web', '--json']);
    const changed = await local.cli(['instances', '-g', 'web', '-i', '3', '--json']);
    expect([problems(JSON_SCHEMAS.instances, plain.stdout), problems(JSON_SCHEMAS.instances, changed.stdout)]).toEqual([[], []]);
    // One JSON object, nothing before it.
    expect(changed.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(changed.stdout).change).toEqual({ text: 'set desired 2 → 3', done: true });
  });

  it('simulate --json and --frontier --json', async () => {
    const comparison = await cli(['simulate', '--scenario', scenario('runaway-cpu'), '--json']);
    const frontier = await cli(['simulate', '--scenario', scenario('runaway-cpu'), '--frontier', '--json']);
    expect([problems(JSON_SCHEMAS.simulate, comparison.stdout), problems(JSON_SCHEMAS.frontier, frontier.stdout)]).toEqual([[], []]);
  });

  it('config check --json', async () => {
    const file = join(scratchDir('asgw-json-'), 'c.json');
    writeFileSync(file, JSON.stringify({ low: 60, mail: { to: ['ops@example.com'], smtpUrl: 'smtp://a:b@h:25' } }));
    const r = await cli(['config', 'check', file, '--json']);
    expect(problems(JSON_SCHEMAS.config, r.stdout)).toEqual([]);
  });
});
