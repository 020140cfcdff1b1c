/**
 * Run records: each run (a startCluster(), a spawnOwnedChild()) lists the PIDs it started in
 * {@link RUNS_DIR}, so that a later start can kill what a run whose process crashed left behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { liveChildren } from './children.ts';
import { isAlive, isOurProcess } from './pid-checks.ts';

/** One file in {@link RUNS_DIR}. */
export interface RunRecord {
  readonly ownerPid: number;
  readonly dir: string;
  readonly keepDir: boolean;
  readonly pids: readonly { readonly name: string; readonly pid: number }[];
}

/** Where every live run is recorded, so a later start can clean up after a crashed one. */
export const RUNS_DIR = path.join(os.tmpdir(), 'kubectl-smart-cluster-runs');

function killRecordedPids(pids: readonly { readonly pid: number }[]): number {
  let n = 0;
  for (const { pid } of pids) {
    if (isAlive(pid) && isOurProcess(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
        n++;
      } catch {
        // raced with its exit
      }
    }
  }
  return n;
}

/** Kills children of runs whose owning process is gone, and removes their directories. */
export function killOrphans(log: (line: string) => void = () => {}): number {
  let killed = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync(RUNS_DIR);
  } catch {
    return 0;
  }
  for (const e of entries) {
    const file = path.join(RUNS_DIR, e);
    let rec: RunRecord;
    try {
      rec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
    } catch {
      continue;
    }
    if (rec.ownerPid !== process.pid && isAlive(rec.ownerPid)) continue;
    if (rec.ownerPid === process.pid && [...liveChildren].some((c) => rec.pids.some((p) => p.pid === c.pid)))
      continue;
    const n = killRecordedPids(rec.pids);
    if (n > 0) log(`killed ${n} orphaned component(s) of a previous run in ${rec.dir}`);
    killed += n;
    if (!rec.keepDir) fs.rmSync(rec.dir, { recursive: true, force: true });
    fs.rmSync(file, { force: true });
  }
  return killed;
}
