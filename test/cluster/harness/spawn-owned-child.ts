/** A process started beside a cluster that another process owns. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { installExitHandlers, liveChildren, type Child } from './children.ts';
import type { ClusterInfo } from './cluster-info.ts';
import { RUNS_DIR, type RunRecord } from './run-records.ts';

/**
 * Starts a process beside a cluster another process owns (from a vitest worker): it dies with this
 * process (parent-death signal), is listed in `<dir>/pids`, logs to `<dir>/logs/NAME.log`, and has
 * a run record so a later startCluster() kills it if this process died without doing so.
 */
export function spawnOwnedChild(
  info: ClusterInfo,
  name: string,
  bin: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): { readonly pid: number; stop(): Promise<void> } {
  const out = fs.openSync(path.join(info.dir, 'logs', `${name}.log`), 'a');
  const cp = spawn(bin, args, {
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env, SMART_CLUSTER_PDEATHSIG: '1' },
  });
  fs.closeSync(out);
  if (cp.pid === undefined) throw new Error(`could not start ${name}`);
  installExitHandlers();
  const exited = new Promise<void>((resolve) =>
    cp.on('exit', () => {
      resolve();
    }),
  );
  const child: Child = { name, pid: cp.pid, exited: false, exitCode: null, exitPromise: exited };
  const recFile = path.join(RUNS_DIR, `${process.pid}-${path.basename(info.dir)}-${name}.json`);
  cp.on('exit', (code) => {
    child.exited = true;
    child.exitCode = code;
    liveChildren.delete(child);
    fs.rmSync(recFile, { force: true });
  });
  liveChildren.add(child);
  fs.appendFileSync(path.join(info.dir, 'pids'), `${cp.pid} ${name}\n`);
  // keepDir: the directory belongs to the cluster's owner.
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  const rec: RunRecord = {
    ownerPid: process.pid,
    dir: info.dir,
    keepDir: true,
    pids: [{ name, pid: cp.pid }],
  };
  fs.writeFileSync(recFile, JSON.stringify(rec));
  return {
    pid: cp.pid,
    async stop() {
      if (!child.exited) cp.kill('SIGTERM');
      await exited;
    },
  };
}
