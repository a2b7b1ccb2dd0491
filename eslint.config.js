// Flat config. The import-direction rule enforces STYLE §1: domain imports nothing,
// the pure core (rules, analysis, report, redact) imports only domain (and each other
// where the layering allows), never the I/O shell.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const shell = ['cli', 'forge', 'evidence', 'probes', 'stores', 'agents', 'actions', 'app', 'runner', 'config'];
const shellPatterns = (except = []) =>
  shell.filter((s) => !except.includes(s)).flatMap((s) => [`../${s}/*`, `../../${s}/*`, `../${s}`, `../../${s}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', 'coverage/**', 'bench/.corpus/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'domain/ imports nothing outside domain/ (STYLE §1).' }] },
      ],
    },
  },
  {
    files: ['src/rules/**/*.ts', 'src/analysis/**/*.ts', 'src/report/**/*.ts', 'src/redact/**/*.ts', 'src/parsers/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/rules/load-rules.ts'],
    rules: {
      // Types may cross (actions/plan.ts is pure); values from the I/O shell may not.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: shellPatterns(), allowTypeImports: true, message: 'Pure modules import only domain/ and other pure modules (STYLE §1).' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**', 'bench/**'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'fetch', 'AbortController']
          .map((g) => [g, 'readonly']),
      ),
    },
  },
);
