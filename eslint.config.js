// Flat ESLint config. Type-aware rules stay off to keep `npm test` fast; tsc
// (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes) does the typing work.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';

const electronBan = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'electron', message: 'Only main/app may import electron: engine, console, transport and shared run in plain Node.' }],
    patterns: [{ group: ['electron/*'], message: 'Only main/app may import electron.' }],
  }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'coverage/**', 'test-artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.ts', '**/*.mts', '**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, sourceType: 'module', extraFileExtensions: ['.vue'] },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description', 'ts-nocheck': true, 'ts-ignore': true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    // vue-tsc checks undefined names in SFCs; ESLint's no-undef knows no DOM globals there
    // (typescript-eslint turns it off for .ts files the same way).
    files: ['**/*.vue'],
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['main/engine/**', 'main/console/**', 'main/transport/**', 'shared/**', 'renderer/**'],
    rules: electronBan,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);
