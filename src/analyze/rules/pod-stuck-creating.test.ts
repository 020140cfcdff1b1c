import { describe, expect, it } from 'vitest';
import { Coverage } from '../../core/coverage.js';
import type { KubeObject } from '../../core/kube-object.js';
import { Snapshot } from '../../core/snapshot.js';
import { buildGraph } from '../../graph/build-graph.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { podStuckCreating } from './pod-stuck-creating.js';

const deployment: KubeObject = {
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop', uid: 'd-1' },
};
const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  metadata: {
    name: 'api-6f8d9',
    namespace: 'shop',
    uid: 'rs-1',
    ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'd-1', controller: true }],
  },
};

interface PodOptions {
  readonly name?: string;
  readonly node?: string;
  readonly createdAt?: string;
  readonly volumes?: readonly object[];
  readonly status?: object;
}

/** A Deployment's pod, scheduled at creation, its container waiting in ContainerCreating. */
function apiPod({
  name = 'api-6f8d9-7xq2m',
  node = 'worker-2',
  createdAt = '2026-11-20T02:58:00Z',
  volumes = [],
  status,
}: PodOptions = {}): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'shop',
      uid: `uid-${name}`,
      creationTimestamp: createdAt,
      ownerReferences: [{ kind: 'ReplicaSet', name: 'api-6f8d9', uid: 'rs-1', controller: true }],
    },
    spec: {
      nodeName: node,
      containers: [{ name: 'api', image: 'registry.example.com/shop/api:1.4.2' }],
      volumes,
    },
    status: status ?? {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: createdAt },
        { type: 'Initialized', status: 'True', lastTransitionTime: createdAt },
        {
          type: 'Ready',
          status: 'False',
          reason: 'ContainersNotReady',
          message: 'containers with unready status: [api]',
          lastTransitionTime: createdAt,
        },
      ],
      containerStatuses: [
        {
          name: 'api',
          ready: false,
          restartCount: 0,
          started: false,
          image: 'registry.example.com/shop/api:1.4.2',
          imageID: '',
          state: { waiting: { reason: 'ContainerCreating' } },
          lastState: {},
        },
      ],
    },
  };
}

/** A Warning event about the pod, as core/v1 events carry it. */
function podEvent(
  reason: string,
  message: string,
  count: number,
  options: { pod?: string; source?: string } = {},
): KubeObject {
  const pod = options.pod ?? 'api-6f8d9-7xq2m';
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name: `${pod}.${reason.toLowerCase()}`, namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: pod, uid: `uid-${pod}` },
    type: 'Warning',
    reason,
    message,
    count,
    firstTimestamp: '2026-11-20T02:58:05Z',
    lastTimestamp: '2026-11-20T03:10:12Z',
    source: { component: options.source ?? 'kubelet', host: 'worker-2' },
  };
}

const configVolume = { name: 'config', configMap: { name: 'api-config' } };
const TIMED_OUT =
  'Unable to attach or mount volumes: unmounted volumes=[config], unattached volumes=[config kube-api-access-8xk2p], failed to process volumes=[]: timed out waiting for the condition';

describe('pod-stuck-creating', () => {
  it('leaves alone a running pod and a pod within its first two minutes', () => {
    const running = apiPod({
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'api', ready: true, state: { running: { startedAt: '2026-11-20T03:00:00Z' } } },
        ],
      },
    });
    const young = apiPod({ createdAt: '2026-11-20T03:10:30Z', volumes: [configVolume] });
    const mountFailure = podEvent(
      'FailedMount',
      'MountVolume.SetUp failed for volume "config" : configmap "api-config" not found',
      3,
    );
    for (const pod of [running, young]) {
      expect(podStuckCreating.detect(pod, contextOf([pod, mountFailure]))).toEqual([]);
    }
  });

  it('is still a finding past the grace when no event says why: a warning, citing what there is', () => {
    const quiet = apiPod();
    expect(podStuckCreating.detect(quiet, contextOf([quiet]))).toEqual([
      {
        ruleId: 'pod-stuck-creating',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message: 'pod has been in ContainerCreating for 14m: no event says why',
        evidence: [
          {
            source: 'status',
            text: 'containers api waiting in ContainerCreating since 2026-11-20T02:58:00Z (14m)',
          },
        ],
        fix: {
          summary: "read what the kubelet on node worker-2 reports about the pod: its events and the node's",
          commands: [
            'kubectl -n shop describe pod api-6f8d9-7xq2m',
            'kubectl -n shop get events --field-selector involvedObject.name=api-6f8d9-7xq2m',
          ],
        },
      },
    ]);
    const pulling: KubeObject = {
      ...podEvent('Pulling', 'Pulling image "registry.example.com/shop/api:1.4.2"', 1),
      type: 'Normal',
    };
    expect(podStuckCreating.detect(quiet, contextOf([quiet, pulling]))[0]?.message).toBe(
      'pod has been in ContainerCreating for 14m: no Warning event says why; the newest event: Pulling: Pulling image "registry.example.com/shop/api:1.4.2"',
    );
    const podsOnly = new Coverage();
    podsOnly.add('Pod');
    const capturedAt = new Date('2026-11-20T03:12:00Z');
    const snapshot = new Snapshot({ objects: [quiet], coverage: podsOnly, capturedAt });
    expect(
      podStuckCreating.detect(quiet, { snapshot, graph: buildGraph(snapshot), now: capturedAt })[0]?.message,
    ).toBe('pod has been in ContainerCreating for 14m: its events were not read, so nothing here says why');
    const [other] = podStuckCreating.detect(
      quiet,
      contextOf([quiet, pulling, podEvent('FailedPreStopHook', 'hook failed', 2)]),
    );
    expect(other?.message).toBe(
      'pod has been in ContainerCreating for 14m: Warning events FailedPreStopHook',
    );
    expect(other?.evidence[1]).toEqual({
      source: 'event',
      text: 'FailedPreStopHook (x2, last 2026-11-20T03:10:12Z): hook failed',
    });
  });

  it('names the ConfigMap volume that does not exist, with the kubelet’s events and counts', () => {
    const pod = apiPod({ volumes: [configVolume] });
    const objects = [
      deployment,
      replicaSet,
      pod,
      podEvent(
        'FailedMount',
        'MountVolume.SetUp failed for volume "config" : configmap "api-config" not found',
        7,
      ),
      {
        ...podEvent('FailedMount', TIMED_OUT, 5),
        metadata: { name: 'api-6f8d9-7xq2m.timeout', namespace: 'shop' },
      },
    ];
    expect(podStuckCreating.detect(pod, contextOf(objects))).toEqual([
      {
        ruleId: 'pod-stuck-creating',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message:
          'pod has been in ContainerCreating for 14m: its volume config needs ConfigMap api-config, which does not exist',
        evidence: [
          {
            source: 'status',
            text: 'containers api waiting in ContainerCreating since 2026-11-20T02:58:00Z (14m)',
          },
          {
            source: 'event',
            text: 'FailedMount (x7, last 2026-11-20T03:10:12Z): MountVolume.SetUp failed for volume "config" : configmap "api-config" not found',
          },
          { source: 'event', text: `FailedMount (x5, last 2026-11-20T03:10:12Z): ${TIMED_OUT}` },
          { source: 'graph', text: 'Pod/api-6f8d9-7xq2m volume:config → ConfigMap/api-config (not found)' },
        ],
        fix: {
          summary:
            'create ConfigMap api-config, or fix the reference; the kubelet mounts it once it exists (or mark the volume optional)',
          commands: ['kubectl -n shop create configmap api-config'],
        },
      },
    ]);
  });

  it('names the pod and node still holding a ReadWriteOnce volume during a rolling update', () => {
    const claimVolume = { name: 'data', persistentVolumeClaim: { claimName: 'api-data' } };
    const claim: KubeObject = {
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'api-data', namespace: 'shop' },
      spec: { accessModes: ['ReadWriteOnce'], volumeName: 'pvc-5b3c9e7a-1f0d-4e2b-8a51-0c6f2d9e4b17' },
      status: { phase: 'Bound' },
    };
    const old = apiPod({
      name: 'api-6f8d9-abcde',
      node: 'worker-1',
      createdAt: '2026-11-19T08:00:00Z',
      volumes: [claimVolume],
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'api', ready: true, state: { running: { startedAt: '2026-11-19T08:00:20Z' } } },
        ],
      },
    });
    const pod = apiPod({ volumes: [claimVolume] });
    const worker1: KubeObject = {
      kind: 'Node',
      metadata: { name: 'worker-1' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
    };
    const attach = podEvent(
      'FailedAttachVolume',
      'Multi-Attach error for volume "pvc-5b3c9e7a-1f0d-4e2b-8a51-0c6f2d9e4b17" Volume is already used by pod(s) api-6f8d9-abcde',
      1,
      { source: 'attachdetach-controller' },
    );
    const objects = [deployment, replicaSet, claim, old, pod, worker1, attach];
    expect(podStuckCreating.detect(pod, contextOf(objects))).toEqual([
      {
        ruleId: 'pod-stuck-creating',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message:
          'pod has been in ContainerCreating for 14m: volume pvc-5b3c9e7a-1f0d-4e2b-8a51-0c6f2d9e4b17 (claim api-data) is still attached to node worker-1 for pod api-6f8d9-abcde; a ReadWriteOnce volume attaches to one node at a time',
        evidence: [
          {
            source: 'status',
            text: 'containers api waiting in ContainerCreating since 2026-11-20T02:58:00Z (14m)',
          },
          {
            source: 'event',
            text: 'FailedAttachVolume (x1, last 2026-11-20T03:10:12Z): Multi-Attach error for volume "pvc-5b3c9e7a-1f0d-4e2b-8a51-0c6f2d9e4b17" Volume is already used by pod(s) api-6f8d9-abcde',
          },
          {
            source: 'status',
            resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-abcde' },
            text: 'pod api-6f8d9-abcde uses it on node worker-1 (Running)',
          },
        ],
        fix: {
          summary:
            'a rolling update starts the new pod before the old one lets go of the volume: give Deployment api the Recreate strategy, or run it as a StatefulSet with a claim per pod',
          commands: [
            `kubectl -n shop patch deployment api -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'`,
          ],
        },
      },
    ]);

    // The same volume held on a node that went down: it is only detached once the node is declared off.
    const down: KubeObject = {
      ...worker1,
      status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] },
    };
    const [finding] = podStuckCreating.detect(
      pod,
      contextOf([deployment, replicaSet, claim, old, pod, down, attach]),
    );
    expect(finding?.evidence.at(-1)).toEqual({
      source: 'status',
      resource: { kind: 'Node', name: 'worker-1' },
      text: 'Ready=Unknown NodeStatusUnknown',
    });
    expect(finding?.fix?.commands).toEqual([
      'kubectl taint nodes worker-1 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute  # only when the node is really off',
      'kubectl -n shop delete pod api-6f8d9-abcde --grace-period=0 --force  # only when the node is really off',
    ]);
  });

  it('blames the network plugin on the node for a sandbox it cannot create', () => {
    const pod = apiPod();
    const sandbox = podEvent(
      'FailedCreatePodSandBox',
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "4f1d7c2b9a0e": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized',
      9,
    );
    expect(podStuckCreating.detect(pod, contextOf([deployment, replicaSet, pod, sandbox]))).toEqual([
      {
        ruleId: 'pod-stuck-creating',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message:
          "pod has been in ContainerCreating for 14m: the network plugin (calico) on node worker-2 cannot set up the pod's network",
        evidence: [
          {
            source: 'status',
            text: 'containers api waiting in ContainerCreating since 2026-11-20T02:58:00Z (14m)',
          },
          {
            source: 'event',
            text: `FailedCreatePodSandBox (x9, last 2026-11-20T03:10:12Z): ${String(sandbox.message)}`,
          },
        ],
        fix: {
          summary:
            'the network plugin calico on node worker-2 fails: check its pod there and its logs (a crashed agent, an expired credential, a missing binary in /opt/cni/bin)',
          commands: [
            "kubectl get pods -A -o wide --field-selector spec.nodeName=worker-2  # the network plugin's pod here, and its state",
            'kubectl describe node worker-2',
          ],
        },
      },
    ]);
  });

  it('tells a CSI attach timeout, a missing Secret key and a CSI driver absent from the node apart', () => {
    const message = (event: KubeObject): string | undefined => {
      const pod = apiPod({
        volumes: [{ name: 'certs', secret: { secretName: 'api-tls', items: [{ key: 'ca.crt' }] } }],
      });
      return podStuckCreating
        .detect(pod, contextOf([pod, event]))[0]
        ?.message.split(': ')
        .slice(1)
        .join(': ');
    };
    expect(
      message(
        podEvent(
          'FailedAttachVolume',
          'AttachVolume.Attach failed for volume "pvc-0a1b2c3d" : timed out waiting for external-attacher of ebs.csi.aws.com CSI driver to attach volume vol-04c81a7d7f33cd986',
          3,
          { source: 'attachdetach-controller' },
        ),
      ),
    ).toBe('CSI driver ebs.csi.aws.com did not attach volume pvc-0a1b2c3d to node worker-2 in time');
    expect(
      message(
        podEvent(
          'FailedMount',
          'MountVolume.SetUp failed for volume "certs" : references non-existent secret key: ca.crt',
          6,
        ),
      ),
    ).toBe('its volume certs needs key ca.crt of Secret api-tls, which does not hold it');
    expect(
      message(
        podEvent(
          'FailedMount',
          'MountVolume.MountDevice failed for volume "pvc-0a1b2c3d" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name efs.csi.aws.com not found in the list of registered CSI drivers',
          4,
        ),
      ),
    ).toBe('CSI driver efs.csi.aws.com is not running on node worker-2, so the volume cannot be mounted');
  });
});
