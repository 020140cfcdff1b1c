import { describe, expect, it } from 'vitest';
import { Coverage } from './coverage.js';
import type { KubeObject } from './kube-object.js';
import { Snapshot } from './snapshot.js';

const pod = (
  name: string,
  namespace: string,
  labels: Record<string, string>,
  owner?: string,
): KubeObject => ({
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    uid: `uid-${namespace}-${name}`,
    labels,
    ...(owner === undefined
      ? {}
      : { ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true }] }),
  },
});

describe('Snapshot', () => {
  const coverage = new Coverage();
  coverage.add('Pod', 'a');
  coverage.add('Node');
  const snapshot = new Snapshot({
    objects: [
      pod('p1', 'a', { app: 'web' }, 'rs-uid'),
      pod('p2', 'a', { app: 'web', tier: 'front' }, 'rs-uid'),
      pod('p3', 'b', { app: 'web' }),
      { kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'a', uid: 'rs-uid' } },
      { kind: 'Node', metadata: { name: 'n1' } },
      { ...pod('p3', 'b', { app: 'api' }), spec: { replaced: true } },
      {
        kind: 'Event',
        metadata: { name: 'e1', namespace: 'a' },
        involvedObject: { kind: 'Pod', name: 'p1' },
        reason: 'BackOff',
        type: 'Warning',
      },
    ],
    logs: [
      { namespace: 'a', pod: 'p1', container: 'c', previous: false, text: 'now' },
      { namespace: 'a', pod: 'p1', container: 'c', previous: true, text: 'before the crash' },
    ],
    coverage,
    capturedAt: new Date('2026-11-20T00:00:00Z'),
  });

  it('indexes by kind, namespace, reference, uid, owner and label', () => {
    expect(snapshot.size).toBe(6);
    expect(snapshot.ofKind('Pod').map((p) => p.metadata.name)).toEqual(['p1', 'p2', 'p3']);
    expect(snapshot.ofKind('Pod', 'a').map((p) => p.metadata.name)).toEqual(['p1', 'p2']);
    expect(snapshot.get({ kind: 'Node', name: 'n1' })?.metadata.name).toBe('n1');
    expect(snapshot.get({ kind: 'Pod', namespace: 'a', name: 'nope' })).toBeUndefined();
    expect(snapshot.byUid('rs-uid')?.kind).toBe('ReplicaSet');
    expect(snapshot.ownedBy('rs-uid').map((p) => p.metadata.name)).toEqual(['p1', 'p2']);
    expect(snapshot.withLabel('Pod', 'a', 'app', 'web').map((p) => p.metadata.name)).toEqual(['p1', 'p2']);
    expect(snapshot.withLabel('Pod', 'a', 'tier', 'front').map((p) => p.metadata.name)).toEqual(['p2']);
  });

  it('keeps the later of two copies of one object', () => {
    expect(snapshot.get({ kind: 'Pod', namespace: 'b', name: 'p3' })).toMatchObject({
      spec: { replaced: true },
      metadata: { labels: { app: 'api' } },
    });
    expect(snapshot.withLabel('Pod', 'b', 'app', 'web')).toEqual([]);
  });

  it('normalises events once and tells current from previous logs', () => {
    expect(snapshot.events()).toBe(snapshot.events());
    expect(snapshot.events().map((e) => [e.reason, e.involved.namespace])).toEqual([['BackOff', 'a']]);
    expect(snapshot.log('a', 'p1', 'c', false)?.text).toBe('now');
    expect(snapshot.log('a', 'p1', 'c', true)?.text).toBe('before the crash');
    expect(snapshot.log('a', 'p1', 'other', false)).toBeUndefined();
  });

  it('says where a kind was read', () => {
    expect(snapshot.coverage.covers('Pod', 'a')).toBe(true);
    expect(snapshot.coverage.covers('Pod', 'b')).toBe(false);
    expect(snapshot.coverage.covers('Node', undefined)).toBe(true);
    expect(snapshot.coverage.covers('Node', 'any')).toBe(true);
    expect(snapshot.coverage.covers('ConfigMap', 'a')).toBe(false);
  });
});
