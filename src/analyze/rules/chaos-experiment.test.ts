import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { Coverage } from '../../core/coverage.js';
import { refKey } from '../../core/resource-ref.js';
import { Snapshot } from '../../core/snapshot.js';
import { buildGraph } from '../../graph/build-graph.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import {
  chaosManifest,
  CREATED,
  crashLoopStatus,
  deploymentWithPods,
  runningStatus,
} from '../../../test/support/chaos-fixtures.js';
import { analyze } from '../analyze.js';
import { chaosExperiment } from './chaos-experiment.js';

const TIKV = { 'app.kubernetes.io/component': 'tikv' };

/**
 * The example's pod-failure as a team runs it: for two hours, applied with kubectl by hand an hour
 * before the tests' moment, and reported injected by Chaos Mesh.
 */
const podFailure = (change: (object: Record<string, unknown> & KubeObject) => void = () => undefined) =>
  chaosManifest('chaos-mesh_pod-failure-example.yaml', 'tidb', (object) => {
    object['spec'] = { ...(object['spec'] as object), mode: 'all', duration: '2h' };
    (object.metadata as { managedFields?: unknown[] }).managedFields = [
      {
        manager: 'chaos-controller-manager',
        operation: 'Update',
        apiVersion: 'chaos-mesh.org/v1alpha1',
        time: '2026-11-20T02:12:01Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': { 'f:experiment': { 'f:desiredPhase': {} } } },
      },
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'chaos-mesh.org/v1alpha1',
        time: '2026-11-20T02:12:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:action': {}, 'f:mode': {}, 'f:selector': {} } },
      },
    ];
    object['status'] = {
      conditions: [
        { type: 'Selected', status: 'True' },
        { type: 'AllInjected', status: 'True' },
        { type: 'AllRecovered', status: 'False' },
        { type: 'Paused', status: 'False' },
      ],
      experiment: {
        desiredPhase: 'Run',
        containerRecords: ['a0x9q', 'b1x9q', 'c2x9q'].map((suffix) => ({
          id: `tidb/tikv-7d9f8c6b5-${suffix}`,
          selectorKey: '.',
          phase: 'Injected',
          injectedCount: 1,
          recoveredCount: 0,
        })),
      },
    };
    change(object);
  });

function findings(objects: readonly KubeObject[]) {
  const context = contextOf(objects);
  return objects
    .filter((object) => (chaosExperiment.kinds as readonly string[]).includes(object.kind))
    .flatMap((object) => chaosExperiment.detect(object, context));
}

describe('chaos-experiment', () => {
  it('finds an active pod-failure whose pods crash-loop, with its spec, who wrote it, the pods, and how to pause it', () => {
    const objects = [podFailure(), ...deploymentWithPods('tidb', 'tikv', TIKV, () => crashLoopStatus())];
    const pods = ['a0x9q', 'b1x9q', 'c2x9q'].map((suffix) => ({
      kind: 'Pod',
      namespace: 'tidb',
      name: `tikv-7d9f8c6b5-${suffix}`,
    }));
    expect(findings(objects)).toEqual([
      {
        ruleId: 'chaos-experiment',
        severity: 'critical',
        resource: { kind: 'PodChaos', namespace: 'tidb', name: 'pod-failure-example' },
        message:
          'Chaos Mesh is injecting PodChaos pod-failure (mode all) into pods it selects: 3 of 3 failing',
        evidence: [
          { source: 'spec', text: 'PodChaos pod-failure, mode all, duration 2h' },
          { source: 'spec', text: 'selects selector:app.kubernetes.io/component=tikv' },
          {
            source: 'spec',
            text: 'written by kubectl-client-side-apply (managedFields: Update at 2026-11-20T02:12:00Z)',
          },
          { source: 'status', text: 'active (running) since 2026-11-20T02:12:00Z, 60m ago' },
          {
            source: 'status',
            text: 'injected into tidb/tikv-7d9f8c6b5-a0x9q, tidb/tikv-7d9f8c6b5-b1x9q, tidb/tikv-7d9f8c6b5-c2x9q',
          },
          ...pods.map((pod) => ({
            source: 'status',
            resource: pod,
            text: 'failing: CrashLoopBackOff',
          })),
        ],
        fix: {
          summary:
            'pause the experiment (Chaos Mesh recovers what it injected), or delete it if it should not run',
          commands: [
            'kubectl annotate podchaos.chaos-mesh.org pod-failure-example -n tidb experiment.chaos-mesh.org/pause=true --overwrite',
            'kubectl delete podchaos.chaos-mesh.org pod-failure-example -n tidb',
          ],
        },
      },
    ]);
  });

  it('is the root cause: the pods’ crash loops and their Deployment rank under it, an unrelated failure apart', () => {
    const unrelated = deploymentWithPods(
      'tidb',
      'pd',
      { 'app.kubernetes.io/component': 'pd' },
      () => ({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 0,
            state: {
              waiting: {
                reason: 'ImagePullBackOff',
                message: 'Back-off pulling image "registry.example.com/pd:1.0"',
              },
            },
          },
        ],
      }),
      1,
    );
    const objects = [
      podFailure(),
      ...deploymentWithPods('tidb', 'tikv', TIKV, () => crashLoopStatus()),
      ...unrelated,
    ];
    const context = contextOf(objects);
    const { problems } = analyze(context.snapshot, context.graph);
    const [first, ...others] = problems;
    expect(first?.rootCause.ruleId).toBe('chaos-experiment');
    expect(first?.chain.map(refKey)).toEqual([
      'Deployment/tidb/tikv',
      'ReplicaSet/tidb/tikv-7d9f8c6b5',
      'Pod/tidb/tikv-7d9f8c6b5-a0x9q',
      'PodChaos/tidb/pod-failure-example',
    ]);
    const symptoms = first?.symptoms.map((s) => `${s.ruleId} ${refKey(s.resource)}`) ?? [];
    expect(symptoms).toContain('workload-unavailable Deployment/tidb/tikv');
    for (const suffix of ['a0x9q', 'b1x9q', 'c2x9q'])
      expect(symptoms).toContain(`crash-loop Pod/tidb/tikv-7d9f8c6b5-${suffix}`);
    expect(others.map((p) => p.rootCause.ruleId)).toContain('image-pull');
    expect(others.flatMap((p) => p.symptoms).some((s) => s.resource.name.startsWith('tikv'))).toBe(false);
  });

  it('finds nothing for an active experiment whose pods are well', () => {
    expect(findings([podFailure(), ...deploymentWithPods('tidb', 'tikv', TIKV)])).toEqual([]);
  });

  it('finds nothing for an experiment that is paused, past its duration or stopped, whatever its pods do', () => {
    const crashing = deploymentWithPods('tidb', 'tikv', TIKV, () => crashLoopStatus());
    const paused = podFailure((o) => {
      (o.metadata as { annotations?: object }).annotations = { 'experiment.chaos-mesh.org/pause': 'true' };
    });
    const ended = podFailure((o) => {
      o['spec'] = { ...(o['spec'] as object), duration: '30m' };
    });
    const stopped = podFailure((o) => {
      (o['status'] as { experiment: { desiredPhase: string } }).experiment.desiredPhase = 'Stop';
    });
    for (const experiment of [paused, ended, stopped])
      expect(findings([experiment, ...crashing])).toEqual([]);
  });

  it('counts restarts since the experiment began (a container-kill), not those before it, and pods it leaves pending', () => {
    const restartedAt = (finishedAt: string) => () => ({
      ...runningStatus(),
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 2,
          state: { running: { startedAt: '2026-11-20T03:05:00Z' } },
          lastState: { terminated: { exitCode: 137, reason: 'Error', finishedAt } },
        },
      ],
    });
    const since = findings([
      podFailure(),
      ...deploymentWithPods('tidb', 'tikv', TIKV, restartedAt('2026-11-20T03:04:58Z'), 1),
    ]);
    expect(
      since.flatMap((f) => f.evidence.filter((e) => e.resource !== undefined).map((e) => e.text)),
    ).toEqual(['failing: container app restarted 2 times, last at 2026-11-20T03:04:58Z (Error)']);
    expect(
      findings([
        podFailure(),
        ...deploymentWithPods('tidb', 'tikv', TIKV, restartedAt('2026-11-19T22:00:00Z'), 1),
      ]),
    ).toEqual([]);
    const stress = chaosManifest('chaos-mesh_burn-cpu.yaml', 'tidb', (o) => {
      o['spec'] = { ...(o['spec'] as object), duration: '2h' };
    });
    const pending = deploymentWithPods('tidb', 'tikv', TIKV, () => ({ phase: 'Pending' }), 1);
    expect(findings([stress, ...pending]).map((f) => f.message)).toEqual([
      'Chaos Mesh is injecting StressChaos (mode one) into pods it selects: 1 of 1 failing',
    ]);
  });

  it('tells to pause the Schedule that made a run, and to delete a Workflow (it cannot be paused)', () => {
    const schedule = chaosManifest('chaos-mesh_schedule-podchaos.yaml', 'tidb');
    const run: KubeObject = {
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: {
        name: 'schedule-pod-kill-example-h7x2k',
        namespace: 'tidb',
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
    };
    const crashing = deploymentWithPods('tidb', 'tikv', TIKV, () => crashLoopStatus(), 1);
    const [byRun] = findings([schedule, run, ...crashing]);
    expect(byRun?.resource.name).toBe('schedule-pod-kill-example-h7x2k');
    expect(byRun?.evidence).toContainEqual({
      source: 'graph',
      resource: { kind: 'Schedule', namespace: 'tidb', name: 'schedule-pod-kill-example' },
      text: 'makes this experiment',
    });
    expect(byRun?.fix?.commands).toEqual([
      'kubectl annotate schedules.chaos-mesh.org schedule-pod-kill-example -n tidb experiment.chaos-mesh.org/pause=true --overwrite',
      'kubectl annotate podchaos.chaos-mesh.org schedule-pod-kill-example-h7x2k -n tidb experiment.chaos-mesh.org/pause=true --overwrite',
      'kubectl delete schedules.chaos-mesh.org schedule-pod-kill-example -n tidb',
    ]);

    const workflow = chaosManifest('chaos-mesh_workflow-serial.yaml', 'demo');
    const hello = deploymentWithPods(
      'demo',
      'hello',
      { app: 'hello-kubernetes' },
      () => crashLoopStatus(),
      1,
    );
    const [byWorkflow] = findings([workflow, ...hello]);
    expect(byWorkflow?.message).toBe(
      'Chaos Mesh is injecting Workflow of NetworkChaos delay, PodChaos pod-kill, StressChaos into pods it selects: 1 of 1 failing',
    );
    expect(byWorkflow?.fix?.commands).toEqual([
      'kubectl delete workflows.chaos-mesh.org try-workflow-serial -n demo',
    ]);
  });

  it('finds an active LitmusChaos engine and tells to set its engineState to stop', () => {
    const engine = chaosManifest('litmus_pod-delete-engine.yaml', 'shop', (object) => {
      (object['spec'] as Record<string, unknown>)['appinfo'] = {
        appns: 'shop',
        applabel: 'app=nginx',
        appkind: 'deployment',
      };
      object['status'] = {
        engineStatus: 'initialized',
        experiments: [{ name: 'pod-delete', status: 'Running' }],
      };
    });
    const nginx = deploymentWithPods('shop', 'nginx', { app: 'nginx' }, () => crashLoopStatus(), 2);
    const [finding, ...rest] = findings([engine, ...nginx]);
    expect(rest).toEqual([]);
    expect(finding?.message).toBe('LitmusChaos is injecting pod-delete into pods it selects: 2 of 2 failing');
    expect(finding?.evidence.slice(0, 2)).toEqual([
      { source: 'spec', text: 'ChaosEngine pod-delete, duration 30s' },
      { source: 'spec', text: 'selects appinfo:app=nginx,kind:deployment' },
    ]);
    expect(finding?.fix).toEqual({
      summary: 'stop the engine (the operator aborts its experiments), or delete it if it should not run',
      commands: [
        `kubectl patch chaosengines.litmuschaos.io nginx-chaos -n shop --type merge -p '{"spec":{"engineState":"stop"}}'`,
        'kubectl delete chaosengines.litmuschaos.io nginx-chaos -n shop',
      ],
    });
    const stopped = chaosManifest('litmus_pod-delete-engine.yaml', 'shop', (object) => {
      (object['spec'] as Record<string, unknown>)['appinfo'] = {
        appns: 'shop',
        applabel: 'app=nginx',
        appkind: 'deployment',
      };
      (object['spec'] as Record<string, unknown>)['engineState'] = 'stop';
    });
    expect(findings([stopped, ...nginx])).toEqual([]);
  });

  it('says an active experiment whose pods were not read may be faulting them (info), never that they are well', () => {
    const experiment = chaosManifest('chaos-mesh_pod-failure-example.yaml', 'tidb');
    const coverage = new Coverage();
    coverage.add('PodChaos');
    coverage.add('Pod', 'shop');
    const snapshot = new Snapshot({ objects: [experiment], coverage, capturedAt: new Date(CREATED) });
    const context = { snapshot, graph: buildGraph(snapshot), now: new Date(CREATED) };
    const [finding] = chaosExperiment.detect(experiment, context);
    expect(finding).toMatchObject({
      ruleId: 'chaos-experiment',
      severity: 'info',
      resource: { kind: 'PodChaos', namespace: 'tidb', name: 'pod-failure-example' },
      message:
        'Chaos Mesh is injecting PodChaos pod-failure (mode one) into pods it selects; pods in tidb were not read, so whether they fail is unknown',
    });
    coverage.add('Pod', 'tidb');
    expect(chaosExperiment.detect(experiment, context)).toEqual([]);
  });
});
