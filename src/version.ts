// The package's version, from package.json, defined at build time (scripts/version-define.mjs, used by
// the esbuild bundle and by vitest).
declare const __ASG_WATCHDOG_VERSION__: string;

export const VERSION: string = __ASG_WATCHDOG_VERSION__;
