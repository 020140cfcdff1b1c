/**
 * The components of a cluster this process starts: each logs to `<dir>/logs/NAME.log`, is listed
 * in `<dir>/pids` and in the run's record, and dies with this process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveChildren, type Child } from './children.ts';
import { RUNS_DIR, type RunRecord } from './run-records.ts';

/** What {@link componentGroup} returns. */
export interface ComponentGroup {
  /** Every component started so far, in order. */
  readonly children: readonly Child[];
  /** Starts a component (parent-death signal set) and records it. */
  readonly start: (name: string, file: string, args: readonly string[]) => Child;
  /** Throws with the last lines of its log when c has exited. */
  readonly ensureAlive: (c: Child) => void;
  /** Makes stop() keep the directory. */
  readonly keepDir: () => void;
  /**
   * Stops every component (SIGTERM per tier, SIGKILL after 5 s), removes the run record and the
   * directory unless kept. Only the first call does anything.
   */
  readonly stop: () => Promise<void>;
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** A group for the cluster in `dir`; `keepDir` is recorded for killOrphans() and kept on stop(). */
export function componentGroup(o: {
  readonly dir: string;
  readonly logsDir: string;
  readonly keepDir: boolean;
  readonly log: (line: string) => void;
}): ComponentGroup {
  const { dir, logsDir, log } = o;
  const pidFile = path.join(dir, 'pids');
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  const runFile = path.join(RUNS_DIR, `${process.pid}-${path.basename(dir)}.json`);
  const children: Child[] = [];

  const record = (): void => {
    const pids = children.map((c) => ({ name: c.name, pid: c.pid }));
    fs.writeFileSync(pidFile, pids.map((p) => `${p.pid} ${p.name}`).join('\n') + '\n');
    const rec: RunRecord = { ownerPid: process.pid, dir, keepDir: o.keepDir, pids };
    fs.writeFileSync(runFile, JSON.stringify(rec));
  };

  const start = (name: string, file: string, args: readonly string[]): Child => {
    const out = fs.openSync(path.join(logsDir, `${name}.log`), 'a');
    const cp = spawn(file, args, {
      stdio: ['ignore', out, out],
      env: { ...process.env, SMART_CLUSTER_PDEATHSIG: '1' },
    });
    fs.closeSync(out);
    if (cp.pid === undefined) throw new Error(`could not start ${name}`);
    let resolveExit: () => void = () => {};
    const exitPromise = new Promise<void>((r) => {
      resolveExit = r;
    });
    const child: Child = { name, pid: cp.pid, exited: false, exitCode: null, exitPromise };
    cp.on('exit', (code, signal) => {
      child.exited = true;
      child.exitCode = code ?? (signal ? 128 : null);
      liveChildren.delete(child);
      resolveExit();
    });
    cp.on('error', () => {
      child.exited = true;
      liveChildren.delete(child);
      resolveExit();
    });
    liveChildren.add(child);
    children.push(child);
    record();
    log(`started ${name} (pid ${cp.pid})`);
    return child;
  };

  let stopped = false;
  let keepDirOnStop = o.keepDir;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // Clients first, then the apiserver, then etcd: an apiserver whose etcd is gone takes long to stop.
    const tiers = [
      children.filter((c) => c.name !== 'kube-apiserver' && c.name !== 'etcd'),
      children.filter((c) => c.name === 'kube-apiserver'),
      children.filter((c) => c.name === 'etcd'),
    ];
    for (const tier of tiers) {
      for (const c of tier) {
        if (!c.exited) {
          try {
            process.kill(c.pid, 'SIGTERM');
          } catch {
            // gone
          }
        }
      }
      const all = Promise.all(tier.map((c) => c.exitPromise));
      const timedOut = await Promise.race([all.then(() => false), sleep(5_000).then(() => true)]);
      if (timedOut) {
        for (const c of tier) {
          if (!c.exited) {
            try {
              process.kill(c.pid, 'SIGKILL');
            } catch {
              // gone
            }
          }
        }
        await Promise.race([all, sleep(5_000)]);
      }
    }
    fs.rmSync(runFile, { force: true });
    if (!keepDirOnStop) fs.rmSync(dir, { recursive: true, force: true });
    log('cluster stopped');
  };

  const ensureAlive = (c: Child): void => {
    if (c.exited) {
      throw new Error(
        `test cluster: ${c.name} exited (code ${String(c.exitCode)}); last log lines:\n${tail(path.join(logsDir, `${c.name}.log`))}`,
      );
    }
  };

  return {
    children,
    start,
    ensureAlive,
    keepDir: () => {
      keepDirOnStop = true;
    },
    stop,
  };
}
