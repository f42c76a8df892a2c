// Lint: a few type-aware rules that catch real bugs, nothing about style (tsc checks types;
// formatting is left to reviewers). `npm run lint`; `npm test` runs it after tsc.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'reports/**', '.stryker-tmp/**', 'test-artifacts/**', '.data/**'] },
  {
    files: ['src/**/*.ts', 'dialogs/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // a promise nobody awaits loses its error (an unhandled rejection) and its ordering
      '@typescript-eslint/no-floating-promises': 'error',
      // an async function where a callback's result is ignored (event handlers, forEach) fails silently
      '@typescript-eslint/no-misused-promises': 'error',
      // awaiting something that is not a promise is usually a forgotten call or a wrong type
      '@typescript-eslint/await-thenable': 'error',
      // dead code and half-finished edits; `_name` marks a parameter kept for its position
      '@typescript-eslint/no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
);
