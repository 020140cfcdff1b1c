/**
 * `kubectl smart receive` as the agent tests run it: the built CLI, its own process beside the
 * cluster (killed with it), keeping what it receives as JSON lines in a file the tests read.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnOwnedChild, type ClusterInfo } from './harness.ts';

export const smartBin = fileURLToPath(new URL('../../bin/kubectl-smart.js', import.meta.url));

/** Starts `receive --listen 127.0.0.1:PORT --out FILE -o json`; its log is `<cluster>/logs/NAME.log`. */
export function startReceive(
  cluster: ClusterInfo,
  name: string,
  port: number,
  out: string,
): { stop(): Promise<void> } {
  return spawnOwnedChild(cluster, name, process.execPath, [
    smartBin,
    'receive',
    '--listen',
    `127.0.0.1:${String(port)}`,
    '--out',
    out,
    '-o',
    'json',
  ]);
}

/** The incidents the receiver has kept so far, in arrival order. */
export function receivedIncidents<T>(out: string): T[] {
  if (!fs.existsSync(out)) return [];
  return fs
    .readFileSync(out, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
