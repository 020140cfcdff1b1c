/**
 * `npm run bench`: the figures the README quotes. Builds a synthetic cluster of the size issue #2
 * names (outside the repo, cached), then measures, each in a fresh process, loading and graphing it
 * from files and running `deps` and `events` over it. Prints medians of several runs.
 */
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUE_SIZE, writeSyntheticCluster } from './synthetic-cluster.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const probe = fileURLToPath(new URL('probe.ts', import.meta.url));
const dir = join(tmpdir(), `kubectl-smart-bench-${JSON.stringify(ISSUE_SIZE).length.toString(36)}-v1`);
const marker = join(dir, '.complete');

if (!existsSync(marker)) {
  rmSync(dir, { recursive: true, force: true });
  const objects = writeSyntheticCluster(dir, ISSUE_SIZE);
  writeFileSync(marker, String(objects));
}

type Figures = Record<string, number>;

function measure(args: readonly string[]): Figures[] {
  return Array.from(
    { length: RUNS },
    () =>
      JSON.parse(
        execFileSync(process.execPath, [probe, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }),
      ) as Figures,
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const rows: [string, string][] = [];
const loadGraph = measure(['load-graph', dir]);
const first = loadGraph[0] ?? {};
rows.push([
  'cluster',
  `${String(first.objects)} objects → ${String(first.nodes)} graph nodes, ${String(first.edges)} edges`,
]);
rows.push(['load from files', `${median(loadGraph.map((f) => f.loadMs ?? 0)).toFixed(0)} ms`]);
rows.push(['build graph', `${median(loadGraph.map((f) => f.graphMs ?? 0)).toFixed(0)} ms`]);
rows.push([
  'load + graph',
  `${median(loadGraph.map((f) => f.totalMs ?? 0)).toFixed(0)} ms, peak RSS ${median(loadGraph.map((f) => f.maxRssMb ?? 0)).toFixed(0)} MB`,
]);
for (const [label, args] of [
  ['deps deploy/app-7 -n team-3', ['deps', 'deploy/app-7', '-n', 'team-3', '--from', dir]],
  ['deps node/node-5 --downstream -A', ['deps', 'node/node-5', '--downstream', '-A', '--from', dir]],
  ['events -A', ['events', '-A', '--from', dir]],
  ['analyze -A (303 crash-looping pods)', ['analyze', '-A', '--from', dir]],
  ['events deploy/app-7 -n team-3', ['events', 'deploy/app-7', '-n', 'team-3', '--from', dir]],
] as const) {
  const figures = measure(['cli', ...args]);
  if (figures.some((f) => f.code !== 0))
    throw new Error(
      `${label} exited ${String(figures[0]?.code)}: the benchmark measures only successful runs`,
    );
  rows.push([
    label,
    `${median(figures.map((f) => f.totalMs ?? 0)).toFixed(0)} ms, peak RSS ${median(figures.map((f) => f.maxRssMb ?? 0)).toFixed(0)} MB`,
  ]);
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  `kubectl-smart bench — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${String(cpus().length)} × ${cpu}\n`,
);
process.stdout.write(
  `medians of ${String(RUNS)} runs, each in a fresh process; synthetic cluster in ${dir}\n\n`,
);
const width = Math.max(...rows.map(([label]) => label.length));
for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
