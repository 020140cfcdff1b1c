import { describe, expect, it } from 'vitest';
import type { Change, FieldChange } from '../core/change.js';
import { aspectsOf, fitOf } from './change-fit.js';

const change = (
  kind: string,
  fields: readonly FieldChange[],
  action: Change['action'] = 'modified',
): Change => ({
  at: '2026-11-20T03:02:10.000Z',
  object: { kind, namespace: 'shop', name: 'x' },
  action,
  fields,
  summary: [],
});
const names = (c: Change) =>
  aspectsOf(c).map((a) => (a.container === undefined ? a.name : `${a.name}@${a.container}`));

describe('aspectsOf', () => {
  it('reads what a pod template change did, container by container', () => {
    const at = (path: string, old: unknown, value: unknown): FieldChange => ({
      path: `spec.template.spec.${path}`,
      op: 'changed',
      old: old as never,
      new: value as never,
    });
    expect(
      names(
        change('Deployment', [
          at('containers[api].image', 'api:1', 'api:2'),
          at('containers[api].env[DB_HOST].value', 'db', 'db2'),
          at('containers[api].resources.limits.memory', '256Mi', '64Mi'),
          at('containers[api].resources.requests.cpu', '100m', '2'),
          at('containers[api].readinessProbe.httpGet.path', '/healthz', '/ready'),
          at('initContainers[migrate].command', ['a'], ['b']),
          at('dnsPolicy', 'ClusterFirst', 'Default'),
          at('nodeSelector.pool', 'a', 'b'),
          { path: 'spec.replicas', op: 'changed', old: 3, new: 0 },
        ]),
      ),
    ).toEqual([
      'image@api',
      'env@api',
      'memory-limit@api',
      'requests@api',
      'readiness-probe@api',
      'command@migrate',
      'dns',
      'placement',
      'scaled-to-zero',
    ]);
  });

  it('finds nothing in metadata, status, a rollout restart, a raised quota or a taint the control plane sets', () => {
    expect(
      aspectsOf(
        change('Deployment', [
          {
            path: 'metadata.annotations["deployment.kubernetes.io/revision"]',
            op: 'changed',
            old: '6',
            new: '7',
          },
          { path: 'metadata.labels.team', op: 'added', new: 'cart' },
          { path: 'status.readyReplicas', op: 'changed', old: 3, new: 0 },
          {
            path: 'spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]',
            op: 'added',
            new: '2026-11-20T03:02:00Z',
          },
        ]),
      ),
    ).toEqual([]);
    expect(
      aspectsOf(change('ResourceQuota', [{ path: 'spec.hard.pods', op: 'changed', old: '10', new: '20' }])),
    ).toEqual([]);
    expect(
      aspectsOf(
        change('Node', [
          {
            path: 'spec.taints["node.kubernetes.io/unreachable:NoExecute"]',
            op: 'added',
            new: { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
          },
          { path: 'spec.unschedulable', op: 'removed', old: true },
        ]),
      ),
    ).toEqual([]);
  });

  it('reads a node tainted, cordoned or relabelled, and objects created or deleted that break what uses them', () => {
    expect(
      names(
        change('Node', [
          { path: 'metadata.labels.pool', op: 'changed', old: 'gpu', new: 'cpu' },
          {
            path: 'spec.taints[dedicated:NoSchedule]',
            op: 'added',
            new: { key: 'dedicated', effect: 'NoSchedule' },
          },
          { path: 'spec.unschedulable', op: 'added', new: true },
        ]),
      ),
    ).toEqual(['node-labels', 'taint', 'cordon']);
    expect(names(change('NetworkPolicy', [], 'added'))).toEqual(['network-policy']);
    expect(names(change('Deployment', [], 'added'))).toEqual([]);
    expect(names(change('ConfigMap', [], 'deleted'))).toEqual(['deleted-config']);
    expect(names(change('NetworkPolicy', [], 'deleted'))).toEqual([]);
  });
});

describe('fitOf', () => {
  it('weighs how well a kind of change explains a way of failing', () => {
    expect(fitOf('image', 'image')).toBe(1);
    expect(fitOf('memory-limit', 'oom')).toBe(1);
    expect(fitOf('taint', 'pending-taint')).toBe(1);
    expect(fitOf('scaled-to-zero', 'caller')).toBe(1);
    expect(fitOf('taint', 'crash')).toBe(0);
    expect(fitOf('readiness-probe', 'oom')).toBe(0);
  });
});
