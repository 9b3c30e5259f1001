import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Type-aware rules where a mistake loses work silently: a promise nobody awaits or handles.
  {
    files: ['**/*.ts'],
    // Loaded by esbuild-register, outside the TypeScript project (it imports './jest.config').
    ignores: ['jest.faults.config.ts', 'jest.unit.config.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
    },
  },
  // Plain Node scripts (run without a build step).
  { files: ['scripts/**/*.js'], languageOptions: { globals: globals.node } },
  // The admin dashboard is plain browser JavaScript, served as is (no build step).
  { files: ['packages/admin/public/**/*.js'], languageOptions: { globals: globals.browser } },
  {
    files: ['packages/api/docs-page/*.js'],
    languageOptions: { globals: { ...globals.browser, SwaggerUIBundle: 'readonly' } },
  },
);
