/** `<dir>/cluster.json`: how a process that did not start the cluster finds it. */
import fs from 'node:fs';
import path from 'node:path';

/** What a running cluster writes to `<dir>/cluster.json`. */
export interface ClusterInfo {
  readonly server: string;
  readonly dir: string;
  readonly binDir: string;
  readonly kubeconfigAdmin: string;
  readonly kubeconfigReadOnly: string;
  readonly auditLogPath: string;
}

/** Writes `<info.dir>/cluster.json`. */
export function writeClusterInfo(info: ClusterInfo): void {
  fs.writeFileSync(path.join(info.dir, 'cluster.json'), JSON.stringify(info, null, 2) + '\n');
}

/** Reads `<dir>/cluster.json`. */
export function readClusterInfo(dir: string): ClusterInfo {
  return JSON.parse(fs.readFileSync(path.join(dir, 'cluster.json'), 'utf8')) as ClusterInfo;
}
