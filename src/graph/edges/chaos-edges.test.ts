import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { chaosManifest, crashLoopStatus, deploymentWithPods } from '../../../test/support/chaos-fixtures.js';

const TIKV = { 'app.kubernetes.io/component': 'tikv' };

/** The example's 30s pod-failure, applied ten seconds before the tests' moment (03:12:00), so still running. */
const runningFailure = (): KubeObject =>
  chaosManifest('chaos-mesh_pod-failure-example.yaml', 'tidb', (object) => {
    (object.metadata as { creationTimestamp?: string }).creationTimestamp = '2026-11-20T03:11:50Z';
  });

/** The `disrupted-by` edges of a graph over `objects`, as `from → to (via)`. */
function disruptions(objects: readonly KubeObject[]): string[] {
  const { graph } = contextOf(objects);
  return [...graph.edges()]
    .filter((edge) => edge.kind === 'disrupted-by')
    .map((edge) => `${edge.from} → ${edge.to} (${edge.detail?.via ?? ''})`);
}

const pod = (
  namespace: string,
  name: string,
  labels: Record<string, string>,
  extra: object = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'app:1' }] },
  status: { phase: 'Running' },
  ...extra,
});

describe('chaos edges', () => {
  it('link each pod a Chaos Mesh selector picks, in the experiment’s own namespace by default, to the experiment', () => {
    const objects = [
      runningFailure(),
      ...deploymentWithPods('tidb', 'tikv', TIKV),
      pod('tidb', 'pd-0', { 'app.kubernetes.io/component': 'pd' }),
      pod('other', 'tikv-elsewhere', TIKV),
    ];
    expect(disruptions(objects)).toEqual([
      'Pod/tidb/tikv-7d9f8c6b5-a0x9q → PodChaos/tidb/pod-failure-example (selector:app.kubernetes.io/component=tikv)',
      'Pod/tidb/tikv-7d9f8c6b5-b1x9q → PodChaos/tidb/pod-failure-example (selector:app.kubernetes.io/component=tikv)',
      'Pod/tidb/tikv-7d9f8c6b5-c2x9q → PodChaos/tidb/pod-failure-example (selector:app.kubernetes.io/component=tikv)',
    ]);
  });

  it('put the experiment upstream of the pods, so their Deployment depends on it', () => {
    const objects = [runningFailure(), ...deploymentWithPods('tidb', 'tikv', TIKV, () => crashLoopStatus())];
    const { graph } = contextOf(objects);
    const upstreamOfDeployment = new Set<string>();
    const walk = (key: string): void => {
      for (const edge of graph.outgoing(key)) {
        if (upstreamOfDeployment.has(edge.to)) continue;
        upstreamOfDeployment.add(edge.to);
        walk(edge.to);
      }
    };
    walk('Deployment/tidb/tikv');
    expect(upstreamOfDeployment).toContain('PodChaos/tidb/pod-failure-example');
    expect(graph.outgoing('PodChaos/tidb/pod-failure-example')).toEqual([]);
  });

  it('read the whole PodSelectorSpec: namespaces, expressions, annotations, fields, nodes, node labels and phases', () => {
    const node = (name: string, zone: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } },
    });
    const picky = chaosManifest('chaos-mesh_pod-failure-example.yaml', 'chaos-testing', (object) => {
      object['spec'] = {
        action: 'pod-failure',
        mode: 'all',
        duration: '2h',
        selector: {
          namespaces: ['shop'],
          labelSelectors: { app: 'api' },
          expressionSelectors: [{ key: 'tier', operator: 'In', values: ['web', 'edge'] }],
          annotationSelectors: { 'chaos.example.com/allowed': 'true' },
          fieldSelectors: { 'status.phase': 'Running' },
          nodeSelectors: { 'topology.kubernetes.io/zone': 'eu-1a' },
          podPhaseSelectors: ['Running'],
        },
      };
    });
    const allowed = { annotations: { 'chaos.example.com/allowed': 'true' } };
    const objects = [
      picky,
      node('worker-1', 'eu-1a'),
      node('worker-2', 'eu-1b'),
      {
        ...pod('shop', 'api-a', { app: 'api', tier: 'web' }),
        metadata: { name: 'api-a', namespace: 'shop', labels: { app: 'api', tier: 'web' }, ...allowed },
      },
      // Not picked: no annotation, wrong tier, other node's zone, Pending, other namespace.
      pod('shop', 'api-b', { app: 'api', tier: 'web' }),
      {
        ...pod('shop', 'api-c', { app: 'api', tier: 'db' }),
        metadata: { name: 'api-c', namespace: 'shop', labels: { app: 'api', tier: 'db' }, ...allowed },
      },
      {
        ...pod('shop', 'api-d', { app: 'api', tier: 'edge' }),
        metadata: { name: 'api-d', namespace: 'shop', labels: { app: 'api', tier: 'edge' }, ...allowed },
        spec: { nodeName: 'worker-2' },
      },
      {
        ...pod('shop', 'api-e', { app: 'api', tier: 'edge' }),
        metadata: { name: 'api-e', namespace: 'shop', labels: { app: 'api', tier: 'edge' }, ...allowed },
        status: { phase: 'Pending' },
      },
      {
        ...pod('chaos-testing', 'api-f', { app: 'api', tier: 'web' }),
        metadata: {
          name: 'api-f',
          namespace: 'chaos-testing',
          labels: { app: 'api', tier: 'web' },
          ...allowed,
        },
      },
    ];
    expect(disruptions(objects)).toEqual([
      'Pod/shop/api-a → PodChaos/chaos-testing/pod-failure-example (selector:app=api,tier in (web,edge),annotation:chaos.example.com/allowed=true,field:status.phase=Running,node:topology.kubernetes.io/zone=eu-1a,phase:Running,namespace:shop)',
    ]);
  });

  it('take pods named one by one over every other selector, and select nothing by a field they cannot read', () => {
    const named = chaosManifest('chaos-mesh_pod-kill-example.yaml', 'tidb', (object) => {
      (object['spec'] as { selector: object }).selector = {
        labelSelectors: TIKV,
        pods: { tidb: ['tikv-7d9f8c6b5-b1x9q', 'gone-0'] },
      };
    });
    const unreadable = chaosManifest('chaos-mesh_pod-failure-example.yaml', 'tidb', (object) => {
      (object['spec'] as { selector: object }).selector = { fieldSelectors: { 'status.podIP': '10.0.0.7' } };
    });
    expect(disruptions([named, unreadable, ...deploymentWithPods('tidb', 'tikv', TIKV)])).toEqual([
      'Pod/tidb/tikv-7d9f8c6b5-b1x9q → PodChaos/tidb/pod-kill-example (selector:pods tidb/tikv-7d9f8c6b5-b1x9q,gone-0)',
    ]);
  });

  it('link nothing for an experiment that is paused, past its duration, told to stop, being deleted, or a kill that is done', () => {
    const failure = (change: (object: Record<string, unknown> & KubeObject) => void): KubeObject =>
      chaosManifest('chaos-mesh_pod-failure-example.yaml', 'tidb', change);
    const inactive = [
      failure((o) => {
        (o.metadata as { annotations?: object }).annotations = { 'experiment.chaos-mesh.org/pause': 'true' };
      }),
      // 30s from 02:12, long before the snapshot's 03:12.
      failure((o) => {
        (o.metadata as { name: string }).name = 'ended';
      }),
      failure((o) => {
        (o.metadata as { name: string }).name = 'stopped';
        o['spec'] = { ...(o['spec'] as object), duration: '24h' };
        o['status'] = { experiment: { desiredPhase: 'Stop' } };
      }),
      failure((o) => {
        (o.metadata as { name: string; deletionTimestamp?: string }).name = 'deleting';
        (o.metadata as { deletionTimestamp?: string }).deletionTimestamp = '2026-11-20T03:00:00Z';
        o['spec'] = { ...(o['spec'] as object), duration: '24h' };
      }),
      chaosManifest('chaos-mesh_pod-kill-example.yaml', 'tidb', (o) => {
        o['status'] = {
          experiment: {
            desiredPhase: 'Run',
            containerRecords: [
              {
                id: 'tidb/tikv-7d9f8c6b5-a0x9q',
                selectorKey: '.',
                phase: 'Injected',
                injectedCount: 1,
                recoveredCount: 0,
              },
            ],
          },
        };
      }),
    ];
    expect(disruptions([...inactive, ...deploymentWithPods('tidb', 'tikv', TIKV)])).toEqual([]);
    // A kill not yet done on every target is still running; so is a failure within its duration.
    const running = [
      chaosManifest('chaos-mesh_pod-kill-example.yaml', 'tidb'),
      failure((o) => {
        o['spec'] = { ...(o['spec'] as object), duration: '2h' };
        o['status'] = { experiment: { desiredPhase: 'Run' } };
      }),
    ];
    expect(disruptions([...running, ...deploymentWithPods('tidb', 'tikv', TIKV, undefined, 1)])).toEqual([
      'Pod/tidb/tikv-7d9f8c6b5-a0x9q → PodChaos/tidb/pod-kill-example (selector:app.kubernetes.io/component=tikv)',
      'Pod/tidb/tikv-7d9f8c6b5-a0x9q → PodChaos/tidb/pod-failure-example (selector:app.kubernetes.io/component=tikv)',
    ]);
  });

  it('link a NetworkChaos’s target pods only when the direction faults them (from, both)', () => {
    const delay = (direction: string): KubeObject =>
      chaosManifest('chaos-mesh_network-delay-with-target-example.yaml', 'web', (object) => {
        object['spec'] = { ...(object['spec'] as object), direction, duration: '2h' };
      });
    const pods = [
      pod('web', 'web-app-0', { 'app.kubernetes.io/component': 'web-app' }),
      pod('db', 'pool-0', { 'app.kubernetes.io/component': 'pool' }),
      pod('storage', 'pool-1', { 'app.kubernetes.io/component': 'pool' }),
    ];
    expect(disruptions([delay('to'), ...pods])).toEqual([
      'Pod/web/web-app-0 → NetworkChaos/web/network-delay-example (selector:app.kubernetes.io/component=web-app)',
    ]);
    expect(disruptions([delay('both'), ...pods])).toEqual([
      'Pod/web/web-app-0 → NetworkChaos/web/network-delay-example (selector:app.kubernetes.io/component=web-app)',
      'Pod/db/pool-0 → NetworkChaos/web/network-delay-example (target:app.kubernetes.io/component=pool,namespace:db,storage)',
      'Pod/storage/pool-1 → NetworkChaos/web/network-delay-example (target:app.kubernetes.io/component=pool,namespace:db,storage)',
    ]);
  });

  it('link a Schedule’s pods to the Schedule, or to the experiment it is running', () => {
    const schedule = chaosManifest('chaos-mesh_schedule-podchaos.yaml', 'tidb');
    const pods = deploymentWithPods('tidb', 'tikv', TIKV, undefined, 1);
    expect(disruptions([schedule, ...pods])).toEqual([
      'Pod/tidb/tikv-7d9f8c6b5-a0x9q → Schedule/tidb/schedule-pod-kill-example (selector:app.kubernetes.io/component=tikv)',
    ]);
    // What the Schedule made at its last tick, as Chaos Mesh's cron controller makes it.
    const child = (phase: string): KubeObject => ({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: {
        name: 'schedule-pod-kill-example-h7x2k',
        namespace: 'tidb',
        uid: 'uid-child',
        creationTimestamp: '2026-11-20T03:11:55Z',
        labels: { 'managed-by': 'schedule-pod-kill-example' },
        ownerReferences: [
          {
            apiVersion: 'chaos-mesh.org/v1alpha1',
            kind: 'Schedule',
            name: 'schedule-pod-kill-example',
            uid: 'uid-schedule-pod-kill-example',
            controller: true,
          },
        ],
      },
      spec: (schedule['spec'] as { podChaos: object }).podChaos,
      status: {
        experiment: {
          desiredPhase: 'Run',
          containerRecords: [
            {
              id: 'tidb/tikv-7d9f8c6b5-a0x9q',
              selectorKey: '.',
              phase,
              injectedCount: 0,
              recoveredCount: 0,
            },
          ],
        },
      },
    });
    expect(disruptions([schedule, child('Not Injected'), ...pods])).toEqual([
      'Pod/tidb/tikv-7d9f8c6b5-a0x9q → PodChaos/tidb/schedule-pod-kill-example-h7x2k (selector:app.kubernetes.io/component=tikv)',
    ]);
    // The kill is done: the Schedule is what goes on faulting the pods.
    expect(disruptions([schedule, child('Injected'), ...pods])).toEqual([
      'Pod/tidb/tikv-7d9f8c6b5-a0x9q → Schedule/tidb/schedule-pod-kill-example (selector:app.kubernetes.io/component=tikv)',
    ]);
  });

  it('link a Workflow’s pods through each chaos template, until it is accomplished', () => {
    const workflow = chaosManifest('chaos-mesh_workflow-serial.yaml', 'demo');
    const pods = [pod('demo', 'hello-0', { app: 'hello-kubernetes' })];
    expect(disruptions([workflow, ...pods])).toEqual([
      'Pod/demo/hello-0 → Workflow/demo/try-workflow-serial (template:workflow-network-chaos selector:app=hello-kubernetes)',
    ]);
    const accomplished = chaosManifest('chaos-mesh_workflow-serial.yaml', 'demo', (object) => {
      object['status'] = { conditions: [{ type: 'Accomplished', status: 'True', reason: '' }] };
    });
    expect(disruptions([accomplished, ...pods])).toEqual([]);
  });

  it('link the pods of a LitmusChaos ChaosEngine’s app (label and kind), while its engine is active', () => {
    const engine = (
      change: (spec: Record<string, unknown>, status: Record<string, unknown>) => void = () => undefined,
    ) =>
      chaosManifest('litmus_pod-delete-engine.yaml', 'shop', (object) => {
        const spec = object['spec'] as Record<string, unknown>;
        spec['appinfo'] = { appns: 'shop', applabel: 'app=nginx', appkind: 'deployment' };
        const status: Record<string, unknown> = { engineStatus: 'initialized' };
        change(spec, status);
        object['status'] = status;
      });
    const objects = [
      ...deploymentWithPods('shop', 'nginx', { app: 'nginx' }, undefined, 1),
      // A bare pod with the label: not a Deployment's, so not the app's.
      pod('shop', 'nginx-debug', { app: 'nginx' }),
    ];
    expect(disruptions([engine(), ...objects])).toEqual([
      'Pod/shop/nginx-7d9f8c6b5-a0x9q → ChaosEngine/shop/nginx-chaos (appinfo:app=nginx,kind:deployment)',
    ]);
    expect(disruptions([engine((spec) => (spec['engineState'] = 'stop')), ...objects])).toEqual([]);
    expect(disruptions([engine((_, status) => (status['engineStatus'] = 'completed')), ...objects])).toEqual(
      [],
    );
    // The engine as shipped names no app: nothing to link (the experiment picks its pods itself).
    expect(disruptions([chaosManifest('litmus_pod-delete-engine.yaml', 'shop'), ...objects])).toEqual([]);
  });

  it('link a workload that has no pods to the experiment that would select them', () => {
    const [deployment] = deploymentWithPods('tidb', 'tikv', TIKV);
    const experiment = chaosManifest('chaos-mesh_pod-failure-example.yaml', 'tidb', (o) => {
      o['spec'] = { ...(o['spec'] as object), duration: '2h' };
    });
    expect(disruptions([experiment, deployment!])).toEqual([
      'Deployment/tidb/tikv → PodChaos/tidb/pod-failure-example (selector:app.kubernetes.io/component=tikv)',
    ]);
  });

  it('leave kinds of the same name from other groups alone (Argo’s Workflow, Velero’s Schedule)', () => {
    const argo: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'hello', namespace: 'demo' },
      spec: { templates: [{ name: 'x', templateType: 'PodChaos', podChaos: { selector: {} } }] },
    };
    const velero: KubeObject = {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'daily', namespace: 'demo' },
      spec: { schedule: '0 1 * * *', type: 'PodChaos', podChaos: { selector: {} } },
    };
    expect(disruptions([argo, velero, pod('demo', 'hello-0', { app: 'hello-kubernetes' })])).toEqual([]);
  });
});
