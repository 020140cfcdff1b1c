/**
 * Checks on a PID some run recorded, possibly another process's: before it is killed it must still
 * be alive and still be one of ours.
 */
import fs from 'node:fs';

/** True when pid exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when /proc says pid runs one of our binaries (guards against recycled PIDs). */
export function isOurProcess(pid: number): boolean {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /testcluster|kwok/.test(cmd);
  } catch {
    return false;
  }
}
