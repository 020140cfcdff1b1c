/**
 * The memory tier's measured jobs (issue #5), each run in a fresh process by run.ts, printing its
 * figures as JSON on stdout:
 *
 *   ingest DIR PODS CHANGES   the real Recorder into a new SQLite store in DIR: it lists PODS pods
 *                             (real-capture shape), then is told of CHANGES modifications as fast
 *                             as this process makes them; how fast they are diffed and stored, the
 *                             bytes each took, and what storing the whole object would have taken
 *   fill STORE OBJECTS CHANGES a store holding CHANGES changes of OBJECTS pods over 14 days, written
 *                             in recorder-sized transactions (run.ts caches it)
 *   timeline STORE QUERIES    QUERIES timelines of random objects, as `kubectl smart timeline`
 *                             asks the store for them: p50 and p95
 *   namespace STORE OBJECTS   a namespace of OBJECTS objects checkpointed, then an hour of churn:
 *                             what `replay --at` rebuilds
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HISTORY_END_MS, churned, podNumber } from './pod-churn.ts';

const dist = new URL('../dist/', import.meta.url);
const { tuneHeapFor } = (await import(
  new URL('cli/long-running-heap.js', dist).href
)) as typeof import('../src/cli/long-running-heap.js');
// Ingest is the recorder's work: measured with the heap the recorder runs with.
if (process.argv[2] === 'ingest') tuneHeapFor(['record']);
const { openStore } = (await import(
  new URL('store/open-store.js', dist).href
)) as typeof import('../src/store/open-store.js');
const { Recorder } = (await import(
  new URL('memory/recorder.js', dist).href
)) as typeof import('../src/memory/recorder.js');
const { makeChange } = (await import(
  new URL('memory/make-change.js', dist).href
)) as typeof import('../src/memory/make-change.js');
const { timelineOf } = (await import(
  new URL('memory/timeline.js', dist).href
)) as typeof import('../src/memory/timeline.js');
const { kindInfo } = (await import(
  new URL('core/kinds.js', dist).href
)) as typeof import('../src/core/kinds.js');
type KubeObject = import('../src/core/kube-object.js').KubeObject;
type Change = import('../src/core/change.js').Change;
type KindFollower = import('../src/memory/recorder.js').KindFollower;

const [job, ...args] = process.argv.slice(2);
const DAY_MS = 86_400_000;
/** What one 250 ms flush of the recorder holds at 10,000 changes a second. */
const BATCH = 2500;

const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;
const print = (figures: Record<string, number>): void => {
  process.stdout.write(JSON.stringify({ ...figures, maxRssMb: maxRssMb() }));
};

function podKind() {
  const pod = kindInfo('Pod');
  if (pod === undefined) throw new Error('no Pod kind');
  return pod;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
  });

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function ingest(dir: string, podCount: number, changeCount: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const store = await openStore(join(dir, 'memory.db'));
  const pods = Array.from({ length: podCount }, (_, i) => podNumber(i, `team-${String(i % 40)}`));
  let listed: () => void = () => undefined;
  const whenListed = new Promise<void>((resolve) => (listed = resolve));
  let startChurn: () => void = () => undefined;
  const churnAllowed = new Promise<void>((resolve) => (startChurn = resolve));
  let wholeBytes = 0;
  let wholeBytesWithoutManagedFields = 0;
  let sampled = 0;
  const follower: KindFollower = {
    async watchKind(_kind, options, handlers) {
      const redact = options.redact ?? ((object: KubeObject) => object);
      // Pages of 500, as the live source lists.
      for (let i = 0; i < pods.length; i += 500)
        handlers.onListPage(pods.slice(i, i + 500).map(redact), false);
      handlers.onListEnd('1');
      listed();
      await churnAllowed;
      let version = 100_000;
      for (let i = 0; i < changeCount && !options.signal.aborted; i++) {
        const p = i % pods.length;
        const at = new Date(Date.now()).toISOString();
        const next = churned(pods[p] as KubeObject, Math.floor(i / pods.length), at, String(version++));
        pods[p] = next;
        if (i % 100 === 0) {
          // What storing the whole object would take (sampled: the sizes barely vary).
          const metadata = { ...next.metadata, managedFields: undefined };
          wholeBytes += JSON.stringify(next).length;
          wholeBytesWithoutManagedFields += JSON.stringify({ ...next, metadata }).length;
          sampled++;
        }
        handlers.onChange('MODIFIED', redact(next));
        // Let the recorder flush as a real watch stream would, between chunks of the socket.
        if (i % 500 === 499) await turn();
      }
      await untilAborted(options.signal);
    },
  };
  const recorder = new Recorder({ follower, store, kinds: [podKind()] });
  const stop = new AbortController();
  const running = recorder.run(stop.signal);
  await whenListed;
  while (recorder.stats.checkpoints < 1) await new Promise((resolve) => setTimeout(resolve, 50));
  const baseBytes = await store.sizeBytes();
  const started = performance.now();
  startChurn();
  while (recorder.stats.changes < changeCount) await new Promise((resolve) => setTimeout(resolve, 20));
  const tookMs = performance.now() - started;
  stop.abort();
  await running;
  const bytes = (await store.sizeBytes()) - baseBytes;
  await store.close();
  print({
    pods: podCount,
    changes: recorder.stats.changes,
    changesPerSecond: changeCount / (tookMs / 1000),
    storedBytesPerChange: bytes / changeCount,
    wholeObjectBytes: wholeBytes / sampled,
    wholeObjectBytesWithoutManagedFields: wholeBytesWithoutManagedFields / sampled,
  });
}

/** Changes of `objects` pods, `perObject` each, spread evenly over the `spanMs` before `endMs`. */
function* pastChanges(
  objects: number,
  total: number,
  namespace: (i: number) => string,
  endMs: number,
  spanMs: number,
): Generator<Change> {
  const pods = Array.from({ length: objects }, (_, i) => podNumber(i, namespace(i)));
  const startMs = endMs - spanMs;
  for (let i = 0; i < total; i++) {
    const p = i % objects;
    const at = new Date(startMs + Math.floor((i * spanMs) / total)).toISOString();
    const before = pods[p] as KubeObject;
    const after = churned(before, Math.floor(i / objects), at, String(100_000 + i));
    pods[p] = after;
    const change = makeChange({ at, before, after });
    if (change !== undefined) yield change;
  }
}

async function writeChanges(storePath: string, changes: Iterable<Change>): Promise<number> {
  const store = await openStore(storePath);
  let batch: Change[] = [];
  let written = 0;
  for (const change of changes) {
    batch.push(change);
    if (batch.length === BATCH) {
      written += (await store.record({ changes: batch })).changesAdded;
      batch = [];
    }
  }
  written += (await store.record({ changes: batch, cursors: { pods: '1' } })).changesAdded;
  await store.close();
  return written;
}

async function fill(storePath: string, objects: number, total: number): Promise<void> {
  const started = performance.now();
  const written = await writeChanges(
    storePath,
    pastChanges(objects, total, (i) => `team-${String(i % 40)}`, HISTORY_END_MS, 14 * DAY_MS),
  );
  print({ changes: written, tookMs: performance.now() - started });
}

async function timeline(storePath: string, queries: number, objects: number): Promise<void> {
  const store = await openStore(storePath);
  const range = { from: HISTORY_END_MS - 15 * DAY_MS, to: HISTORY_END_MS };
  const times: number[] = [];
  let entries = 0;
  for (let q = 0; q < queries; q++) {
    const i = Math.floor(Math.random() * objects);
    const pod = podNumber(i, `team-${String(i % 40)}`);
    const object = { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name };
    const started = performance.now();
    entries += (await timelineOf(store, { object, range })).length;
    times.push(performance.now() - started);
  }
  await store.close();
  print({
    queries,
    entriesPerTimeline: entries / queries,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
  });
}

async function namespace(storePath: string, objects: number, atMs: number): Promise<void> {
  const started = performance.now();
  const startMs = atMs - 3_600_000;
  const store = await openStore(storePath);
  await store.checkpoint(
    startMs,
    Array.from({ length: objects }, (_, i) => podNumber(i, 'big')),
  );
  await store.close();
  const written = await writeChanges(
    storePath,
    pastChanges(objects, objects / 2, () => 'big', atMs, 3_600_000 - 1000),
  );
  print({ objects, changes: written, tookMs: performance.now() - started });
}

switch (job ?? '') {
  case 'ingest':
    await ingest(args[0] ?? '', Number(args[1]), Number(args[2]));
    break;
  case 'fill':
    await fill(args[0] ?? '', Number(args[1]), Number(args[2]));
    break;
  case 'timeline':
    await timeline(args[0] ?? '', Number(args[1]), Number(args[2]));
    break;
  case 'namespace':
    await namespace(args[0] ?? '', Number(args[1]), Number(args[2]));
    break;
  default:
    process.stderr.write(
      'usage: memory-probe.ts ingest DIR PODS CHANGES | fill STORE OBJECTS CHANGES | timeline STORE QUERIES OBJECTS | namespace STORE OBJECTS AT_MS\n',
    );
    process.exitCode = 2;
}
