// Builds dist/cli.js, the file bin/asg-watchdog.js runs. Dependencies stay external for now.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
mkdirSync(new URL('../src/cli/', import.meta.url), { recursive: true });
writeFileSync(new URL('../src/cli/version.ts', import.meta.url), `// Written by scripts/build.mjs from package.json.\nexport const VERSION = '${version}';\n`);

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
