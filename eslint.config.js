import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'tmp', '.cache', 'bin'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
);
