import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'data/**',
      'node_modules/**',
      'web/dist/**',
      'artifacts/**',
      'src/client/openapi.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js', '**/*.cjs'], languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Every CSV the server writes goes through src/http/csv-export.ts, which neutralises formulas.
    files: ['src/**/*.ts'],
    ignores: ['src/http/csv-export.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'csv-stringify', message: 'Write CSV with csvExport (src/http/csv-export.ts).' }] },
      ],
    },
  },
);
