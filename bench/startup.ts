/**
 * Start-up: the time from spawning `kubectl-smart` to its first byte of output, and to its exit,
 * for `analyze --help` and for `analyze` over the bundled example. Medians of STARTUP_RUNS (15)
 * fresh processes of the built CLI. Run by `npm run bench`, or alone: `node bench/startup.ts`
 * (after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.STARTUP_RUNS ?? 15);
const bin = fileURLToPath(new URL('../bin/kubectl-smart.js', import.meta.url));
const example = fileURLToPath(new URL('../examples/shop-outage', import.meta.url));

/** One run: milliseconds to the first byte on stdout, and to exit. */
function once(args: readonly string[]): Promise<{ firstMs: number; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstMs: number | undefined;
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => {
      firstMs = performance.now() - started;
    });
    child.stdout.resume();
    child.once('error', reject);
    child.once('close', () => {
      const exitMs = performance.now() - started;
      resolve({ firstMs: firstMs ?? exitMs, exitMs });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The figures of one command line, as `label: first output N ms, exit M ms`. */
export async function startupFigures(): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  for (const [label, args] of [
    ['analyze --help', ['analyze', '--help']],
    ['analyze --from examples/shop-outage', ['analyze', '--from', example]],
  ] as const) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(args));
    rows.push([
      `start-up: ${label}`,
      `first output ${median(runs.map((r) => r.firstMs)).toFixed(0)} ms, exit ${median(runs.map((r) => r.exitMs)).toFixed(0)} ms`,
    ]);
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [label, value] of await startupFigures()) process.stdout.write(`${label.padEnd(48)} ${value}\n`);
}
