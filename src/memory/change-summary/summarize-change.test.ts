import { describe, expect, it } from 'vitest';
import type { FieldChange } from '../../core/change.js';
import type { KubeObject } from '../../core/kube-object.js';
import { diffObjects } from '../field-diff.js';
import { copy, getIn, realDeployment, realPod, setIn } from '../../../test/support/memory-fixtures.js';
import { summarizeChange } from './summarize-change.js';

const TEMPLATE_SPEC = ['spec', 'template', 'spec'];
const CONTAINER = [...TEMPLATE_SPEC, 'containers', 0];
const CRASHLOOP = 'troubleshoot_crashloop-exit127-containercannotrun_podlist.json';
const OOM = 'troubleshoot_oomkilled-job-pod_podlist.json';
const INIT_CRASHLOOP = 'insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json';

/** The summary of the change from `before` to `before` as `edit` leaves it. */
function summaryOf(before: KubeObject, edit: (after: KubeObject) => void): string[] {
  const after = copy(before);
  edit(after);
  return summarizeChange({
    kind: before.kind,
    action: 'modified',
    fields: diffObjects(before, after),
    before,
    after,
  });
}

describe('summarizeChange: workloads', () => {
  it('tells a scale, an image bump, an env var and a memory limit on the real metrics-server', () => {
    const before = copy(realDeployment('metrics-server'));
    setIn(before, [...CONTAINER, 'resources'], { limits: { memory: '256Mi' } });
    expect(
      summaryOf(before, (after) => {
        setIn(after, ['spec', 'replicas'], 3);
        setIn(after, [...CONTAINER, 'image'], 'k8s.gcr.io/metrics-server/metrics-server:v0.4.1');
        setIn(after, [...CONTAINER, 'env'], [{ name: 'DB_HOST', value: 'db.shop.svc' }]);
        setIn(after, [...CONTAINER, 'resources', 'limits', 'memory'], '512Mi');
      }),
    ).toEqual([
      'scaled 1→3',
      'env DB_HOST added',
      'image k8s.gcr.io/metrics-server/metrics-server:v0.3.7→k8s.gcr.io/metrics-server/metrics-server:v0.4.1',
      'resources.limits.memory of metrics-server: 256Mi→512Mi',
    ]);
  });

  it('says which container when there are several, and tells env values and removals', () => {
    const before = copy(realDeployment('coredns'));
    setIn(before, [...TEMPLATE_SPEC, 'containers', 1], {
      name: 'sidecar',
      image: 'envoyproxy/envoy:v1.29.0',
      env: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'OLD_FLAG', value: '1' },
      ],
    });
    expect(
      summaryOf(before, (after) => {
        setIn(after, [...CONTAINER, 'image'], 'k8s.gcr.io/coredns:1.8.0');
        setIn(after, [...TEMPLATE_SPEC, 'containers', 1, 'env'], [{ name: 'LOG_LEVEL', value: 'debug' }]);
      }),
    ).toEqual([
      'image of coredns: k8s.gcr.io/coredns:1.7.0→k8s.gcr.io/coredns:1.8.0',
      'env LOG_LEVEL of sidecar: info→debug',
      'env OLD_FLAG of sidecar removed',
    ]);
  });

  it('tells a rollout restart, a new revision and a container added', () => {
    const before = realDeployment('coredns');
    expect(
      summaryOf(before, (after) => {
        setIn(after, ['metadata', 'annotations', 'deployment.kubernetes.io/revision'], '2');
        setIn(after, ['spec', 'template', 'metadata', 'annotations'], {
          'kubectl.kubernetes.io/restartedAt': '2026-11-20T03:04:05Z',
        });
        (getIn(after, [...TEMPLATE_SPEC, 'containers']) as unknown[]).push({
          name: 'sidecar',
          image: 'envoy',
        });
      }),
    ).toEqual(['revision 1→2', 'rollout restart', 'container sidecar added']);
  });

  it('tells a label and a selector change as a person would write them', () => {
    const before = realDeployment('metrics-server');
    expect(
      summaryOf(before, (after) => {
        setIn(after, ['metadata', 'labels', 'k8s-app'], 'metrics');
        setIn(after, ['spec', 'selector', 'matchLabels', 'k8s-app'], 'metrics');
        setIn(after, ['spec', 'template', 'metadata', 'labels', 'k8s-app'], 'metrics');
      }),
    ).toEqual([
      'label k8s-app: metrics-server→metrics',
      'selector k8s-app=metrics-server→k8s-app=metrics',
      'pod template label k8s-app: metrics-server→metrics',
    ]);
    const service: KubeObject = {
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    expect(summaryOf(service, (after) => setIn(after, ['spec', 'selector', 'app'], 'webapp'))).toEqual([
      'selector app=web→app=webapp',
    ]);
  });

  it('tells the ready count of a rollout and folds the other counters into it', () => {
    const before = realDeployment('metrics-server');
    expect(
      summaryOf(before, (after) => {
        setIn(after, ['status', 'readyReplicas'], 2);
        setIn(after, ['status', 'availableReplicas'], 2);
        setIn(after, ['status', 'updatedReplicas'], 2);
      }),
    ).toEqual(['ready replicas 1→2']);
    // Deployments drop readyReplicas at zero: that is 0, not a field removed.
    expect(summaryOf(before, (after) => setIn(after, ['status', 'readyReplicas'], undefined))).toEqual([
      'ready replicas 1→0',
    ]);
  });

  it('spells out a field or two it has no words for, and lists the paths of more', () => {
    const before = realDeployment('metrics-server');
    expect(
      summaryOf(before, (after) => {
        setIn(after, [...CONTAINER, 'imagePullPolicy'], 'Always');
        setIn(after, ['spec', 'progressDeadlineSeconds'], 900);
      }),
    ).toEqual([
      'spec.progressDeadlineSeconds: 600→900',
      'spec.template.spec.containers[metrics-server].imagePullPolicy: IfNotPresent→Always',
    ]);
    expect(
      summaryOf(before, (after) => {
        setIn(after, ['spec', 'replicas'], 2);
        setIn(after, ['spec', 'revisionHistoryLimit'], 3);
        setIn(after, ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], 1);
        setIn(after, ['spec', 'strategy', 'rollingUpdate', 'maxUnavailable'], 0);
        setIn(after, [...TEMPLATE_SPEC, 'terminationGracePeriodSeconds'], 60);
      }),
    ).toEqual([
      'scaled 1→2',
      '4 other fields changed: spec.revisionHistoryLimit, spec.strategy.rollingUpdate.maxSurge, spec.strategy.rollingUpdate.maxUnavailable, …',
    ]);
  });
});

describe('summarizeChange: pods', () => {
  it('tells a crash-looping container coming up (real pod)', () => {
    const before = realPod(CRASHLOOP);
    expect(
      summaryOf(before, (after) => {
        const status = ['status', 'containerStatuses', 0];
        setIn(after, [...status, 'state'], { running: { startedAt: '2023-07-11T03:35:02Z' } });
        setIn(after, [...status, 'ready'], true);
        setIn(after, [...status, 'started'], true);
        setIn(after, [...status, 'restartCount'], 5);
        for (const index of [1, 2]) {
          setIn(after, ['status', 'conditions', index], {
            type: index === 1 ? 'Ready' : 'ContainersReady',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: '2023-07-11T03:35:03Z',
          });
        }
      }),
    ).toEqual([
      'Ready False→True',
      'container nginx: running',
      'container nginx ready',
      'container nginx restarts 4→5',
    ]);
  });

  it('tells a running container going into CrashLoopBackOff', () => {
    const running = copy(realPod(CRASHLOOP));
    setIn(running, ['status', 'containerStatuses', 0, 'state'], {
      running: { startedAt: '2023-07-11T03:33:00Z' },
    });
    setIn(running, ['status', 'containerStatuses', 0, 'restartCount'], 3);
    expect(
      summaryOf(running, (after) =>
        setIn(
          after,
          ['status', 'containerStatuses', 0],
          getIn(realPod(CRASHLOOP), ['status', 'containerStatuses', 0]),
        ),
      ),
    ).toEqual(['container nginx: CrashLoopBackOff', 'container nginx restarts 3→4']);
  });

  it('tells an OOM kill and the phase it ends in (real Job pod)', () => {
    const after = realPod(OOM);
    const before = copy(after);
    setIn(before, ['status', 'phase'], 'Running');
    setIn(before, ['status', 'containerStatuses', 0, 'state'], {
      running: { startedAt: '2023-07-11T04:43:25Z' },
    });
    setIn(before, ['status', 'containerStatuses', 0, 'started'], true);
    expect(
      summarizeChange({ kind: 'Pod', action: 'modified', fields: diffObjects(before, after), before, after }),
    ).toEqual(['container memory-eater: terminated: OOMKilled (exit 137)', 'phase Running→Failed']);
  });

  it('names init containers, and tells a long annotation by its length (real OpenShift pod)', () => {
    const before = realPod(INIT_CRASHLOOP);
    expect(
      summaryOf(before, (after) => {
        setIn(
          after,
          ['spec', 'initContainers', 0, 'image'],
          'pvx092.wdf.sap.corp/slvi/288312/com.sap.datahub.linuxx86_64/vsystem-hana-init:3.3.31',
        );
        setIn(after, ['status', 'initContainerStatuses', 0, 'restartCount'], 7528);
        setIn(after, ['metadata', 'annotations', 'k8s.v1.cni.cncf.io/network-status'], '[]');
      }),
    ).toEqual([
      'annotation k8s.v1.cni.cncf.io/network-status changed (2 chars)',
      'image of init container vsystem-hana-init: pvx092.wdf.sap.corp/slvi/288312/com.sap.datahub.linuxx86_64/vsystem-hana-init:3.3.30→3.3.31',
      'init container vsystem-hana-init restarts 7527→7528',
    ]);
  });

  it('tells scheduling and deletion', () => {
    const before = copy(realPod(CRASHLOOP));
    setIn(before, ['spec', 'nodeName'], undefined);
    expect(
      summaryOf(before, (after) => {
        setIn(after, ['spec', 'nodeName'], 'minikube');
        setIn(after, ['metadata', 'deletionTimestamp'], '2023-07-11T03:40:00Z');
        setIn(after, ['metadata', 'deletionGracePeriodSeconds'], 30);
      }),
    ).toEqual(['terminating', 'scheduled to minikube']);
  });
});

describe('summarizeChange: config, nodes, autoscaling', () => {
  const configMap = (): KubeObject => ({
    kind: 'ConfigMap',
    metadata: { name: 'api-config', namespace: 'shop' },
    data: { CACHE_SIZE: '512', LOG_LEVEL: 'info', 'app.yaml': 'cache:\n  size: 512\n' },
  });

  it('tells ConfigMap keys with short values, long ones by length', () => {
    expect(
      summaryOf(configMap(), (after) => {
        setIn(after, ['data', 'CACHE_SIZE'], 'unlimited');
        setIn(after, ['data', 'LOG_LEVEL'], undefined);
        setIn(after, ['data', 'FEATURE_X'], 'on');
        setIn(after, ['data', 'app.yaml'], 'cache:\n  size: unlimited\n');
      }),
    ).toEqual([
      'ConfigMap key CACHE_SIZE: 512→unlimited',
      'ConfigMap key FEATURE_X added',
      'ConfigMap key LOG_LEVEL removed',
      'ConfigMap key app.yaml changed (25 chars)',
    ]);
  });

  const node = (): KubeObject => ({
    kind: 'Node',
    metadata: { name: 'worker-1' },
    spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: '2026-11-20T02:58:11Z',
          lastTransitionTime: '2026-11-19T10:00:00Z',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
    },
  });

  it('tells a cordon with its taint, an uncordon, and a node going Unknown', () => {
    const cordoned = copy(node());
    setIn(cordoned, ['spec', 'unschedulable'], true);
    (getIn(cordoned, ['spec', 'taints']) as unknown[]).push({
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
      timeAdded: '2026-11-20T03:01:00Z',
    });
    expect(summaryOf(node(), (after) => Object.assign(after, copy(cordoned)))).toEqual([
      'taint node.kubernetes.io/unschedulable:NoSchedule added',
      'cordoned',
    ]);
    expect(summaryOf(cordoned, (after) => Object.assign(after, node()))).toEqual([
      'taint node.kubernetes.io/unschedulable:NoSchedule removed',
      'uncordoned',
    ]);
    expect(
      summaryOf(node(), (after) => {
        (getIn(after, ['spec', 'taints']) as unknown[]).splice(0, 1);
        setIn(after, ['status', 'conditions', 0], {
          type: 'Ready',
          status: 'Unknown',
          lastHeartbeatTime: '2026-11-20T02:59:12Z',
          lastTransitionTime: '2026-11-20T03:00:53Z',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
        });
      }),
    ).toEqual(['taint dedicated=gpu:NoSchedule removed', 'node Ready True→Unknown (NodeStatusUnknown)']);
  });

  it('tells a CronJob suspended and resumed, and HPA bounds', () => {
    const cronJob: KubeObject = {
      kind: 'CronJob',
      metadata: { name: 'report', namespace: 'shop' },
      spec: { schedule: '0 3 * * *', suspend: false },
    };
    expect(summaryOf(cronJob, (after) => setIn(after, ['spec', 'suspend'], true))).toEqual(['suspended']);
    const suspended = copy(cronJob);
    setIn(suspended, ['spec', 'suspend'], true);
    expect(summaryOf(suspended, (after) => setIn(after, ['spec', 'suspend'], undefined))).toEqual([
      'resumed',
    ]);
    const hpa: KubeObject = {
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 5 },
      status: { currentReplicas: 3, desiredReplicas: 3 },
    };
    expect(
      summaryOf(hpa, (after) => {
        setIn(after, ['spec', 'maxReplicas'], 10);
        setIn(after, ['status', 'desiredReplicas'], 5);
        setIn(after, ['status', 'currentReplicas'], 5);
      }),
    ).toEqual(['HPA maxReplicas 5→10', 'HPA desired replicas 3→5']);
  });
});

describe('summarizeChange: created, deleted, and fields alone', () => {
  it('tells the key facts of an object created or deleted', () => {
    const coredns = realDeployment('coredns');
    expect(summarizeChange({ kind: 'Deployment', action: 'added', fields: [], after: coredns })).toEqual([
      'created: 2 replicas, image k8s.gcr.io/coredns:1.7.0',
    ]);
    expect(
      summarizeChange({ kind: 'Pod', action: 'deleted', fields: [], before: realPod(CRASHLOOP) }),
    ).toEqual(['deleted: image nginx, on minikube']);
    expect(
      summarizeChange({ kind: 'Pod', action: 'added', fields: [], after: realPod(INIT_CRASHLOOP) }),
    ).toEqual([
      'created: images vsystem=pvx092.wdf.sap.corp/slvi/288312/com.sap.datahub.linuxx86_64/vsystem:3.3.30, auth=pvx092.wdf.sap.corp/slvi/288312/com.sap.datahub.linuxx86_64/vsystem-auth:3.3.30, on pvx510.wdf.sap.corp',
    ]);
    expect(summarizeChange({ kind: 'Node', action: 'deleted', fields: [] })).toEqual(['deleted']);
  });

  it('reads conditions and container statuses from the fields when the objects are not at hand', () => {
    const fields: FieldChange[] = [
      { path: 'status.conditions[Ready].status', op: 'changed', old: 'True', new: 'False' },
      { path: 'status.conditions[Ready].reason', op: 'added', new: 'ContainersNotReady' },
      { path: 'status.containerStatuses[api].restartCount', op: 'changed', old: 3, new: 4 },
      {
        path: 'status.containerStatuses[api].state.waiting',
        op: 'added',
        new: { reason: 'CrashLoopBackOff' },
      },
      { path: 'status.containerStatuses[api].state.running', op: 'removed', old: { startedAt: 'x' } },
    ];
    expect(summarizeChange({ kind: 'Pod', action: 'modified', fields })).toEqual([
      'Ready True→False (ContainersNotReady)',
      'container api restarts 3→4',
      'container api: CrashLoopBackOff',
    ]);
  });
});
