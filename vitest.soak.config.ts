import { defineConfig } from 'vitest/config';

// `npm run soak`: the long proofs of docs/reliability.md (the SIGKILL campaign, a simulated month
// with faults), too slow for `npm test`; .ci/run runs them after it.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.ts'],
    testTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
