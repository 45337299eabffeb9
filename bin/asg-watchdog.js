#!/usr/bin/env node
// The installed command. dist/cli.js is built by `npm ci` (prepare) or `npm run build`.
// Node 20 is supported; the AWS SDK's advice to upgrade would otherwise land in every cron mail.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Every command but local-aws (a test endpoint) is short-lived, and most of what a tick allocates
// is garbage at once: over 10,000 instances it parses ~18 MB of XML into objects and keeps ~25 MB of
// them. V8 tunes its heap for long-lived servers: it doubles the nursery after each busy scavenge
// (up to 48 MB held to the end) and grows the old space up to fourfold between collections. Kept at
// its first size and grown by half, the 10,000-instance dry run peaks at ~110 MB instead of ~185 MB
// for ~0.1 s more CPU (docs/performance.md). Both flags are read when the heap next grows, so
// setting them here works. `--version` and `--help` allocate nothing worth it, and skip node:v8.
if (/^[a-z]/.test(process.argv[2] ?? '')) {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=50');
}
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  process.stderr.write('asg-watchdog: dist/cli.js is missing; run `npm run build` (npm ci does it) first.\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
