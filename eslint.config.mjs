// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noEditorImport = {
  patterns: [],
  paths: [{ name: 'vscode', message: 'src/domain, src/store and src/cli run in plain Node: they must never import the editor API.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'demo-workspace/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', document: 'readonly', window: 'readonly', performance: 'readonly', structuredClone: 'readonly', globalThis: 'readonly', queueMicrotask: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', navigator: 'readonly', HTMLElement: 'readonly', Event: 'readonly', CustomEvent: 'readonly', MessageEvent: 'readonly', KeyboardEvent: 'readonly', requestAnimationFrame: 'readonly', getComputedStyle: 'readonly', Blob: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/domain/**', 'src/store/**', 'src/cli/**'],
    rules: { 'no-restricted-imports': ['error', noEditorImport] },
  },
  {
    files: ['scripts/**', 'eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
