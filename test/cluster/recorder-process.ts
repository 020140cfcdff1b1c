/**
 * `kubectl smart record` as a separate process, as a user runs it: started, waited on until it
 * says it is recording, then stopped with Ctrl-C (SIGINT) or killed outright (SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/kubectl-smart.js', import.meta.url));

export interface RecorderProcess {
  readonly child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves when it is recording (its first line on stderr), rejects if it exits first. */
  readonly started: Promise<void>;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal: 'SIGINT' | 'SIGKILL'): Promise<number | null>;
}

export function startRecorder(args: readonly string[], env: NodeJS.ProcessEnv = {}): RecorderProcess {
  const child = spawn(process.execPath, [bin, 'record', '--alpha-memory', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  const started = new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('recording ')) resolve();
    });
    void exited.then((code) => {
      reject(new Error(`record exited (${String(code)}) before recording: ${stderr}`));
    });
  });
  started.catch(() => undefined);
  return {
    child,
    output: () => ({ stdout, stderr }),
    started,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
