// Builds dist/, what bin/asg-watchdog.js runs: one minified ES module per command, the dependencies
// bundled in (the SDK's ESM builds), so that `--version` and `--help` load no AWS SDK, zod or
// nodemailer, and an installed package needs no build step.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { noPackageSearch, packages, sdkSchemaKeys } from './esbuild-plugins.mjs';
import { versionDefine } from './version-define.mjs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  // CommonJS dependencies (nodemailer, write-file-atomic, colors) use require(), __filename and __dirname; an ES module has none.
  banner: {
    js: [
      "import { createRequire as __asgwRequire } from 'node:module';",
      "import { fileURLToPath as __asgwPath } from 'node:url';",
      "import { dirname as __asgwDirname } from 'node:path';",
      'const require = __asgwRequire(import.meta.url);',
      'const __filename = __asgwPath(import.meta.url);',
      'const __dirname = __asgwDirname(__filename);',
    ].join(' '),
  },
  define: versionDefine(),
  plugins: [sdkSchemaKeys, noPackageSearch, packages],
  logLevel: 'warning',
});
