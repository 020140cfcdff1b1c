/**
 * What `kubectl logs` returns for a fake pod: KWOK serves log files named by its Logs and
 * ClusterLogs CRs, and reads them only in the CRI format.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KubeClient } from './kube-client.ts';

/** The logs of one pod (or one container of it), as plain text or CRI lines. */
export interface PodLogs {
  readonly current: string;
  readonly previous?: string;
  readonly container?: string;
}

/**
 * Turns plain text into the CRI log format the kubelet (and KWOK) serve logs from:
 * `<RFC3339Nano> stdout F <line>`, one millisecond apart ending now. Lines that already
 * start with a timestamp and a stream are kept as they are.
 */
export function criLog(text: string, stream: 'stdout' | 'stderr' = 'stdout'): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const end = Date.now();
  return (
    lines
      .map((line, i) => {
        if (/^\d{4}-\d\d-\d\dT\S+ (stdout|stderr) [FP] /.test(line)) return line;
        const ts = new Date(end - (lines.length - 1 - i)).toISOString().replace('Z', '000000Z');
        return `${ts} ${stream} F ${line}`;
      })
      .join('\n') + '\n'
  );
}

// Several processes write into one pod-logs directory: the pid and this counter keep names apart.
let logSeq = 0;

/** Writes the log files of a pod into `<dir>/pod-logs` and points its Logs CR at them. */
export async function setPodLogs(
  admin: KubeClient,
  dir: string,
  namespace: string,
  pod: string,
  l: PodLogs,
): Promise<void> {
  const base = path.join(
    dir,
    'pod-logs',
    `${namespace}_${pod}_${l.container ?? 'all'}_${process.pid}_${logSeq++}`,
  );
  fs.writeFileSync(`${base}.log`, criLog(l.current));
  const entry: Record<string, unknown> = { logsFile: `${base}.log`, follow: false };
  if (l.previous !== undefined) {
    fs.writeFileSync(`${base}.previous.log`, criLog(l.previous));
    entry['previousLogsFile'] = `${base}.previous.log`;
  }
  if (l.container !== undefined) entry['containers'] = [l.container];
  const obj = {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Logs',
    metadata: { name: pod, namespace },
    spec: { logs: [entry] },
  };
  const r = await admin.request(
    'PATCH',
    `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${namespace}/logs/${pod}?fieldManager=testcluster&force=true`,
    obj,
    { contentType: 'application/apply-patch+yaml' },
  );
  if (r.status >= 300) throw new Error(`set logs for ${namespace}/${pod}: ${r.status} ${r.text}`);
}

/**
 * Writes `<podLogsDir>/default.log` and a ClusterLogs manifest (`<dir>/kwok-clusterlogs.yaml`)
 * that serves it for every pod without logs of its own; returns the manifest's path.
 */
export function writeDefaultClusterLogs(dir: string, podLogsDir: string): string {
  const defaultLog = path.join(podLogsDir, 'default.log');
  fs.writeFileSync(
    defaultLog,
    criLog('kwok: no logs configured for this container (see RunningCluster.setPodLogs)\n'),
  );
  const clusterLogs = path.join(dir, 'kwok-clusterlogs.yaml');
  fs.writeFileSync(
    clusterLogs,
    [
      'apiVersion: kwok.x-k8s.io/v1alpha1',
      'kind: ClusterLogs',
      'metadata:',
      '  name: default-logs',
      'spec:',
      '  selector: {}',
      '  logs:',
      `  - logsFile: ${defaultLog}`,
      `    previousLogsFile: ${defaultLog}`,
      '',
    ].join('\n'),
  );
  return clusterLogs;
}
