/**
 * The kinds kubectl-smart understands, with what the API server needs to list them and what
 * kubectl users type for them. One table, so resource arguments, the live source and the
 * renderers agree on names.
 */
export interface KindInfo {
  readonly kind: string;
  /** API group; '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  /**
   * Defined by a CustomResourceDefinition that a cluster may not have installed (Chaos Mesh's
   * PodChaos): read where it is served, and where it is not, skipped without a word. Its absence is
   * neither a data gap nor coverage (an experiment nobody could read is unknown, never missing).
   */
  readonly optional?: boolean;
  /**
   * Its objects act on other namespaces (a chaos experiment in `chaos-testing` selects pods in
   * `shop`): listed across all namespaces even when a command is scoped to one, where the user may.
   */
  readonly readAcrossNamespaces?: boolean;
}

/** A table entry that keeps its kind's name as a literal type, so {@link KnownKind} can list them. */
const k = <const K extends string>(
  kind: K,
  group: string,
  version: string,
  plural: string,
  namespaced: boolean,
  shortNames: readonly string[] = [],
): KindInfo & { readonly kind: K } => ({ kind, group, version, plural, namespaced, shortNames });

/**
 * A chaos experiment's kind: defined by a CRD, so read only where a cluster serves it, and read
 * across namespaces, since an experiment selects pods in any namespace it names.
 */
const chaos = <const K extends string>(
  kind: K,
  group: string,
  plural: string,
): KindInfo & { readonly kind: K; readonly optional: true } => ({
  ...k(kind, group, 'v1alpha1', plural, true),
  optional: true,
  readAcrossNamespaces: true,
});

const TABLE = [
  k('Pod', '', 'v1', 'pods', true, ['po']),
  k('Node', '', 'v1', 'nodes', false, ['no']),
  k('Namespace', '', 'v1', 'namespaces', false, ['ns']),
  k('Service', '', 'v1', 'services', true, ['svc']),
  k('Endpoints', '', 'v1', 'endpoints', true, ['ep']),
  k('ConfigMap', '', 'v1', 'configmaps', true, ['cm']),
  k('Secret', '', 'v1', 'secrets', true),
  k('ServiceAccount', '', 'v1', 'serviceaccounts', true, ['sa']),
  k('PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims', true, ['pvc']),
  k('PersistentVolume', '', 'v1', 'persistentvolumes', false, ['pv']),
  k('Event', '', 'v1', 'events', true, ['ev']),
  k('ReplicationController', '', 'v1', 'replicationcontrollers', true, ['rc']),
  k('ResourceQuota', '', 'v1', 'resourcequotas', true, ['quota']),
  k('LimitRange', '', 'v1', 'limitranges', true, ['limits']),
  k('Deployment', 'apps', 'v1', 'deployments', true, ['deploy']),
  k('ReplicaSet', 'apps', 'v1', 'replicasets', true, ['rs']),
  k('StatefulSet', 'apps', 'v1', 'statefulsets', true, ['sts']),
  k('DaemonSet', 'apps', 'v1', 'daemonsets', true, ['ds']),
  k('Job', 'batch', 'v1', 'jobs', true),
  k('CronJob', 'batch', 'v1', 'cronjobs', true, ['cj']),
  k('HorizontalPodAutoscaler', 'autoscaling', 'v2', 'horizontalpodautoscalers', true, ['hpa']),
  k('PodDisruptionBudget', 'policy', 'v1', 'poddisruptionbudgets', true, ['pdb']),
  k('Ingress', 'networking.k8s.io', 'v1', 'ingresses', true, ['ing']),
  k('IngressClass', 'networking.k8s.io', 'v1', 'ingressclasses', false),
  k('NetworkPolicy', 'networking.k8s.io', 'v1', 'networkpolicies', true, ['netpol']),
  k('EndpointSlice', 'discovery.k8s.io', 'v1', 'endpointslices', true),
  k('StorageClass', 'storage.k8s.io', 'v1', 'storageclasses', false, ['sc']),
  k('Role', 'rbac.authorization.k8s.io', 'v1', 'roles', true),
  k('RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'rolebindings', true),
  k('ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', false),
  k('ClusterRoleBinding', 'rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', false),
  k(
    'ValidatingWebhookConfiguration',
    'admissionregistration.k8s.io',
    'v1',
    'validatingwebhookconfigurations',
    false,
  ),
  k(
    'MutatingWebhookConfiguration',
    'admissionregistration.k8s.io',
    'v1',
    'mutatingwebhookconfigurations',
    false,
  ),
  k('APIService', 'apiregistration.k8s.io', 'v1', 'apiservices', false),
  k('PriorityClass', 'scheduling.k8s.io', 'v1', 'priorityclasses', false, ['pc']),
  k('RuntimeClass', 'node.k8s.io', 'v1', 'runtimeclasses', false),
  k('Lease', 'coordination.k8s.io', 'v1', 'leases', true),
  // Fault injection: Chaos Mesh's experiments and what runs them, and LitmusChaos's engine. Their
  // kinds and plurals are those of the projects' CRDs (no short names: Chaos Mesh gives Workflow
  // `wf`, which Argo Workflows' Workflow has too).
  chaos('PodChaos', 'chaos-mesh.org', 'podchaos'),
  chaos('NetworkChaos', 'chaos-mesh.org', 'networkchaos'),
  chaos('StressChaos', 'chaos-mesh.org', 'stresschaos'),
  chaos('HTTPChaos', 'chaos-mesh.org', 'httpchaos'),
  chaos('IOChaos', 'chaos-mesh.org', 'iochaos'),
  chaos('DNSChaos', 'chaos-mesh.org', 'dnschaos'),
  chaos('TimeChaos', 'chaos-mesh.org', 'timechaos'),
  chaos('Schedule', 'chaos-mesh.org', 'schedules'),
  chaos('Workflow', 'chaos-mesh.org', 'workflows'),
  chaos('ChaosEngine', 'litmuschaos.io', 'chaosengines'),
] as const;

/** Every known kind. Order is the order `deps` and `events` list them in when they must pick. */
export const KINDS: readonly KindInfo[] = TABLE;

/**
 * Pod usage from the Metrics API (metrics-server). Not among {@link KINDS}: it is no object of the
 * cluster's state but a reading, served only where metrics-server runs, and read only when a
 * finding needs it (an OOM-killed container's usage). Its plural, `pods`, is the Pod kind's.
 */
export const POD_METRICS = k('PodMetrics', 'metrics.k8s.io', 'v1beta1', 'pods', true);

const byName = new Map<string, KindInfo>();
for (const info of KINDS) {
  const names = [
    info.kind.toLowerCase(),
    info.plural,
    ...info.shortNames,
    info.group === '' ? undefined : `${info.kind.toLowerCase()}.${info.group}`,
    info.group === '' ? undefined : `${info.plural}.${info.group}`,
  ];
  for (const name of names) if (name !== undefined) byName.set(name, info);
}
const byKind = new Map(KINDS.map((info) => [info.kind, info]));

/** Looks a kind up the way kubectl does: `deploy`, `deployments`, `Deployment`, `deployments.apps`. */
export function findKind(name: string): KindInfo | undefined {
  return byName.get(name.toLowerCase());
}

/** The kind's entry by its canonical name (`Deployment`), if it is one we know. */
export function kindInfo(kind: string): KindInfo | undefined {
  return byKind.get(kind);
}

/** True for kinds that live in a namespace. Unknown kinds are assumed namespaced, as CRDs mostly are. */
export function isNamespaced(kind: string): boolean {
  return byKind.get(kind)?.namespaced ?? true;
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(info: KindInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** What `kubectl auth can-i` takes for this kind: `deployments.apps`, or `pods` for the core group. */
export function resourceNameOf(info: KindInfo): string {
  return info.group === '' ? info.plural : `${info.plural}.${info.group}`;
}

/**
 * The name of a kind this build knows (`Pod`, `Deployment`, …, and `PodMetrics`): what rules and
 * snapshots are typed by, so a misspelt kind is a compile error. Custom resources are read by
 * name at run time and are not among them, but for the few a rule reads (the `optional` ones).
 */
export type KnownKind = (typeof TABLE)[number]['kind'] | (typeof POD_METRICS)['kind'];

/**
 * The kinds that own pods, directly or through another (ReplicaSet → Deployment, Job → CronJob):
 * what a pod's owner chain climbs through.
 */
export const CONTROLLER_KINDS = [
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
] as const satisfies readonly KnownKind[];
