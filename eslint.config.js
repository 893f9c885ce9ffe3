import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Dependencies point one way: functions/, lib/ and tests/ build on shared/, never the reverse. */
const sharedStaysBeneath = {
  regex: '(^|/)(functions|lib|tests|bin|web)/',
  message: 'shared/ is what functions/, lib/, bin/ and tests/ build on: it never imports them.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.node/', '.local/', 'coverage/', 'shared/contract/openapi.d.ts', 'web/*/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'error',
      // `import { z }` drags every zod locale into each Lambda bundle (~450 KB); the namespace import tree-shakes.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod'`.",
        },
      ],
    },
  },
  {
    // Command-line tools and the local runtime talk to a terminal; Lambda code logs through Powertools.
    files: ['bin/**', 'lib/local/**', 'tests/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests build on everything; nothing that ships or runs a stage builds on tests.
    files: ['bin/**/*.ts', 'lib/**/*.ts', 'functions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)tests/', message: 'Only tests import tests/: move what is shared into lib/ or shared/.' }] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sharedStaysBeneath] }] },
  },
  {
    // Domain and data modules decide and store; the HTTP layer (shared/http) adapts them to API Gateway, on top.
    files: ['shared/**/*.ts'],
    ignores: ['shared/http/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            sharedStaysBeneath,
            {
              regex: '(^|/)http/',
              message: 'Domain, data and support modules must not import the HTTP layer (shared/http): what they share belongs in shared/core.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The contract is what server and clients agree on: schemas over the core vocabulary, nothing else of ours.
    files: ['shared/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./(?!core$)', message: 'The contract (shared/contract) builds only on the core vocabulary (shared/core.ts).' }] },
      ],
    },
  },
  {
    // The web apps know the server only by its contract: types of shared/contract, nothing else of ours outside web/.
    files: ['web/**/*.{ts,tsx}'],
    ignores: ['web/app-config.ts', 'web/*/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)(lib|functions|bin|tests)/', message: 'The web apps run in browsers: they import nothing of the server but its contract.' },
            { regex: '(^|/)shared/(?!contract/)', message: 'The web apps know the server only by its contract (shared/contract).' },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
    },
  },
  {
    files: ['shared/core.ts', 'shared/errors.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.', message: 'The core vocabulary imports nothing of this project.' }] }],
    },
  },
);
