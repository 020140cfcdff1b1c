import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first (docs/DESIGN.md §4). A module may import its own layer's folder
 * and the layers below; never a sibling folder of its layer, never a layer above. Tests may reach
 * sideways (a graph test reads files through kube/), so the rule skips them.
 */
export const LAYERS = [
  ['core', 'gen'],
  ['kube', 'graph', 'events', 'store'],
  ['analyze', 'predict', 'memory', 'simulate'],
  ['diagnose'],
  ['observe', 'remediate'],
  ['server'],
  ['cli'],
];

/** One no-restricted-imports block per folder: what it may not import, and why. */
function layerRules() {
  return LAYERS.flatMap((layer, level) =>
    layer.map((folder) => {
      const above = LAYERS.slice(level + 1).flat();
      const siblings = layer.filter((other) => other !== folder);
      return {
        files: [`src/${folder}/**/*.ts`],
        ignores: ['**/*.test.ts'],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: [
                ...(above.length === 0
                  ? []
                  : [
                      {
                        group: above.map((name) => `**/${name}/**`),
                        message: `src/${folder} sits below ${above.join(', ')}: dependencies point down (docs/DESIGN.md §4)`,
                      },
                    ]),
                ...(siblings.length === 0
                  ? []
                  : [
                      {
                        group: siblings.map((name) => `**/${name}/**`),
                        message: `src/${folder} and ${siblings.join(', ')} are one layer: neither imports the other`,
                      },
                    ]),
              ],
            },
          ],
        },
      };
    }),
  );
}

export default defineConfig(
  // src/gen: generated from proto/ by buf (scripts/check-proto.sh keeps it in step).
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'coverage/**', 'src/gen/**'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Only the CLI prints: everything else takes a logger or returns data (DESIGN.md §7.5).
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  ...layerRules(),
);
