/**
 * Chaos experiments as their projects ship them (test/fixtures/realdata/chaos, see SOURCES.md),
 * created in a namespace as `kubectl apply -n NS` creates them, and the pods they select.
 */
import { parse } from 'yaml';
import type { KubeObject } from '../../src/core/kube-object.js';
import { realdataText } from './realdata.js';

/** When the experiments of these tests were created: an hour before the tests' moment (03:12). */
export const CREATED = '2026-11-20T02:12:00Z';

/**
 * One vendored manifest (`chaos-mesh_pod-failure-example.yaml`) as the API server holds it after
 * `kubectl apply -n namespace`: namespace, uid and creation time set, and `change` applied to it.
 */
export function chaosManifest(
  file: string,
  namespace: string,
  change: (object: Record<string, unknown> & KubeObject) => void = () => undefined,
): KubeObject {
  const object = parse(realdataText(`chaos/${file}`)) as Record<string, unknown> & KubeObject;
  const metadata = object.metadata as unknown as Record<string, unknown>;
  metadata['namespace'] = namespace;
  metadata['uid'] ??= `uid-${object.metadata.name}`;
  metadata['creationTimestamp'] ??= CREATED;
  change(object);
  return object;
}

/** The pods a three-replica Deployment makes: `name-7d9f8c6b5-x…`, its ReplicaSet and the Deployment. */
export function deploymentWithPods(
  namespace: string,
  name: string,
  labels: Readonly<Record<string, string>>,
  podStatus: (index: number) => object = () => runningStatus(),
  replicas = 3,
): KubeObject[] {
  const rs = `${name}-7d9f8c6b5`;
  const pods = Array.from({ length: replicas }, (_, index) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${rs}-${'abcdefgh'[index] ?? 'z'}${String(index)}x9q`,
      namespace,
      uid: `uid-${name}-pod-${String(index)}`,
      labels: { ...labels, 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `uid-${rs}`, controller: true },
      ],
    },
    spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: `registry.example.com/${name}:1.0` }] },
    status: podStatus(index),
  }));
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, uid: `uid-${name}`, labels },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels } } },
      status: { replicas, readyReplicas: 0 },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rs,
        namespace,
        uid: `uid-${rs}`,
        labels,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `uid-${name}`, controller: true },
        ],
      },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels } } },
      status: { replicas, readyReplicas: 0 },
    },
    ...pods,
  ];
}

/** A running, ready pod's status. */
export function runningStatus(): object {
  return {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'app',
        ready: true,
        restartCount: 0,
        state: { running: { startedAt: '2026-11-19T10:00:00Z' } },
      },
    ],
  };
}

/** A container crash-looping as the kubelet reports it, its last exit after the experiment began. */
export function crashLoopStatus(restarts = 4): object {
  return {
    phase: 'Running',
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'ContainersNotReady',
        lastTransitionTime: '2026-11-20T03:10:02Z',
      },
    ],
    containerStatuses: [
      {
        name: 'app',
        ready: false,
        restartCount: restarts,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 1m20s restarting failed container=app',
          },
        },
        lastState: {
          terminated: {
            exitCode: 137,
            reason: 'Error',
            startedAt: '2026-11-20T03:09:40Z',
            finishedAt: '2026-11-20T03:10:02Z',
          },
        },
      },
    ],
  };
}
