import { describe, expect, it } from 'vitest';
import { findKind, type KindInfo } from '../core/kinds.js';
import type { IncidentContext } from '../gen/kubectl_smart/incident/v1/incident_pb.js';
import { FilesSource } from '../kube/files/files-source.js';
import type { LoadRequest, LoadResult, WatchKindHandlers, WatchKindOptions } from '../kube/source.js';
import { FAILURE_REASONS } from './failure-detection.js';
import { Observer, type ObservedCluster } from './observer.js';

const example = new URL('../../examples/shop-outage', import.meta.url).pathname;
const origin = { clusterName: 'shop-prod', server: 'https://10.0.0.1:6443', agentId: 'agent-0' };

/** The shop example as a cluster: its pods are listed, then the test plays watch changes. */
class ExampleCluster implements ObservedCluster {
  readonly files = new FilesSource({ paths: [example] });
  readonly loads: LoadRequest[] = [];
  failLoads = 0;
  handlers: WatchKindHandlers | undefined;
  watched: (string | undefined)[] = [];

  async watchKind(kind: KindInfo, options: WatchKindOptions, handlers: WatchKindHandlers): Promise<void> {
    this.handlers = handlers;
    this.watched.push(options.namespace);
    const { snapshot } = await this.files.load({ kinds: [kind] });
    handlers.onListPage(snapshot.ofKind('Pod'), false);
    handlers.onListEnd('1');
    await new Promise<void>((resolve) => {
      options.signal.addEventListener('abort', () => {
        resolve();
      });
    });
  }

  async load(request: LoadRequest): Promise<LoadResult> {
    this.loads.push(request);
    if (this.failLoads > 0) {
      this.failLoads--;
      throw new Error('connection reset');
    }
    return this.files.load(request);
  }
}

async function observe(
  cluster: ExampleCluster,
  play: (observer: Observer) => Promise<void> | void,
): Promise<{ incidents: IncidentContext[]; failed: string[]; seen: number; observer: Observer }> {
  const incidents: IncidentContext[] = [];
  const failed: string[] = [];
  let seen = 0;
  const observer = new Observer({
    cluster,
    detect: new Set(FAILURE_REASONS),
    debounceTtlMs: 300_000,
    tailLines: 200,
    origin,
    onIncident: (incident) => incidents.push(incident),
    hooks: {
      onHarvestFailed: (trigger) => failed.push(trigger.pod),
      onPodSeen: () => {
        seen++;
      },
    },
    now: () => new Date('2026-11-15T08:05:00Z'),
  });
  const stop = new AbortController();
  const running = observer.run(stop.signal);
  await new Promise((resolve) => setTimeout(resolve, 10));
  await play(observer);
  await observer.whenIdle();
  stop.abort();
  await running;
  return { incidents, failed, seen, observer };
}

describe('Observer', () => {
  it('turns the failing pods of a list into one incident each, from one read of their namespace', async () => {
    const cluster = new ExampleCluster();
    const { incidents } = await observe(cluster, () => undefined);
    expect(incidents.map((i) => `${i.pod?.name ?? ''} ${i.container}`).sort()).toEqual([
      'api-6f7d9c8b5d-2xk9p api',
      'api-6f7d9c8b5d-7fmnq api',
      'api-6f7d9c8b5d-w4z8r api',
      'payments-7c9d8f6b4-q8j2x payments',
    ]);
    expect(cluster.watched).toEqual([undefined]);
    // The first pod's harvest reads the namespace; the three queued meanwhile share a second read.
    expect(cluster.loads.length).toBeLessThanOrEqual(2);
    expect(cluster.loads.every((load) => load.namespace === 'shop' && load.logs?.tailLines === 200)).toBe(
      true,
    );
    expect(incidents.every((i) => i.manifests.length > 0 && i.diagnosis?.rootCause !== undefined)).toBe(true);
  });

  it('harvests a pod reported ten more times within the TTL once, and counts the rest as debounced', async () => {
    const cluster = new ExampleCluster();
    const listed = (await cluster.files.load({ kinds: [findKind('pods')!] })).snapshot.ofKind('Pod').length;
    const { incidents, observer, seen } = await observe(cluster, async (o) => {
      const pods = (await cluster.files.load({ kinds: [findKind('pods')!] })).snapshot.ofKind('Pod');
      const payments = pods.find((p) => p.metadata.name.startsWith('payments'));
      if (payments === undefined) throw new Error('the example has a payments pod');
      for (let i = 0; i < 10; i++) cluster.handlers?.onChange('MODIFIED', payments);
      o.observe(payments);
    });
    expect(incidents.filter((i) => i.pod?.name.startsWith('payments'))).toHaveLength(1);
    expect(observer.debounced).toBe(11);
    // Every pod of the list, the ten watch events and the direct call were judged.
    expect(seen).toBe(listed + 11);
  });

  it('retries a harvest whose read failed, and reports it failed only after the last attempt', async () => {
    const cluster = new ExampleCluster();
    cluster.failLoads = 1;
    const retried = await observe(cluster, () => undefined);
    expect(retried.incidents).toHaveLength(4);
    expect(retried.failed).toEqual([]);
  });

  it('watches only the namespaces it is given', async () => {
    const cluster = new ExampleCluster();
    const observer = new Observer({
      cluster,
      namespaces: ['shop', 'payments'],
      detect: new Set(['OOMKilled']),
      debounceTtlMs: 300_000,
      tailLines: 50,
      origin,
      onIncident: () => undefined,
    });
    const stop = new AbortController();
    const running = observer.run(stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 10));
    stop.abort();
    await running;
    expect(cluster.watched).toEqual(['shop', 'payments']);
    expect(cluster.loads).toEqual([]);
  });
});
