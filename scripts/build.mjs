// Builds dist/, what bin/asg-watchdog.js runs: one minified ES module per command, the dependencies
// bundled in (the SDK's ESM builds), so that `--version` and `--help` load no AWS SDK, zod or
// nodemailer, and an installed package needs no build step.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { noPackageSearch, packages, sdkSchemaKeys } from './esbuild-plugins.mjs';
import { versionDefine } from './version-define.mjs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
// CommonJS dependencies (nodemailer, write-file-atomic, colors) use require(), __filename and __dirname; an ES module has none.
const banner = {
  js: [
    "import { createRequire as __asgwRequire } from 'node:module';",
    "import { fileURLToPath as __asgwPath } from 'node:url';",
    "import { dirname as __asgwDirname } from 'node:path';",
    'const require = __asgwRequire(import.meta.url);',
    'const __filename = __asgwPath(import.meta.url);',
    'const __dirname = __asgwDirname(__filename);',
  ].join(' '),
};
/** What both bundles share: an ES module for Node 20, minified, the SDK's schema keys kept short. */
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  banner,
  define: versionDefine(),
  plugins: [sdkSchemaKeys, noPackageSearch, packages],
  logLevel: 'warning',
};
await build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', chunkNames: 'chunks/[name]-[hash]', splitting: true });

// The Lambda function (src/lambda.ts): one file, every dependency in it (docs/deploy/template.yaml's CodeUri).
await build({ ...common, entryPoints: { index: 'src/lambda.ts' }, outdir: 'dist/lambda', outExtension: { '.js': '.mjs' }, splitting: false });
