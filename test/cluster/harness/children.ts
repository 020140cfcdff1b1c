/**
 * The child processes this process owns, and the handlers that make them die with it: on `exit`,
 * SIGINT, SIGTERM and SIGHUP every child still running is SIGKILLed.
 */

/** A component this process spawned, tracked until it exits. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  exited: boolean;
  exitCode: number | null;
  readonly exitPromise: Promise<void>;
}

/** Children that have not exited yet: what the exit handlers kill. */
export const liveChildren = new Set<Child>();
let handlersInstalled = false;

function killAllNow(): void {
  for (const c of liveChildren) {
    if (!c.exited) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** Installs the exit and signal handlers that kill {@link liveChildren} (once per process). */
export function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killAllNow();
      // If nobody else listens, behave as if we had not been listening: die by the signal.
      if (process.listenerCount(sig) <= 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}
