import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/cluster/**', 'node_modules/**'],
    // Two cores: keep the pool small so e2e tests that spawn the CLI do not starve each other.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
