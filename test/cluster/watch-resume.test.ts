/**
 * A watch that outlives its resourceVersion: on the real API server (watch cache off, history
 * compacted every second), `events -w`'s follower must get 410 Gone, relist, and report every event
 * created while it was disconnected, and none twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../src/core/event-record.js';
import { createHttpTransport } from '../../src/kube/live/http-transport.js';
import { loadKubeConfig } from '../../src/kube/live/kubeconfig.js';
import { LiveSource } from '../../src/kube/live/live-source.js';
import type { KubeTransport } from '../../src/kube/live/transport.js';
import { startCluster, type RunningCluster } from './harness.ts';

const NS = 'default';
let cluster: RunningCluster;

beforeAll(async () => {
  // Its own control plane: the shared one keeps the watch cache on, which serves old versions for a while.
  cluster = await startCluster({
    watchCache: false,
    apiserverCompactionInterval: '1s',
    kubeletEvents: false,
  });
});

afterAll(async () => {
  await cluster.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function createEvent(name: string, reason: string): Promise<void> {
  const now = new Date().toISOString();
  const response = await cluster.admin.request('POST', `/api/v1/namespaces/${NS}/events`, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { kind: 'Pod', namespace: NS, name: 'api-0' },
    reason,
    message: `${reason} happened`,
    type: 'Warning',
    count: 1,
    firstTimestamp: now,
    lastTimestamp: now,
    source: { component: 'test' },
  });
  if (response.status >= 300) throw new Error(`event ${name}: ${String(response.status)} ${response.text}`);
}

describe('following events across a compacted resourceVersion', () => {
  it('gets 410 Gone, relists, and reports what happened in the gap exactly once', async () => {
    await createEvent('before', 'AlreadyThere');
    const inner = await createHttpTransport(loadKubeConfig({ kubeconfig: cluster.kubeconfigAdmin }), {
      timeoutMs: 20_000,
      maxSockets: 4,
    });
    const watchLines: string[] = [];
    let watches = 0;
    let gapDone: () => void = () => undefined;
    const gap = new Promise<void>((resolve) => (gapDone = resolve));
    // The first watch is dropped after its first event, and reconnects only after the gap, by
    // which time its resourceVersion has been compacted away.
    const transport: KubeTransport = {
      ...inner,
      server: inner.server,
      async streamLines(path, query, onLine, signal) {
        watches++;
        if (watches > 1)
          return inner.streamLines(
            path,
            query,
            (line) => {
              watchLines.push(line);
              onLine(line);
            },
            signal,
          );
        const dropped = new AbortController();
        signal.addEventListener(
          'abort',
          () => {
            dropped.abort();
          },
          { once: true },
        );
        await inner.streamLines(
          path,
          query,
          (line) => {
            watchLines.push(line);
            onLine(line);
            dropped.abort();
          },
          dropped.signal,
        );
        await gap;
      },
    };
    const source = new LiveSource({ transport, defaultNamespace: NS });
    const controller = new AbortController();
    const reported: EventRecord[] = [];
    const following = source.followEvents({
      namespace: NS,
      signal: controller.signal,
      onEvent: (event) => {
        reported.push(event);
        if (event.reason === 'AfterTheGap') controller.abort();
      },
    });
    await sleep(1500);
    await createEvent('first', 'Watched');
    await sleep(1000);
    // Disconnected now. These happen in the gap; then history is compacted past them.
    await createEvent('gap-1', 'MissedOne');
    await createEvent('gap-2', 'MissedTwo');
    await sleep(6000);
    gapDone();
    await sleep(2000);
    await createEvent('after', 'AfterTheGap');
    await Promise.race([
      following,
      sleep(30_000).then(() => {
        controller.abort();
      }),
    ]);
    source.close();

    expect(watchLines.some((line) => line.includes('"type":"ERROR"') && line.includes('"code":410'))).toBe(
      true,
    );
    // Only this test's events (the node controller writes its own into `default` too).
    expect(reported.filter((event) => event.source === 'test').map((event) => event.reason)).toEqual([
      'Watched',
      'MissedOne',
      'MissedTwo',
      'AfterTheGap',
    ]);
  });
});
