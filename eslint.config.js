import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Pages and components talk to the registry API only; storage and sync stay behind it.
const layering = {
  patterns: [
    {
      group: ['dexie', 'dexie/*', 'yjs', 'y-*', '$lib/store', '$lib/store/*', '$lib/sync/*'],
      message:
        'Pages and UI components call $lib/registry; they never open Dexie, Yjs or the store.',
    },
    {
      group: ['**/store/*', '**/sync/*'],
      message: 'Pages and UI components call $lib/registry; they never open the store or sync.',
    },
  ],
};

export default ts.config(
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
  },
  {
    files: ['src/routes/**', 'src/lib/ui/**'],
    rules: { 'no-restricted-imports': ['error', layering] },
  },
  {
    // Scripts, tests and benchmarks report to the terminal on purpose.
    files: ['scripts/**', 'tests/**', 'bench/**', 'playwright.config.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    ignores: ['build/', '.svelte-kit/', 'node_modules/', 'test-results/', 'static/', 'bench/dist/'],
  },
);
