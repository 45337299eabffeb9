// The package's version as a compile-time constant, for esbuild (scripts/build.mjs, scripts/bench.mjs)
// and vitest alike: src/cli/version.ts reads it, so nothing is generated into src/.
import { readFileSync } from 'node:fs';

export function versionDefine() {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return { __ASG_WATCHDOG_VERSION__: JSON.stringify(version) };
}
