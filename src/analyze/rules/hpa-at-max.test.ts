import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { hpaAtMax } from './hpa-at-max.js';

const deployment: KubeObject = { kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };

const condition = (type: string, status: string, reason: string, message: string): object => ({
  type,
  status,
  lastTransitionTime: '2026-11-20T02:40:00Z',
  reason,
  message,
});
const ABLE = condition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
const ACTIVE = condition(
  'ScalingActive',
  'True',
  'ValidMetricFound',
  'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
);

/** An autoscaling/v2 HPA on CPU utilization, as `kubectl get hpa -o json` shows it. */
function hpa(status: object, maxReplicas = 10): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
    },
    status,
  };
}
const cpuAt = (averageUtilization: number, averageValue: string): object[] => [
  { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization, averageValue } } },
];

describe('hpa-at-max', () => {
  it('finds nothing for an autoscaler with room and metrics', () => {
    const healthy = hpa({
      currentReplicas: 4,
      desiredReplicas: 4,
      currentMetrics: cpuAt(55, '275m'),
      conditions: [
        ABLE,
        ACTIVE,
        condition(
          'ScalingLimited',
          'False',
          'DesiredWithinRange',
          'the desired count is within the acceptable range',
        ),
      ],
    });
    expect(hpaAtMax.detect(healthy, contextOf([healthy, deployment]))).toEqual([]);
  });

  it('names the ceiling when CPU is above target at maxReplicas (S14)', () => {
    const maxed = hpa({
      currentReplicas: 10,
      desiredReplicas: 10,
      currentMetrics: cpuAt(92, '461m'),
      conditions: [
        ABLE,
        ACTIVE,
        condition(
          'ScalingLimited',
          'True',
          'TooManyReplicas',
          'the desired replica count is more than the maximum replica count',
        ),
      ],
    });
    expect(hpaAtMax.detect(maxed, contextOf([maxed, deployment]))).toEqual([
      {
        ruleId: 'hpa-at-max',
        severity: 'warning',
        resource: { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'web' },
        message:
          'HorizontalPodAutoscaler web is at its ceiling of 10 replicas with cpu utilization 92% (target 60%): Deployment/web cannot grow with its load',
        evidence: [
          { source: 'status', text: 'currentReplicas 10, desiredReplicas 10, maxReplicas 10' },
          { source: 'status', text: 'cpu utilization 92% (target 60%)' },
          {
            source: 'status',
            text: 'ScalingLimited=True TooManyReplicas: the desired replica count is more than the maximum replica count',
          },
        ],
        fix: {
          summary:
            'raise maxReplicas to 16 (current replicas × metric ÷ target, as the autoscaler computes it), if the cluster has room; or make each pod handle more',
          commands: [`kubectl -n shop patch hpa web -p '{"spec":{"maxReplicas":16}}'`],
        },
      },
    ]);
  });

  it('says when the autoscaler cannot read its metrics', () => {
    const blind = hpa({
      currentReplicas: 2,
      desiredReplicas: 2,
      currentMetrics: null,
      conditions: [
        ABLE,
        condition(
          'ScalingActive',
          'False',
          'FailedGetResourceMetric',
          'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
        ),
      ],
    });
    expect(hpaAtMax.detect(blind, contextOf([blind, deployment]))).toEqual([
      {
        ruleId: 'hpa-at-max',
        severity: 'warning',
        resource: { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'web' },
        message:
          'HorizontalPodAutoscaler web cannot read its metrics (FailedGetResourceMetric): it does not scale Deployment/web',
        evidence: [
          {
            source: 'status',
            text: 'ScalingActive=False FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
          },
        ],
        fix: {
          summary: 'make the resource metrics API answer (metrics-server installed and available)',
          commands: ['kubectl get apiservice v1beta1.metrics.k8s.io', 'kubectl -n shop top pods'],
        },
      },
    ]);
  });

  it('says when the target has no CPU request to measure utilization against', () => {
    const blind = hpa({
      currentReplicas: 2,
      desiredReplicas: 2,
      conditions: [
        condition(
          'ScalingActive',
          'False',
          'FailedGetResourceMetric',
          'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod web-7d4b9c-x2k1p',
        ),
      ],
    });
    expect(hpaAtMax.detect(blind, contextOf([blind, deployment]))[0]?.fix).toEqual({
      summary:
        'utilization is measured against requests: set a cpu request on every container of Deployment/web',
      commands: [
        'kubectl -n shop set resources deployment/web --requests=cpu=100m  # a figure that fits its usage',
      ],
    });
  });

  it('says when the target does not exist', () => {
    const orphan = hpa({
      currentReplicas: 0,
      desiredReplicas: 0,
      conditions: [
        condition(
          'AbleToScale',
          'False',
          'FailedGetScale',
          'the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "web" not found',
        ),
      ],
    });
    expect(hpaAtMax.detect(orphan, contextOf([orphan]))).toEqual([
      {
        ruleId: 'hpa-at-max',
        severity: 'warning',
        resource: { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'web' },
        message: 'HorizontalPodAutoscaler web scales Deployment/web, which does not exist',
        evidence: [
          {
            source: 'graph',
            resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
            text: 'Deployment/web not found',
          },
          {
            source: 'status',
            text: 'AbleToScale=False FailedGetScale: the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "web" not found',
          },
        ],
        fix: {
          summary: 'point spec.scaleTargetRef at the workload to scale, or delete the autoscaler',
          commands: [
            'kubectl -n shop get deployments,statefulsets',
            'kubectl -n shop edit hpa web  # spec.scaleTargetRef',
          ],
        },
      },
    ]);
  });
});
