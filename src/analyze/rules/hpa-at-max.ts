import type { Evidence, Finding } from '../../core/finding.js';
import type { Condition, HorizontalPodAutoscaler, MetricSpec, MetricValue } from '../../core/kube-types.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { parseQuantity } from '../../core/resource-quantity.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** A metric read against its target: `cpu utilization 92% (target 60%)` and current ÷ target. */
interface MetricReading {
  readonly text: string;
  readonly ratio: number;
}

/**
 * A HorizontalPodAutoscaler that cannot do its job: at maxReplicas while a metric is above its
 * target (or the controller says ScalingLimited TooManyReplicas), unable to read its metrics
 * (ScalingActive=False), or scaling a target that does not exist. Each is a warning: the workload
 * still runs, but it will not grow with its load.
 */
export const hpaAtMax = defineRule({
  id: 'hpa-at-max',
  summary:
    'an HPA that cannot read its metrics (missing requests named), whose target is missing, or pinned at maxReplicas',
  reads: [],
  kinds: ['HorizontalPodAutoscaler'],
  detect(hpa, { graph }) {
    const ref = refOf(hpa);
    const name = hpa.metadata.name;
    const conditions = hpa.status?.conditions ?? [];
    const condition = (type: string): Condition | undefined => conditions.find((c) => c.type === type);
    const findings: Finding[] = [];
    const target = hpa.spec?.scaleTargetRef;
    const targetText = `${target?.kind ?? '?'}/${target?.name ?? '?'}`;

    const targetNode = graph
      .outgoing(refKey(ref))
      .filter((edge) => edge.kind === 'scales')
      .map((edge) => graph.nodeByKey(edge.to))[0];
    if (targetNode?.presence === 'missing') {
      const ableToScale = condition('AbleToScale');
      findings.push({
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `HorizontalPodAutoscaler ${name} scales ${targetText}, which does not exist`,
        evidence: [
          { source: 'graph', resource: targetNode.ref, text: `${targetText} not found` },
          ...(ableToScale?.status === 'False'
            ? [{ source: 'status' as const, text: conditionText(ableToScale) }]
            : []),
        ],
        fix: {
          summary: `point spec.scaleTargetRef at the workload to scale, or delete the autoscaler`,
          commands: [
            `kubectl ${nsFlag(ref)}get deployments,statefulsets`,
            `kubectl ${nsFlag(ref)}edit hpa ${name}  # spec.scaleTargetRef`,
          ],
        },
      });
      return findings;
    }

    const active = condition('ScalingActive');
    if (active?.status === 'False' && active.reason !== 'ScalingDisabled') {
      const message = active.message ?? '';
      const missingRequest = /missing request for (\S+)/.exec(message)?.[1];
      const noMetricsApi = /metrics\.k8s\.io|unable to fetch metrics|no metrics returned/.test(message);
      findings.push({
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `HorizontalPodAutoscaler ${name} cannot read its metrics (${active.reason ?? 'ScalingActive=False'}): it does not scale ${targetText}`,
        evidence: [{ source: 'status', text: conditionText(active) }],
        fix:
          missingRequest !== undefined
            ? {
                summary: `utilization is measured against requests: set a ${missingRequest} request on every container of ${targetText}`,
                commands: [
                  `kubectl ${nsFlag(ref)}set resources ${targetText.toLowerCase()} --requests=${missingRequest}=${missingRequest === 'cpu' ? '100m' : '128Mi'}  # a figure that fits its usage`,
                ],
              }
            : noMetricsApi
              ? {
                  summary: 'make the resource metrics API answer (metrics-server installed and available)',
                  commands: [
                    'kubectl get apiservice v1beta1.metrics.k8s.io',
                    `kubectl ${nsFlag(ref)}top pods`,
                  ],
                }
              : {
                  summary: 'make the metric the autoscaler names available, or fix its name in spec.metrics',
                  commands: [`kubectl ${nsFlag(ref)}describe hpa ${name}`],
                },
      });
    }

    const current = hpa.status?.currentReplicas ?? 0;
    const max = hpa.spec?.maxReplicas;
    if (max === undefined || current < max) return findings;
    const limited = condition('ScalingLimited');
    const tooMany = limited?.status === 'True' && limited.reason === 'TooManyReplicas';
    const readings = metricReadings(hpa);
    const over = readings.filter((r) => r.ratio > 1);
    if (over.length === 0 && !tooMany) return findings;
    const ratio = Math.max(1, ...over.map((r) => r.ratio));
    // The controller's own rule: desired = ceil(current × current metric ÷ target).
    const suggested = Math.max(max + 1, Math.ceil(current * ratio));
    const evidence: Evidence[] = [
      {
        source: 'status',
        text: `currentReplicas ${String(current)}, desiredReplicas ${String(hpa.status?.desiredReplicas ?? current)}, maxReplicas ${String(max)}`,
      },
      ...over.map((r) => ({ source: 'status' as const, text: r.text })),
    ];
    if (limited?.status === 'True') evidence.push({ source: 'status', text: conditionText(limited) });
    findings.push({
      ruleId: this.id,
      severity: 'warning',
      resource: ref,
      message: `HorizontalPodAutoscaler ${name} is at its ceiling of ${String(max)} replicas${over.length === 0 ? '' : ` with ${over.map((r) => r.text).join(', ')}`}: ${targetText} cannot grow with its load`,
      evidence,
      fix: {
        summary:
          over.length === 0
            ? `raise maxReplicas (${String(suggested)} is one more than now), if the cluster has room`
            : `raise maxReplicas to ${String(suggested)} (current replicas × metric ÷ target, as the autoscaler computes it), if the cluster has room; or make each pod handle more`,
        commands: [
          `kubectl ${nsFlag(ref)}patch hpa ${name} -p '{"spec":{"maxReplicas":${String(suggested)}}}'`,
        ],
      },
    });
    return findings;
  },
});

/** Each spec metric with its current value, where the status has one. */
function metricReadings(hpa: HorizontalPodAutoscaler): MetricReading[] {
  const target = hpa.spec?.targetCPUUtilizationPercentage;
  const currentCpu = hpa.status?.currentCPUUtilizationPercentage;
  if (target !== undefined && currentCpu !== undefined && target > 0)
    return [
      {
        text: `cpu utilization ${String(currentCpu)}% (target ${String(target)}%)`,
        ratio: currentCpu / target,
      },
    ];
  const readings: MetricReading[] = [];
  for (const spec of hpa.spec?.metrics ?? []) {
    const specPart = partOf(spec);
    if (specPart === undefined) continue;
    const status = (hpa.status?.currentMetrics ?? []).find((m) => {
      const part = partOf(m);
      return m.type === spec.type && part?.name === specPart.name;
    });
    const reading = compare(
      specPart.name,
      specPart.values.target,
      status === undefined ? undefined : partOf(status)?.values.current,
    );
    if (reading !== undefined) readings.push(reading);
  }
  return readings;
}

/** The part of a metric its type names, with the metric's name. */
function partOf(metric: MetricSpec):
  | {
      readonly name: string;
      readonly values: { readonly target?: MetricValue; readonly current?: MetricValue };
    }
  | undefined {
  switch (metric.type) {
    case 'Resource':
      return metric.resource === undefined
        ? undefined
        : { name: metric.resource.name ?? '?', values: metric.resource };
    case 'ContainerResource':
      return metric.containerResource === undefined
        ? undefined
        : {
            name: `${metric.containerResource.name ?? '?'} of container ${metric.containerResource.container ?? '?'}`,
            values: metric.containerResource,
          };
    case 'Pods':
      return metric.pods === undefined
        ? undefined
        : { name: metric.pods.metric?.name ?? '?', values: metric.pods };
    case 'Object':
      return metric.object === undefined
        ? undefined
        : { name: metric.object.metric?.name ?? '?', values: metric.object };
    case 'External':
      return metric.external === undefined
        ? undefined
        : { name: metric.external.metric?.name ?? '?', values: metric.external };
    case undefined:
    default:
      return undefined;
  }
}

function compare(
  name: string,
  target: MetricValue | undefined,
  current: MetricValue | undefined,
): MetricReading | undefined {
  if (target === undefined || current === undefined) return undefined;
  if (
    target.averageUtilization !== undefined &&
    current.averageUtilization !== undefined &&
    target.averageUtilization > 0
  )
    return {
      text: `${name} utilization ${String(current.averageUtilization)}% (target ${String(target.averageUtilization)}%)`,
      ratio: current.averageUtilization / target.averageUtilization,
    };
  for (const field of ['averageValue', 'value'] as const) {
    const want = target[field];
    const have = current[field];
    if (want === undefined || have === undefined) continue;
    const wantNumber = quantity(want);
    const haveNumber = quantity(have);
    if (wantNumber === undefined || haveNumber === undefined || wantNumber <= 0) continue;
    return {
      text: `${name} ${field === 'averageValue' ? 'average ' : ''}${have} (target ${want})`,
      ratio: haveNumber / wantNumber,
    };
  }
  return undefined;
}

/** A status value that is not a quantity is no reading, not a reason to fail the analysis. */
function quantity(text: string): number | undefined {
  try {
    return parseQuantity(text);
  } catch {
    return undefined;
  }
}

function conditionText(condition: Condition): string {
  return `${condition.type}=${condition.status}${condition.reason === undefined ? '' : ` ${condition.reason}`}${condition.message === undefined ? '' : `: ${condition.message}`}`;
}
