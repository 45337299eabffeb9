import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { versionDefine } from './scripts/version-define.mjs';

// `npm run soak`: the long proofs of docs/reliability.md (the SIGKILL campaign, a simulated month
// with faults), too slow for `npm test`; .ci/run runs them after it.
export default defineConfig({
  define: versionDefine(),
  test: {
    include: ['test/soak/**/*.soak.ts'],
    // Removes the scratch directories each test file made (test/scratch.ts).
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
