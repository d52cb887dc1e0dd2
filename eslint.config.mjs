// @ts-check
import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/.local/**', 'jest.config.js', 'infra/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { 'simple-import-sort': simpleImportSort },
        rules: {
            eqeqeq: ['error', 'always', { null: 'ignore' }],
            'no-console': 'error',
            'simple-import-sort/imports': 'error',
            'simple-import-sort/exports': 'error',
            '@typescript-eslint/return-await': ['error', 'in-try-catch'],
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
        },
    },
    {
        // The domain is pure: no Azure SDKs, no environment, no I/O. Clock and ids are parameters.
        files: ['shared/domain/**/*.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['@azure/*', 'durable-functions', 'durable-functions/*'],
                            message: 'shared/domain is pure: no Azure imports.',
                        },
                        {
                            group: [
                                'node:fs',
                                'fs',
                                'node:http',
                                'http',
                                'node:https',
                                'https',
                                'node:net',
                                'net',
                                'node:child_process',
                                'child_process',
                            ],
                            message: 'shared/domain does no I/O.',
                        },
                        {
                            group: ['../adapters/*', '../../adapters/*', '../config*', '../composition*'],
                            message: 'shared/domain depends on nothing outside itself.',
                        },
                    ],
                },
            ],
            'no-restricted-properties': [
                'error',
                {
                    object: 'process',
                    property: 'env',
                    message: 'shared/domain never reads process.env; configuration is a parameter.',
                },
                { object: 'Date', property: 'now', message: 'shared/domain takes the clock as a parameter.' },
                { object: 'Math', property: 'random', message: 'shared/domain takes randomness as a parameter.' },
            ],
            'no-restricted-globals': ['error', { name: 'process', message: 'shared/domain never touches process.' }],
        },
    },
    {
        // The domain's surface is its index: the rest of the app imports `shared/domain/index`, never a file inside.
        files: ['shared/**/*.ts', 'functions/**/*.ts'],
        ignores: ['shared/domain/**'],
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['**/domain/*', '**/domain/*/**', '!**/domain/index'],
                            message: 'Import the domain through shared/domain/index.',
                        },
                    ],
                },
            ],
        },
    },
    {
        // The local host is developer tooling; it loads the app like the real host and knows nothing of it.
        files: ['local/**/*.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['../functions/*', '../shared/*', '../../functions/*', '../../shared/*'],
                            message: 'local/ loads the app; it never imports it.',
                        },
                    ],
                },
            ],
        },
    },
    {
        // The lead console runs in the browser and talks to the app only through the operations API.
        files: ['console/**/*.{ts,tsx}'],
        languageOptions: { globals: { ...globals.browser } },
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: ['../shared/*', '../../shared/*', '../functions/*', '../../functions/*'],
                            message: 'The console is a client of the operations API; it imports nothing of the app.',
                        },
                    ],
                },
            ],
        },
    },
    {
        files: ['console/vite.config.mjs'],
        languageOptions: { sourceType: 'module', globals: { ...globals.node } },
    },
    {
        files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'local/cli.ts'],
        rules: {
            'no-console': 'off',
        },
    },
    {
        files: ['test/**/*.ts'],
        rules: {
            '@typescript-eslint/no-unsafe-assignment': 'off',
            '@typescript-eslint/no-unsafe-member-access': 'off',
            '@typescript-eslint/no-unsafe-argument': 'off',
            '@typescript-eslint/no-unsafe-call': 'off',
            '@typescript-eslint/no-unsafe-return': 'off',
            '@typescript-eslint/unbound-method': 'off',
            '@typescript-eslint/no-non-null-assertion': 'off',
        },
    },
    {
        files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
        ...tseslint.configs.disableTypeChecked,
    },
    {
        // Plain CommonJS helpers (jest setup, small function apps used as test fixtures).
        files: ['**/*.js', '**/*.cjs'],
        languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
        rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
    },
);
