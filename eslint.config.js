// ESLint (flat config). `npm test` runs it with --max-warnings 0.
// The import zones encode the layout of docs/architecture.md: app → features → shared → contracts,
// no feature imports another, and the BFF (src/server) and the SPA never import each other.
import fs from 'node:fs';
import js from '@eslint/js';
import tanstackQuery from '@tanstack/eslint-plugin-query';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const features = fs
  .readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const zones = [
  // Each feature imports shared/, contracts/ and itself, never another feature.
  ...features.map((f) => ({
    target: `./src/features/${f}`,
    from: './src/features',
    except: [`./${f}`],
    message: 'A feature never imports another feature: move the piece to shared/ or contracts/, or compose in app/.',
  })),
  { target: './src/features', from: './src/app', message: 'Features never import app/ (app composes features).' },
  // shared/testing may build the app's provider stack (theme, query client) for component tests.
  {
    target: ['./src/shared/lib', './src/shared/ui'],
    from: ['./src/app', './src/features', './src/server'],
    message: 'shared/ imports contracts/ only.',
  },
  {
    target: './src/shared/testing',
    from: ['./src/features', './src/server'],
    message: 'shared/testing imports app/ providers, shared/ and contracts/ only.',
  },
  {
    target: './src/contracts',
    from: ['./src/app', './src/features', './src/shared', './src/server'],
    message: 'contracts/ imports zod only.',
  },
  {
    target: './src/server',
    from: ['./src/app', './src/features', './src/shared'],
    message: 'The BFF imports src/contracts and nothing else of the SPA.',
  },
  { target: ['./src/app', './src/features', './src/shared'], from: './src/server', message: 'The SPA never imports the BFF.' },
  {
    target: ['./src/app', './src/features', './src/shared', './src/contracts', './src/server'],
    from: './src/site',
    message: 'The local execution site is its own process: nothing imports it.',
  },
  { target: './src/site', from: ['./src/app', './src/features', './src/shared'], message: 'The site never imports the SPA.' },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules',
      '.stack/',
      '.venv',
      '.venv-rucio',
      'test-results/',
      'playwright-report/',
      'e2e/screenshots/',
      'src/server/diracx/schema.d.ts',
      'diracx-ext/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.mjs', '.js'] } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['warn', { fixStyle: 'inline-type-imports' }],
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-duplicates': 'warn',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/index', '**/index.ts'], message: 'No barrel files: import the module itself.' }] },
      ],
    },
  },
  {
    files: ['src/{app,features,shared}/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, '@tanstack/query': tanstackQuery },
    rules: { ...reactHooks.configs.recommended.rules, ...tanstackQuery.configs.recommended.rules },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'e2e/**', 'scripts/**', 'src/shared/testing/**', 'src/server/testing/**', 'src/features/*/testing/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The BFF logs through pino and the SPA has no console: a stray console.log is a debugging leftover.
    files: ['src/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    rules: { 'no-console': ['warn', { allow: ['warn', 'error'] }] },
  },
  prettier,
);
