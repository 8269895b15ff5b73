// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The extension host never imports browser code: what both sides share lives in src/ (the
// panels' protocol and model modules) and webview/ imports it from there.
const noWebviewImport = [{ group: ['**/webview/**', '**/webview'], message: 'src/ never imports webview/: put what both sides share in src/panels (see docs/ARCHITECTURE.md).' }];

const noEditorImport = {
  patterns: noWebviewImport,
  paths: [{ name: 'vscode', message: 'src/domain, src/store and src/cli run in plain Node: they must never import the editor API.' }],
};

const namedExports = { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' };
// `x as unknown as T` silences the type checker entirely. The one module that reads zod's
// internal shapes may; anywhere else, use a narrower `as`, a type guard or a schema.
const noDoubleCast = {
  selector: "TSAsExpression > TSAsExpression.expression[typeAnnotation.type='TSUnknownKeyword']",
  message: 'No `as unknown as` outside src/store/zodShape.ts (the zod-shape module): use a narrower cast, a type guard or a schema.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'demo-workspace/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
        document: 'readonly',
        window: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        globalThis: 'readonly',
        queueMicrotask: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        navigator: 'readonly',
        HTMLElement: 'readonly',
        Event: 'readonly',
        CustomEvent: 'readonly',
        MessageEvent: 'readonly',
        KeyboardEvent: 'readonly',
        requestAnimationFrame: 'readonly',
        getComputedStyle: 'readonly',
        Blob: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', namedExports],
      'max-lines-per-function': ['warn', { max: 120, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['src/**', 'webview/**'],
    rules: { 'no-restricted-syntax': ['error', namedExports, noDoubleCast] },
  },
  {
    // The zod-shape module: it reads zod's internal definitions, which zod does not type.
    files: ['src/store/zodShape.ts'],
    rules: { 'no-restricted-syntax': ['error', namedExports] },
  },
  {
    files: ['src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: noWebviewImport }] },
  },
  {
    files: ['src/domain/**', 'src/store/**', 'src/cli/**'],
    rules: { 'no-restricted-imports': ['error', noEditorImport] },
  },
  {
    // The figures of a book and its lifetime-value estimates: plain Node, the session hands
    // them what needs the editor (translated phrases, error reporting).
    files: ['src/figures.ts', 'src/ltv/estimates.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: noWebviewImport, paths: [{ name: 'vscode', message: 'No editor API here: take what needs it from the session (see docs/ARCHITECTURE.md).' }] }],
    },
  },
  {
    // A suite's describe() holds its cases: long by nature.
    files: ['test/**'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['scripts/**', 'eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
