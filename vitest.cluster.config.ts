import { defineConfig } from 'vitest/config';

/**
 * Tests against the real control plane of test/cluster: one cluster for the whole run, started by
 * the global setup (built from Go modules on first use, cached outside the repo afterwards).
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/cluster/global-setup.ts'],
    // One cluster, shared: files run one after another so they do not starve it on two cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
