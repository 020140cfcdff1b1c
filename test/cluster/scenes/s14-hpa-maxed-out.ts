/**
 * S14 hpa-maxed-out: an HPA at maxReplicas with CPU above target. There is no metrics API and no HPA
 * controller in the test cluster, so the status (and the rescale Event) is written as the
 * horizontal-pod-autoscaler controller writes them (pkg/controller/podautoscaler/horizontal.go).
 */
import type { ClusterHandle } from '../harness.ts';
import { create, createAll, deployment, ensureNamespace, patch, waitPods } from './util.ts';
import type { Scene } from './util.ts';

export async function scene14(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  await ensureNamespace(cluster.admin, ns);
  const max = 5;
  await createAll(cluster.admin, [
    deployment(ns, 'api', {
      replicas: max,
      containers: [
        { name: 'api', image: 'registry.example.com/api:1.4.2', resources: { requests: { cpu: '500m' } } },
      ],
    }),
    {
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicas: 2,
        maxReplicas: max,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
        ],
      },
    },
  ]);
  await waitPods(
    cluster.admin,
    ns,
    'app=api',
    (ps) => ps.length === max && ps.every((p) => p.status?.phase === 'Running'),
    'api Running',
  );
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const cond = (type: string, reason: string, message: string): Record<string, string> => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  await patch(
    cluster.admin,
    'HorizontalPodAutoscaler',
    'api',
    ns,
    {
      status: {
        lastScaleTime: now,
        currentReplicas: max,
        desiredReplicas: max,
        currentMetrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', current: { averageUtilization: 142, averageValue: '711m' } },
          },
        ],
        conditions: [
          cond('AbleToScale', 'ReadyForNewScale', 'recommended size matches current size'),
          cond(
            'ScalingActive',
            'ValidMetricFound',
            'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
          ),
          cond(
            'ScalingLimited',
            'TooManyReplicas',
            'the desired replica count is more than the maximum replica count',
          ),
        ],
      },
    },
    { subresource: 'status' },
  );
  await create(cluster.admin, {
    kind: 'Event',
    metadata: { name: `api.${Date.now().toString(16)}`, namespace: ns },
    involvedObject: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      name: 'api',
      namespace: ns,
    },
    reason: 'SuccessfulRescale',
    message: `New size: ${max}; reason: cpu resource utilization (percentage of request) above target`,
    type: 'Normal',
    source: { component: 'horizontal-pod-autoscaler' },
    reportingComponent: 'horizontal-pod-autoscaler',
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  });
  return {
    namespace: ns,
    target: { kind: 'HorizontalPodAutoscaler', name: 'api' },
    expect: {
      rootCause: `HPA api at maxReplicas ${max} with cpu 142% > target 70%`,
      evidence: [
        '"maxReplicas":5',
        '"currentReplicas":5',
        '"averageUtilization":142',
        'TooManyReplicas',
        'the desired replica count is more than the maximum replica count',
      ],
    },
  };
}
