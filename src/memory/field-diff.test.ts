import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { diffObjects } from './field-diff.js';
import { IGNORED_FIELDS } from './ignored-fields.js';
import { copy, getIn, realDeployment, realPod, setIn, written } from '../../test/support/memory-fixtures.js';

const CONTAINER = ['spec', 'template', 'spec', 'containers', 0];

/** metrics-server as captured, then edited the way `kubectl edit` writes: spec, and the server's bookkeeping. */
function editedMetricsServer(edit: (object: KubeObject) => void): { before: KubeObject; after: KubeObject } {
  const before = realDeployment('metrics-server');
  const after = copy(before);
  edit(after);
  setIn(after, ['metadata', 'generation'], 2);
  setIn(after, ['status', 'observedGeneration'], 2);
  setIn(after, ['status', 'conditions', 1, 'lastUpdateTime'], '2021-12-17T19:05:11Z');
  written(after, '9120', 'kube-controller-manager', '2021-12-17T19:05:11Z');
  return { before, after };
}

describe('diffObjects on a real Deployment', () => {
  it('shows a scale, an image bump and an env var added, and nothing of the server’s bookkeeping', () => {
    const { before, after } = editedMetricsServer((object) => {
      setIn(object, ['spec', 'replicas'], 3);
      setIn(object, [...CONTAINER, 'image'], 'k8s.gcr.io/metrics-server/metrics-server:v0.4.1');
      setIn(object, [...CONTAINER, 'env'], [{ name: 'DB_HOST', value: 'db.shop.svc' }]);
    });
    expect(diffObjects(before, after)).toEqual([
      { path: 'spec.replicas', op: 'changed', old: 1, new: 3 },
      {
        path: 'spec.template.spec.containers[metrics-server].env[DB_HOST]',
        op: 'added',
        new: { name: 'DB_HOST', value: 'db.shop.svc' },
      },
      {
        path: 'spec.template.spec.containers[metrics-server].image',
        op: 'changed',
        old: 'k8s.gcr.io/metrics-server/metrics-server:v0.3.7',
        new: 'k8s.gcr.io/metrics-server/metrics-server:v0.4.1',
      },
    ]);
  });

  it('gives nothing when only resourceVersion, generation, managedFields and heartbeats moved', () => {
    const { before, after } = editedMetricsServer(() => undefined);
    expect(diffObjects(before, after)).toEqual([]);
  });

  it('names list items by identity: a reorder is no change, an insert is one addition', () => {
    const before = realDeployment('coredns');
    const after = copy(before);
    const ports = getIn(after, [...CONTAINER, 'ports']) as unknown[];
    ports.reverse();
    const containers = getIn(after, ['spec', 'template', 'spec', 'containers']) as unknown[];
    containers.unshift({ name: 'sidecar', image: 'envoyproxy/envoy:v1.29.0' });
    expect(diffObjects(before, after)).toEqual([
      {
        path: 'spec.template.spec.containers[sidecar]',
        op: 'added',
        new: { name: 'sidecar', image: 'envoyproxy/envoy:v1.29.0' },
      },
    ]);
  });

  it('compares short lists of scalars as wholes', () => {
    const before = realDeployment('metrics-server');
    const after = copy(before);
    setIn(after, [...CONTAINER, 'args', 2], '--kubelet-preferred-address-types=InternalIP');
    expect(diffObjects(before, after)).toEqual([
      {
        path: 'spec.template.spec.containers[metrics-server].args',
        op: 'changed',
        old: ['--cert-dir=/tmp', '--secure-port=4443', '--kubelet-insecure-tls'],
        new: ['--cert-dir=/tmp', '--secure-port=4443', '--kubelet-preferred-address-types=InternalIP'],
      },
    ]);
  });

  it('shows resources appearing key by key', () => {
    const before = realDeployment('metrics-server');
    const after = copy(before);
    setIn(after, [...CONTAINER, 'resources'], { limits: { memory: '512Mi' }, requests: { cpu: '100m' } });
    expect(diffObjects(before, after)).toEqual([
      {
        path: 'spec.template.spec.containers[metrics-server].resources.limits.memory',
        op: 'added',
        new: '512Mi',
      },
      {
        path: 'spec.template.spec.containers[metrics-server].resources.requests.cpu',
        op: 'added',
        new: '100m',
      },
    ]);
  });

  it('leaves the last-applied annotation out: its content is the spec', () => {
    const before = realDeployment('metrics-server');
    const after = copy(before);
    const annotations = getIn(after, ['metadata', 'annotations']) as Record<string, string>;
    annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"apiVersion":"apps/v1"}';
    annotations['deployment.kubernetes.io/revision'] = '2';
    expect(diffObjects(before, after)).toEqual([
      {
        path: 'metadata.annotations["deployment.kubernetes.io/revision"]',
        op: 'changed',
        old: '1',
        new: '2',
      },
    ]);
  });

  it('is deterministic whatever order the keys were written in', () => {
    const { before, after } = editedMetricsServer((object) => {
      setIn(object, ['spec', 'replicas'], 2);
      setIn(object, ['metadata', 'labels', 'tier'], 'control-plane');
    });
    const reversed = (object: KubeObject): KubeObject => reverseKeys(object) as KubeObject;
    const diff = diffObjects(before, after);
    expect(diffObjects(reversed(before), reversed(after))).toEqual(diff);
    expect(diff.map((field) => field.path)).toEqual(['metadata.labels.tier', 'spec.replicas']);
  });

  it('records a created object whole, without churn; creationTimestamp stays only there', () => {
    const object = realDeployment('coredns');
    const fields = diffObjects(undefined, object);
    expect(fields.map((field) => [field.path, field.op])).toEqual([
      ['metadata', 'added'],
      ['spec', 'added'],
      ['status', 'added'],
    ]);
    const metadata = fields[0]?.new as Record<string, unknown>;
    expect(Object.keys(metadata).sort()).toEqual([
      'annotations',
      'creationTimestamp',
      'labels',
      'name',
      'namespace',
      'uid',
    ]);
    expect(JSON.stringify(fields)).not.toContain('observedGeneration');
    expect(diffObjects(object, undefined)).toEqual([]);
    const later = copy(object);
    setIn(later, ['metadata', 'creationTimestamp'], '2022-01-01T00:00:00Z');
    expect(diffObjects(object, later)).toEqual([]);
  });
});

describe('diffObjects on a real Pod', () => {
  it('follows a crash-looping container coming up: state, readiness, restarts, conditions', () => {
    const before = realPod('troubleshoot_crashloop-exit127-containercannotrun_podlist.json');
    const after = copy(before);
    const status = ['status', 'containerStatuses', 0];
    setIn(after, [...status, 'state'], { running: { startedAt: '2023-07-11T03:35:02Z' } });
    setIn(after, [...status, 'ready'], true);
    setIn(after, [...status, 'started'], true);
    setIn(after, [...status, 'restartCount'], 5);
    for (const index of [1, 2]) {
      setIn(after, ['status', 'conditions', index, 'status'], 'True');
      setIn(after, ['status', 'conditions', index, 'lastTransitionTime'], '2023-07-11T03:35:03Z');
      setIn(after, ['status', 'conditions', index, 'reason'], undefined);
      setIn(after, ['status', 'conditions', index, 'message'], undefined);
    }
    written(after, '981602', 'kubelet', '2023-07-11T03:35:03Z');
    const c = 'status.containerStatuses[nginx]';
    const notReady = 'containers with unready status: [nginx]';
    expect(diffObjects(before, after)).toEqual([
      ...['Ready', 'ContainersReady'].flatMap((type) => [
        {
          path: `status.conditions[${type}].lastTransitionTime`,
          op: 'changed',
          old: '2023-07-11T03:31:41Z',
          new: '2023-07-11T03:35:03Z',
        },
        { path: `status.conditions[${type}].message`, op: 'removed', old: notReady },
        { path: `status.conditions[${type}].reason`, op: 'removed', old: 'ContainersNotReady' },
        { path: `status.conditions[${type}].status`, op: 'changed', old: 'False', new: 'True' },
      ]),
      { path: `${c}.ready`, op: 'changed', old: false, new: true },
      { path: `${c}.restartCount`, op: 'changed', old: 4, new: 5 },
      { path: `${c}.started`, op: 'changed', old: false, new: true },
      { path: `${c}.state.running`, op: 'added', new: { startedAt: '2023-07-11T03:35:02Z' } },
      {
        path: `${c}.state.waiting`,
        op: 'removed',
        old: {
          reason: 'CrashLoopBackOff',
          message:
            'back-off 1m20s restarting failed container=nginx pod=init-demo_default(8d27f35a-4b45-4752-a5db-7985ea8b38bf)',
        },
      },
    ]);
  });

  it('keys unnamed ports by number and protocol, volume mounts by path, tolerations by key and effect', () => {
    const before = realPod('troubleshoot_crashloop-exit127-containercannotrun_podlist.json');
    const after = copy(before);
    (getIn(after, ['spec', 'containers', 0, 'ports']) as unknown[]).unshift({
      containerPort: 9090,
      protocol: 'TCP',
    });
    (getIn(after, ['spec', 'containers', 0, 'volumeMounts']) as unknown[]).push({
      name: 'cache',
      mountPath: '/cache',
    });
    setIn(after, ['spec', 'tolerations', 1, 'tolerationSeconds'], 60);
    expect(diffObjects(before, after)).toEqual([
      {
        path: 'spec.containers[nginx].ports[9090/TCP]',
        op: 'added',
        new: { containerPort: 9090, protocol: 'TCP' },
      },
      {
        path: 'spec.containers[nginx].volumeMounts[/cache]',
        op: 'added',
        new: { name: 'cache', mountPath: '/cache' },
      },
      {
        path: 'spec.tolerations[node.kubernetes.io/unreachable:NoExecute].tolerationSeconds',
        op: 'changed',
        old: 300,
        new: 60,
      },
    ]);
  });
});

// A node as `kubectl get node -o json` shows it (trimmed to what the tests move).
const node = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'worker-1', uid: '5c1e7d0a-3b9b-4c6e-8f59-2f4f3c1d9a10', resourceVersion: '77120' },
  spec: { podCIDR: '10.244.1.0/24', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
  status: {
    conditions: [
      {
        type: 'MemoryPressure',
        status: 'False',
        lastHeartbeatTime: '2026-11-20T02:58:11Z',
        lastTransitionTime: '2026-11-19T10:00:00Z',
        reason: 'KubeletHasSufficientMemory',
        message: 'kubelet has sufficient memory available',
      },
      {
        type: 'Ready',
        status: 'True',
        lastHeartbeatTime: '2026-11-20T02:58:11Z',
        lastTransitionTime: '2026-11-19T10:00:00Z',
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status',
      },
    ],
    images: [{ names: ['registry.k8s.io/pause:3.9'], sizeBytes: 321520 }],
  },
});

describe('diffObjects: churn', () => {
  it('ignores node heartbeats and the image cache, but not a condition that flips', () => {
    const before = node();
    const heartbeat = copy(before);
    setIn(heartbeat, ['metadata', 'resourceVersion'], '77190');
    setIn(heartbeat, ['status', 'conditions', 0, 'lastHeartbeatTime'], '2026-11-20T02:59:12Z');
    setIn(heartbeat, ['status', 'conditions', 1, 'lastHeartbeatTime'], '2026-11-20T02:59:12Z');
    setIn(heartbeat, ['status', 'images', 1], { names: ['nginx:1.25'], sizeBytes: 70_000_000 });
    expect(diffObjects(before, heartbeat)).toEqual([]);

    const lost = copy(heartbeat);
    setIn(lost, ['status', 'conditions', 1], {
      type: 'Ready',
      status: 'Unknown',
      lastHeartbeatTime: '2026-11-20T02:59:12Z',
      lastTransitionTime: '2026-11-20T03:00:53Z',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(diffObjects(heartbeat, lost)).toEqual([
      {
        path: 'status.conditions[Ready].lastTransitionTime',
        op: 'changed',
        old: '2026-11-19T10:00:00Z',
        new: '2026-11-20T03:00:53Z',
      },
      {
        path: 'status.conditions[Ready].message',
        op: 'changed',
        old: 'kubelet is posting ready status',
        new: 'Kubelet stopped posting node status.',
      },
      {
        path: 'status.conditions[Ready].reason',
        op: 'changed',
        old: 'KubeletReady',
        new: 'NodeStatusUnknown',
      },
      { path: 'status.conditions[Ready].status', op: 'changed', old: 'True', new: 'Unknown' },
    ]);
  });

  it('keys taints by key and effect', () => {
    const before = node();
    const after = copy(before);
    setIn(after, ['spec', 'unschedulable'], true);
    (getIn(after, ['spec', 'taints']) as unknown[]).unshift({
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
      timeAdded: '2026-11-20T03:01:00Z',
    });
    expect(diffObjects(before, after)).toEqual([
      {
        path: 'spec.taints[node.kubernetes.io/unschedulable:NoSchedule]',
        op: 'added',
        new: {
          key: 'node.kubernetes.io/unschedulable',
          effect: 'NoSchedule',
          timeAdded: '2026-11-20T03:01:00Z',
        },
      },
      { path: 'spec.unschedulable', op: 'added', new: true },
    ]);
  });

  it('ignores a Lease renewing and gives Events no diff at all', () => {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'worker-1', namespace: 'kube-node-lease', resourceVersion: '5521' },
      spec: {
        holderIdentity: 'worker-1',
        leaseDurationSeconds: 40,
        renewTime: '2026-11-20T02:58:11.120000Z',
      },
    };
    const renewed = copy(lease);
    setIn(renewed, ['spec', 'renewTime'], '2026-11-20T02:58:21.180000Z');
    setIn(renewed, ['metadata', 'resourceVersion'], '5530');
    expect(diffObjects(lease, renewed)).toEqual([]);

    const event: KubeObject = {
      kind: 'Event',
      metadata: { name: 'api-0.17a9', namespace: 'shop' },
      count: 4,
      reason: 'BackOff',
    };
    const repeated = copy(event);
    setIn(repeated, ['count'], 5);
    expect(diffObjects(event, repeated)).toEqual([]);
    expect(diffObjects(undefined, event)).toEqual([]);
  });

  it('gives every ignored field a reason', () => {
    for (const rule of IGNORED_FIELDS) expect(rule.why.length, rule.path.join('.')).toBeGreaterThan(20);
  });
});

describe('diffObjects on a ConfigMap', () => {
  const configMap = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'api-config', namespace: 'shop', uid: 'cm-1', resourceVersion: '48100' },
    data: { CACHE_SIZE: '512', LOG_LEVEL: 'info', 'nginx.conf': 'server {\n  listen 80;\n}\n' },
    binaryData: { 'logo.png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk' },
  });

  it('shows keys changed, added and removed, labels appearing key by key, and binaryData only as digests', () => {
    const before = configMap();
    const after = copy(before);
    setIn(after, ['data', 'CACHE_SIZE'], 'unlimited');
    setIn(after, ['data', 'LOG_LEVEL'], undefined);
    setIn(after, ['data', 'FEATURE_X'], 'on');
    setIn(after, ['binaryData', 'logo.png'], 'R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=');
    setIn(after, ['metadata', 'labels'], { app: 'api' });
    const fields = diffObjects(before, after);
    expect(fields).toEqual([
      {
        path: 'binaryData["logo.png"]',
        op: 'changed',
        old: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) as unknown,
        new: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) as unknown,
      },
      { path: 'data.CACHE_SIZE', op: 'changed', old: '512', new: 'unlimited' },
      { path: 'data.FEATURE_X', op: 'added', new: 'on' },
      { path: 'data.LOG_LEVEL', op: 'removed', old: 'info' },
      { path: 'metadata.labels.app', op: 'added', new: 'api' },
    ]);
    expect(JSON.stringify(fields)).not.toContain('iVBOR');
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item)]),
  );
}
