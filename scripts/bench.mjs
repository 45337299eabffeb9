// `npm run bench`: bundles bench/run.ts (the source it measures, dependencies left in node_modules)
// into .bench/ and runs it with the arguments given (--json). `--entry NAME` runs bench/NAME.ts instead.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { versionDefine } from './version-define.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--entry');
const entry = at < 0 ? 'run' : args.splice(at, 2)[1];
await build({ entryPoints: [`bench/${entry}.ts`], outfile: `.bench/${entry}.js`, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', define: versionDefine(), logLevel: 'warning' });
// Node 20 is supported: the SDK's advice to upgrade is noise in a table.
const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const run = spawnSync(process.execPath, [`.bench/${entry}.js`, ...args], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
