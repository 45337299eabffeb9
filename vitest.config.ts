import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module of the build scripts, without types.
import { versionDefine } from './scripts/version-define.mjs';

export default defineConfig({
  define: versionDefine(),
  test: {
    include: ['test/**/*.test.ts'],
    // Removes the scratch directories each test file made (test/scratch.ts).
    setupFiles: ['test/setup.ts'],
    // Subprocess tests of the real CLI need dist/; `npm test` builds it first.
    testTimeout: 20_000,
    // As bin/asg-watchdog.js does: Node 20 is supported, the SDK's upgrade notice is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
