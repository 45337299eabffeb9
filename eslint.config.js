// Lint rules, and the import rules of shared/spec/architecture.md enforced per folder.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const io = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'zod', 'yargs', '@aws-sdk/*', 'nodemailer'];
const cli = ['**/cli/*'];

/** One no-restricted-imports rule per folder (a later config object would replace, not add to, an earlier one). */
const restrict = (files, patterns, message, typesOnly = []) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: [...patterns, ...cli], message },
          ...(typesOnly.length > 0 ? [{ group: typesOnly, message: 'edge modules import engine types only', allowTypeImports: true }] : []),
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/', '.bench/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  restrict(['src/**/*.ts'], [], 'nothing imports cli'),
  restrict(['src/engine/*.ts'], ['../*', ...io], 'the engine is pure: it imports nothing of ours and does no I/O'),
  restrict(['src/engine/*/**/*.ts'], ['../../*', ...io], 'the engine is pure: it imports nothing of ours and does no I/O'),
  restrict(['src/aws/**', 'src/state/**', 'src/alert/**'], ['**/sim/*', '**/local-aws/*', '**/tick*'], 'edge modules do not reach into the simulator, the tick or the CLI', ['**/engine/*']),
  restrict(['src/sim/**'], ['**/aws/*', '**/state/*', '**/alert/*', '**/local-aws/*', '**/tick*'], 'sim imports the engine, never aws'),
  restrict(['src/local-aws/**'], ['**/aws/*', '**/state/*', '**/alert/*', '**/tick*', '**/engine/*'], 'local-aws imports sim only'),
  { files: ['src/cli/**'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
);
