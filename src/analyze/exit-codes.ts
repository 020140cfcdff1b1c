import { crashSignature, type CrashSignature, type Runtime } from './crash-signature.js';

/** Names of the signals a process can die of (`128 + n`), as Linux numbers them. */
const SIGNALS: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};
/** Linux signals run 1–64: a status above 128 + 64 is the program's own exit code, not a signal. */
const MAX_SIGNAL = 64;

const RUNTIME_NAME: Readonly<Record<Runtime, string>> = {
  go: 'Go',
  java: 'Java',
  python: 'Python',
  node: 'Node.js',
  dotnet: '.NET',
};

/**
 * What a container's exit code means, read with what the process printed (its termination message
 * and log): the number alone is ambiguous. 2 is a Go panic when a goroutine dump follows `panic:`,
 * a shell's misuse of a builtin otherwise; 1 with a traceback is an uncaught Python exception; 134
 * with `Unhandled exception.` is .NET's abort on an unhandled exception; a runtime out of heap is
 * its own limit, not the container's. 255 is `exit(-1)`, no signal: only 129–192 are signals.
 */
export function exitCodeMeaning(code: number, said = ''): string {
  const crash = said === '' ? undefined : crashSignature(said);
  if (crash !== undefined && code !== 0) {
    const byRuntime = runtimeMeaning(code, crash);
    if (byRuntime !== undefined) return byRuntime;
  }
  switch (code) {
    case 0:
      return 'exited normally';
    case 1:
      return 'application error';
    case 2:
      return 'bad arguments or usage (a shell builtin misused, a flag the program does not know)';
    case 126:
      return 'command not executable';
    case 127:
      return 'command not found';
    case 128 + 9:
      return 'killed (SIGKILL): out of memory or a failed liveness probe';
    case 128 + 15:
      return 'terminated (SIGTERM)';
    case 128 + 11:
      return 'segmentation fault (SIGSEGV)';
    case 128 + 6:
      return 'aborted (SIGABRT)';
    case 255:
      return 'exit(-1) or an exit status out of range: the program gave up, no signal';
    default: {
      if (code > 128 && code <= 128 + MAX_SIGNAL) {
        const signal = code - 128;
        return `killed by signal ${String(signal)}${SIGNALS[signal] === undefined ? '' : ` (${SIGNALS[signal]})`}`;
      }
      return 'application error';
    }
  }
}

/** The meaning a runtime's crash gives the code, or undefined when it adds nothing. */
function runtimeMeaning(code: number, crash: CrashSignature): string | undefined {
  const runtime = RUNTIME_NAME[crash.runtime];
  if (crash.outOfHeap)
    // Go has no heap limit of its own: an allocation that fails is the container's or node's memory.
    return crash.runtime === 'go'
      ? 'Go runtime out of memory (an allocation failed)'
      : `${runtime} ran out of its own heap (a runtime limit, not the container’s)`;
  switch (crash.runtime) {
    case 'go':
      if (code === 2) return crash.headline.startsWith('panic:') ? 'Go panic' : 'Go runtime fatal error';
      return undefined;
    case 'dotnet':
      return code === 128 + 6 || code === 1 ? '.NET unhandled exception' : undefined;
    case 'java':
    case 'python':
    case 'node':
      return code === 1 ? `uncaught ${runtime} exception` : undefined;
    default: {
      const unknown: never = crash.runtime;
      return unknown;
    }
  }
}
