/**
 * vitest globalSetup: one real control plane for the whole run.
 *
 *   // vitest.config.ts (for the e2e project)
 *   test: { globalSetup: ['test/cluster/global-setup.ts'] }
 *
 * Tests (in workers) then use `process.env.SMART_TEST_KUBECONFIG` (admin),
 * `SMART_TEST_KUBECONFIG_READONLY`, `SMART_TEST_AUDIT_LOG`, or
 * `connectCluster()` from harness.ts (clients, setPodLogs, injectFault, addFaultStages, …),
 * or `inject('smartCluster')` (a {@link ClusterInfo}).
 *
 * Set SMART_CLUSTER_VERBOSE=1 to see the start-up steps, SMART_CLUSTER_KEEP=1 to keep the
 * cluster directory (component logs, audit log) after the run.
 */
import { startCluster } from './harness.ts';
import type { ClusterInfo } from './harness.ts';

/** The part of vitest's TestProject this file uses (kept structural: no vitest import here). */
interface ProvideTarget {
  provide?: (key: string, value: unknown) => void;
}

export default async function setup(project?: ProvideTarget): Promise<() => Promise<void>> {
  const verbose = process.env['SMART_CLUSTER_VERBOSE'] === '1';
  const cluster = await startCluster({
    keepDir: process.env['SMART_CLUSTER_KEEP'] === '1',
    log: (l) => {
      if (verbose || l.startsWith('build:')) process.stderr.write(`[test cluster] ${l}\n`);
    },
  });
  const info: ClusterInfo = {
    server: cluster.server,
    dir: cluster.dir,
    binDir: cluster.binDir,
    kubeconfigAdmin: cluster.kubeconfigAdmin,
    kubeconfigReadOnly: cluster.kubeconfigReadOnly,
    auditLogPath: cluster.auditLogPath,
  };
  // Workers are started after globalSetup and inherit the environment.
  process.env['SMART_TEST_CLUSTER_DIR'] = cluster.dir;
  process.env['SMART_TEST_KUBECONFIG'] = cluster.kubeconfigAdmin;
  process.env['SMART_TEST_KUBECONFIG_READONLY'] = cluster.kubeconfigReadOnly;
  process.env['SMART_TEST_AUDIT_LOG'] = cluster.auditLogPath;
  project?.provide?.('smartCluster', info);
  process.stderr.write(
    `[test cluster] ${cluster.server} ready in ${(cluster.timings.startMs / 1000).toFixed(1)} s (dir ${cluster.dir})\n`,
  );
  return async () => {
    await cluster.stop();
  };
}
