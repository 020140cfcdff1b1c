import { describe, expect, it } from 'vitest';
import { ANALYSIS_READS } from '../analyze/analysis-reads.js';
import { Coverage } from '../core/coverage.js';
import type { DataGap } from '../core/data-gap.js';
import type { KubeObject } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import type { ClusterSource, LoadRequest, LoadResult, LogWant } from '../kube/source.js';
import { callerPod } from '../../test/support/callers.js';
import { followCalls, MAX_CALLER_LOGS } from './follow-calls.js';

const capturedAt = new Date('2026-11-20T03:12:00Z');

/** A source over fixed objects per namespace: the port's one fake, for this use case's unit test. */
class FixedSource implements Pick<ClusterSource, 'description' | 'load' | 'readLogs'> {
  readonly description = 'fixed objects';
  readonly loads: (string | undefined)[] = [];
  readonly logReads: LogWant[][] = [];
  constructor(
    private readonly byNamespace: Readonly<Record<string, readonly KubeObject[]>>,
    private readonly forbidden: ReadonlySet<string> = new Set(),
  ) {}

  load(request: LoadRequest): Promise<LoadResult> {
    const namespace = request.namespace ?? '';
    this.loads.push(request.namespace);
    const coverage = new Coverage();
    const gaps: DataGap[] = [];
    if (this.forbidden.has(namespace))
      gaps.push({
        resource: 'pods',
        namespace,
        reason: 'forbidden',
        message: `cannot list pods in ${namespace}`,
        check: `kubectl auth can-i list pods -n ${namespace}`,
      });
    else for (const kind of request.kinds) coverage.add(kind.kind, namespace);
    const objects = this.forbidden.has(namespace) ? [] : (this.byNamespace[namespace] ?? []);
    return Promise.resolve({ snapshot: new Snapshot({ objects, coverage, capturedAt }), gaps });
  }

  readLogs(wanted: readonly LogWant[]): Promise<{ logs: []; gaps: [] }> {
    this.logReads.push([...wanted]);
    return Promise.resolve({ logs: [], gaps: [] });
  }
}

const api = callerPod({ env: [{ name: 'DATABASE_URL', value: 'postgres://app@db.data.svc:5432/app' }] });
const db: KubeObject = {
  kind: 'Service',
  metadata: { name: 'db', namespace: 'data' },
  spec: { selector: { app: 'db' } },
};

async function follow(source: FixedSource, namespace: string | undefined): Promise<LoadResult> {
  const scope = { source: source as unknown as ClusterSource, namespace, tailLines: 20 };
  return followCalls(
    scope,
    ANALYSIS_READS,
    await source.load({ kinds: ANALYSIS_READS.kinds, ...(namespace === undefined ? {} : { namespace }) }),
  );
}

describe('followCalls', () => {
  it('reads the namespace a pod dials into, and the log of the Running caller', async () => {
    const source = new FixedSource({ app: [api], data: [db] });
    const { snapshot, gaps } = await follow(source, 'app');
    expect(source.loads).toEqual(['app', 'data']);
    expect(snapshot.get({ kind: 'Service', namespace: 'data', name: 'db' })).toBeDefined();
    expect(gaps).toEqual([]);
    expect(source.logReads).toEqual([
      [{ namespace: 'app', pod: 'api-7c9f-x2k4p', container: 'api', previous: false }],
    ]);
  });

  it('turns a namespace it may not read into a gap naming it, and keeps the rest', async () => {
    const source = new FixedSource({ app: [api] }, new Set(['data']));
    const { snapshot, gaps } = await follow(source, 'app');
    expect(gaps.map((gap) => gap.namespace)).toEqual(['data']);
    expect(snapshot.get(api as never)).toBeUndefined();
    expect(snapshot.get({ kind: 'Pod', namespace: 'app', name: 'api-7c9f-x2k4p' })).toBeDefined();
    expect(snapshot.coverage.covers('Service', 'data')).toBe(false);
  });

  it('reads no other namespace under -A, and at most one caller log per workload, bounded', async () => {
    const many = Array.from({ length: MAX_CALLER_LOGS + 5 }, (_, i) =>
      callerPod({
        name: `api-${String(i).padStart(2, '0')}-a`,
        owner: `api-${String(i)}`,
        env: [{ name: 'DB_HOST', value: 'db.data' }],
      }),
    );
    const twins = [
      callerPod({ name: 'twin-b', owner: 'twin', env: [{ name: 'DB_HOST', value: 'db.data' }] }),
      callerPod({ name: 'twin-a', owner: 'twin', env: [{ name: 'DB_HOST', value: 'db.data' }] }),
    ];
    const source = new FixedSource({ '': [...many, ...twins, db] });
    await follow(source, undefined);
    expect(source.loads).toEqual([undefined]);
    const [wanted = []] = source.logReads;
    expect(wanted).toHaveLength(MAX_CALLER_LOGS);
    expect(new Set(wanted.map((w) => w.pod)).size).toBe(MAX_CALLER_LOGS);
    // Two replicas of one workload share their configuration: the first by name speaks for both.
    const pair = new FixedSource({ '': [...twins, db] });
    await follow(pair, undefined);
    expect(pair.logReads[0]?.map((w) => w.pod)).toEqual(['twin-a']);
  });
});
