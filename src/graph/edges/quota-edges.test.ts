import { describe, expect, it } from 'vitest';
import { Coverage } from '../../core/coverage.js';
import type { KubeObject } from '../../core/kube-object.js';
import { Snapshot } from '../../core/snapshot.js';
import { buildGraph } from '../build-graph.js';
import { contextOf } from '../../../test/support/analyzer-context.js';

const REFUSAL =
  'pods "worker-5d8f7c9b6-q7xkz" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=4, limited: pods=4';

const replicaSet = (name: string, conditions: unknown[] = []): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'batch', uid: `uid-${name}` },
  status: { replicas: 0, conditions },
});
const quota = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace: 'batch' },
  status: { hard: { pods: '4' }, used: { pods: '4' } },
});
const failedCreate = (about: string, message: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: `${about}.1`, namespace: 'batch' },
  involvedObject: { kind: 'ReplicaSet', namespace: 'batch', name: about, apiVersion: 'apps/v1' },
  reason: 'FailedCreate',
  type: 'Warning',
  message: `Error creating: ${message}`,
});

function limitedBy(objects: readonly KubeObject[]): string[] {
  const { graph } = contextOf(objects);
  return [...graph.edges()].filter((e) => e.kind === 'limited-by').map((e) => `${e.from} → ${e.to}`);
}

describe('quota edges', () => {
  it('link a controller to the quota its ReplicaFailure condition or FailedCreate events name', () => {
    const byCondition = replicaSet('a', [
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: REFUSAL },
    ]);
    const byEvent = replicaSet('b');
    expect(
      limitedBy([byCondition, byEvent, failedCreate('b', REFUSAL), quota('pods'), quota('other')]),
    ).toEqual([
      'ReplicaSet/batch/a → ResourceQuota/batch/pods',
      'ReplicaSet/batch/b → ResourceQuota/batch/pods',
    ]);
  });

  it('link nothing for a quota that refused nothing, or a refusal of another kind', () => {
    const webhook = 'admission webhook "policy.example.com" denied the request: no root';
    expect(limitedBy([replicaSet('a'), failedCreate('a', webhook), quota('pods')])).toEqual([]);
  });

  it('read a 1 MB hostile refusal message in linear time', () => {
    // A long run the name pattern can match and must then back out of, repeated.
    const hostile = `exceeded quota: ${'a-'.repeat(250_000)}! `.repeat(2);
    const rs = replicaSet('a', [{ type: 'ReplicaFailure', status: 'True', message: hostile }]);
    const started = performance.now();
    expect(limitedBy([rs])).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('make a named quota missing where quotas were read, and unknown where they were not', () => {
    const rs = replicaSet('a', [{ type: 'ReplicaFailure', status: 'True', message: REFUSAL }]);
    expect(contextOf([rs]).graph.nodeByKey('ResourceQuota/batch/pods')?.presence).toBe('missing');
    const coverage = new Coverage();
    coverage.add('ReplicaSet');
    const unread = buildGraph(new Snapshot({ objects: [rs], coverage, capturedAt: new Date(0) }));
    expect(unread.nodeByKey('ResourceQuota/batch/pods')?.presence).toBe('unknown');
  });
});
