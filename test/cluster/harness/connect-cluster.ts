/** Reaching, from a vitest worker, the cluster the global setup started. */
import { clusterHandle, type ClusterHandle } from './cluster-handle.ts';
import { readClusterInfo } from './cluster-info.ts';

/**
 * Connects to a cluster started by {@link startCluster} in another process (e.g. vitest's
 * globalSetup), from its directory (`SMART_TEST_CLUSTER_DIR`). It cannot stop the cluster.
 */
export function connectCluster(dir: string = process.env['SMART_TEST_CLUSTER_DIR'] ?? ''): ClusterHandle {
  if (dir === '') throw new Error('connectCluster: no cluster directory (SMART_TEST_CLUSTER_DIR is not set)');
  return clusterHandle(readClusterInfo(dir));
}
