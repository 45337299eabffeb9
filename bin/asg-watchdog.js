#!/usr/bin/env node
// The installed command. dist/cli.js is built by `npm ci` (prepare) or `npm run build`.
// Node 20 is supported; the AWS SDK's advice to upgrade would otherwise land in every cron mail.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write('asg-watchdog: dist/cli.js is missing; run `npm run build` (npm ci does it) first.\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
