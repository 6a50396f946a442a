// Lint: the architecture's boundaries and an app's layers (see tools/eslint/boundaries.mjs) plus a few correctness rules.
import tseslint from 'typescript-eslint';
import polystore from './tools/eslint/boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'generated/**', 'node_modules/**', 'tools/prisma-offline/**', '.data/**', 'coverage/**', 'test/support/gateway-api.d.ts'] },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    plugins: { polystore, '@typescript-eslint': tseslint.plugin },
    rules: {
      'polystore/boundaries': 'error',
      'polystore/layers': 'error',
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-unreachable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
