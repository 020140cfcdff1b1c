/**
 * `npm run bench`: the figures the README quotes. Builds a synthetic cluster of the size issue #2
 * names (outside the repo, cached), then measures, each in a fresh process, loading and graphing it
 * from files and running `deps` and `events` over it; then the memory tier's figures (memory-probe.ts).
 * Prints medians of several runs, and the CLI's start-up (startup.ts). Last, the incident observer's figures on the real control plane
 * (agent.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HISTORY_END_MS, podNumber } from './pod-churn.ts';
import { startupFigures } from './startup.ts';
import { ISSUE_SIZE, writeSyntheticCluster } from './synthetic-cluster.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const probe = fileURLToPath(new URL('probe.ts', import.meta.url));
const dir = join(tmpdir(), `kubectl-smart-bench-${JSON.stringify(ISSUE_SIZE).length.toString(36)}-v3`);
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
// Start-up of the CLI itself: commands are loaded only when they run (src/cli/command-table.ts).
rows.push(...(await startupFigures()));
const width = Math.max(...rows.map(([label]) => label.length));
for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);

// The memory tier (issue #5): the real recorder and store, fed pods shaped like a real capture.
const memoryRows: [string, string][] = [];
const memoryDir = join(tmpdir(), 'kubectl-smart-bench-memory-v1');
mkdirSync(memoryDir, { recursive: true });
const memoryProbe = fileURLToPath(new URL('memory-probe.ts', import.meta.url));
const MEMORY_RUNS = Math.min(RUNS, 3);

function memory(args: readonly string[]): Figures {
  return JSON.parse(
    execFileSync(process.execPath, [memoryProbe, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }),
  ) as Figures;
}

const ingests = Array.from({ length: MEMORY_RUNS }, (_, i) => {
  const dirOf = join(memoryDir, `ingest-${String(i)}`);
  rmSync(dirOf, { recursive: true, force: true });
  const figures = memory(['ingest', dirOf, '10000', '50000']);
  rmSync(dirOf, { recursive: true, force: true });
  return figures;
});
const perChange = median(ingests.map((f) => f.storedBytesPerChange ?? 0));
const whole = median(ingests.map((f) => f.wholeObjectBytes ?? 0));
const wholeLean = median(ingests.map((f) => f.wholeObjectBytesWithoutManagedFields ?? 0));
memoryRows.push([
  'record: ingest into SQLite',
  `${median(ingests.map((f) => f.changesPerSecond ?? 0)).toFixed(0)} changes/s (10,000 pods listed, then 50,000 status changes), peak RSS ${median(ingests.map((f) => f.maxRssMb ?? 0)).toFixed(0)} MB incl. the feed`,
]);
memoryRows.push([
  'record: bytes stored per change',
  `${perChange.toFixed(0)} B, indexes included; the whole object is ${whole.toFixed(0)} B (1/${(whole / perChange).toFixed(1)}), ${wholeLean.toFixed(0)} B without managedFields (1/${(wholeLean / perChange).toFixed(1)})`,
]);

const million = join(memoryDir, 'million.db');
if (!existsSync(`${million}.complete`)) {
  rmSync(million, { force: true });
  const filled = memory(['fill', million, '10000', '1000000']);
  writeFileSync(`${million}.complete`, String(filled.changes));
}
const timelines = Array.from({ length: MEMORY_RUNS }, () => memory(['timeline', million, '500', '10000']));
memoryRows.push([
  'timeline at 1,000,000 changes',
  `p95 ${median(timelines.map((f) => f.p95Ms ?? 0)).toFixed(2)} ms, p50 ${median(timelines.map((f) => f.p50Ms ?? 0)).toFixed(2)} ms (500 random pods, ${String(timelines[0]?.entriesPerTimeline)} entries each; store queries, in process)`,
]);
const somePod = podNumber(1234, 'team-34');
const timelineCli = measure([
  'cli',
  'timeline',
  `pod/${somePod.metadata.name}`,
  '-n',
  'team-34',
  '--until',
  new Date(HISTORY_END_MS).toISOString(),
  '--store',
  million,
  '--alpha-memory',
]);
memoryRows.push([
  'timeline pod/… (the command)',
  `${median(timelineCli.map((f) => f.totalMs ?? 0)).toFixed(0)} ms, peak RSS ${median(timelineCli.map((f) => f.maxRssMb ?? 0)).toFixed(0)} MB`,
]);

const namespaceStore = join(memoryDir, 'namespace.db');
if (!existsSync(`${namespaceStore}.complete`)) {
  rmSync(namespaceStore, { force: true });
  memory(['namespace', namespaceStore, '10000', String(HISTORY_END_MS)]);
  writeFileSync(`${namespaceStore}.complete`, 'done');
}
const replays = measure([
  'cli',
  'replay',
  '--at',
  new Date(HISTORY_END_MS).toISOString(),
  '-n',
  'big',
  '--store',
  namespaceStore,
  '--alpha-memory',
]);
if (replays.some((f) => f.code !== 0))
  throw new Error('replay exited non-zero: the benchmark measures only successful runs');
memoryRows.push([
  'replay --at, 10,000-object namespace',
  `${median(replays.map((f) => f.totalMs ?? 0)).toFixed(0)} ms, peak RSS ${median(replays.map((f) => f.maxRssMb ?? 0)).toFixed(0)} MB (checkpoint + 5,000 changes rebuilt, then analysed)`,
]);

process.stdout.write(`\nmemory tier; stores in ${memoryDir}\n\n`);
const memoryWidth = Math.max(...memoryRows.map(([label]) => label.length));
for (const [label, value] of memoryRows) process.stdout.write(`  ${label.padEnd(memoryWidth)}  ${value}\n`);

// The observer's redaction on its corpus (test/support/secret-corpus.ts): leaks must be 0; the
// false-redaction rate is what it costs in benign text.
const { Redactor } = (await import(
  new URL('../dist/observe/redact/redactor.js', import.meta.url).href
)) as typeof import('../src/observe/redact/redactor.js');
const { measureRedaction } = await import('../test/support/redaction-figures.ts');
const redaction = measureRedaction(() => new Redactor());
process.stdout.write(
  `\nobserver redaction (corpus of test/support/secret-corpus.ts)\n\n` +
    `  planted secrets        ${String(redaction.planted)} (env, manifests, logs, events), ${String(redaction.leaks.length)} leaked\n` +
    `  false redactions       ${String(redaction.falselyRedacted)} of ${String(redaction.benignUnits)} benign texts (${(redaction.falseRate * 100).toFixed(2)}%)\n`,
);

// The incident observer (issue #6) on the real control plane: its own process, since it starts a
// cluster (needs Go, like the cluster tests).
execFileSync(process.execPath, [fileURLToPath(new URL('agent.ts', import.meta.url))], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
