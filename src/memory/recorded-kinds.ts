import { KINDS, type KindInfo } from '../core/kinds.js';

/**
 * What the recorder follows by default: the objects whose changes explain outages (workloads and
 * their pods, what they mount and route through, nodes, storage, scaling and disruption rules,
 * policies, the classes and webhooks they rely on), and events. Left out: Endpoints and
 * EndpointSlices (they follow pods, and churn with every readiness flip), Leases (heartbeats), RBAC
 * (rarely the story, often large; `--kinds` adds it).
 */
const DEFAULT_RECORDED = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
  'Service',
  'Ingress',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Node',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'IngressClass',
  'PriorityClass',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'Event',
]);

export const DEFAULT_RECORDED_KINDS: readonly KindInfo[] = KINDS.filter((kind) =>
  DEFAULT_RECORDED.has(kind.kind),
);

/** Where a followed kind's watch resumes: one cursor per kind and namespace (`pods`, `deployments.apps@shop`). */
export function cursorScope(kind: KindInfo, namespace: string | undefined): string {
  const resource = kind.group === '' ? kind.plural : `${kind.plural}.${kind.group}`;
  return kind.namespaced && namespace !== undefined ? `${resource}@${namespace}` : resource;
}
