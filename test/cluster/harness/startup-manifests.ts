/** What a new cluster gets applied before KWOK starts. */
import fs from 'node:fs';
import path from 'node:path';
import { faultStages, readyStage } from '../faults.ts';
import { writeDefaultClusterLogs } from './pod-logs.ts';
import { TEST_CLUSTER_DIR } from './test-cluster-dir.ts';

/** The .yaml files in d, sorted; none when d does not exist. */
const listYaml = (d: string): string[] =>
  fs.existsSync(d)
    ? fs
        .readdirSync(d)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => path.join(d, f))
    : [];

/**
 * Writes the default ClusterLogs and the pod-ready and fault stages into dir, and lists, in the
 * order to apply them: RBAC for the read-only user, KWOK's CRDs and stages, those two files.
 */
export function startupManifests(dir: string, podLogsDir: string, kwokAssets: string): string[] {
  const clusterLogs = writeDefaultClusterLogs(dir, podLogsDir);
  const faultStagesFile = path.join(dir, 'kwok-fault-stages.json');
  fs.writeFileSync(
    faultStagesFile,
    [readyStage(), ...faultStages()].map((o) => JSON.stringify(o)).join('\n') + '\n',
  );
  return [
    path.join(TEST_CLUSTER_DIR, '..', '..', 'deploy', 'kubernetes', 'observer-clusterrole.yaml'),
    path.join(TEST_CLUSTER_DIR, 'rbac', 'observer-binding.yaml'),
    ...listYaml(path.join(kwokAssets, 'crds')),
    // Upstream pod-ready is replaced by readyStage() (same shape as the fault stages).
    ...listYaml(path.join(kwokAssets, 'stages')).filter((f) => path.basename(f) !== 'pod-ready.yaml'),
    ...listYaml(path.join(TEST_CLUSTER_DIR, 'kwok')),
    faultStagesFile,
    clusterLogs,
  ];
}
