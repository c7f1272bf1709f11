// Lint also enforces the layering: the engine runs under plain Node and knows nothing of
// who calls it; the window has no Node at all.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const outward = (...layers) =>
  layers.map((l) => ({
    group: [`**/${l}/**`, `**/${l}`],
    message: `this layer may not import from ${l}/`,
  }));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        URLSearchParams: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'src/core is the engine: it runs under plain Node and never imports electron.',
            },
            { name: 'electron-log', message: 'use electron-log/node in the engine.' },
            { name: 'electron-log/main', message: 'use electron-log/node in the engine.' },
          ],
          patterns: outward('app', 'cli', 'preload', 'renderer'),
        },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared types are runtime-free.' }],
          patterns: [
            ...outward('app', 'cli', 'preload', 'renderer', 'core'),
            { group: ['node:*'], message: 'shared types must also load in the window.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'the CLI runs without a display.' }],
          patterns: outward('app', 'preload', 'renderer'),
        },
      ],
    },
  },
  {
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: outward('core', 'cli', 'app', 'renderer') }],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        HTMLElement: 'readonly',
        Intl: 'readonly',
        requestAnimationFrame: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'the window is sandboxed: use window.cloudSync.' }],
          patterns: [
            ...outward('core', 'cli', 'app', 'preload'),
            { group: ['node:*'], message: 'the window has no Node.' },
          ],
        },
      ],
    },
  },
);
