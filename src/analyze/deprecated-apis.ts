/**
 * API versions Kubernetes has deprecated and stopped serving, per kind: the Deprecated API
 * Migration Guide (kubernetes.io/docs/reference/using-api/deprecation-guide), with the releases
 * the API server names in its own warning ("batch/v1beta1 CronJob is deprecated in v1.21+,
 * unavailable in v1.25+; use batch/v1 CronJob"). Versions removed in 1.16 predate those warnings;
 * their deprecation release is the one the project announced.
 */
export interface DeprecatedApi {
  /** `group/version` as manifests write it. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Minor release of Kubernetes 1.x that deprecated it: `1.21`. */
  readonly deprecatedIn: string;
  /** Minor release that stopped serving it: `1.25`. */
  readonly removedIn: string;
  /** The `group/version` to use instead; absent when the kind itself went away (PodSecurityPolicy). */
  readonly replacement?: string;
  /** What to use when there is no replacement version. */
  readonly note?: string;
}

const api = (
  apiVersion: string,
  kinds: readonly string[],
  deprecatedIn: string,
  removedIn: string,
  replacement?: string,
  note?: string,
): DeprecatedApi[] =>
  kinds.map((kind) => ({
    apiVersion,
    kind,
    deprecatedIn,
    removedIn,
    ...(replacement === undefined ? {} : { replacement }),
    ...(note === undefined ? {} : { note }),
  }));

/** Every entry, oldest removal first. */
export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  // v1.16
  ...api('extensions/v1beta1', ['Deployment', 'DaemonSet', 'ReplicaSet'], '1.9', '1.16', 'apps/v1'),
  ...api('apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet'], '1.9', '1.16', 'apps/v1'),
  ...api('apps/v1beta2', ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], '1.9', '1.16', 'apps/v1'),
  ...api('extensions/v1beta1', ['NetworkPolicy'], '1.8', '1.16', 'networking.k8s.io/v1'),
  ...api('extensions/v1beta1', ['PodSecurityPolicy'], '1.10', '1.16', 'policy/v1beta1'),
  // v1.22
  ...api('extensions/v1beta1', ['Ingress'], '1.14', '1.22', 'networking.k8s.io/v1'),
  ...api('networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], '1.19', '1.22', 'networking.k8s.io/v1'),
  ...api(
    'admissionregistration.k8s.io/v1beta1',
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    '1.16',
    '1.22',
    'admissionregistration.k8s.io/v1',
  ),
  ...api(
    'apiextensions.k8s.io/v1beta1',
    ['CustomResourceDefinition'],
    '1.16',
    '1.22',
    'apiextensions.k8s.io/v1',
  ),
  ...api('apiregistration.k8s.io/v1beta1', ['APIService'], '1.19', '1.22', 'apiregistration.k8s.io/v1'),
  ...api(
    'certificates.k8s.io/v1beta1',
    ['CertificateSigningRequest'],
    '1.19',
    '1.22',
    'certificates.k8s.io/v1',
  ),
  ...api('coordination.k8s.io/v1beta1', ['Lease'], '1.19', '1.22', 'coordination.k8s.io/v1'),
  ...api(
    'rbac.authorization.k8s.io/v1beta1',
    ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    '1.17',
    '1.22',
    'rbac.authorization.k8s.io/v1',
  ),
  ...api('scheduling.k8s.io/v1beta1', ['PriorityClass'], '1.14', '1.22', 'scheduling.k8s.io/v1'),
  ...api('storage.k8s.io/v1beta1', ['StorageClass'], '1.19', '1.22', 'storage.k8s.io/v1'),
  // v1.25
  ...api('batch/v1beta1', ['CronJob'], '1.21', '1.25', 'batch/v1'),
  ...api('discovery.k8s.io/v1beta1', ['EndpointSlice'], '1.21', '1.25', 'discovery.k8s.io/v1'),
  ...api('events.k8s.io/v1beta1', ['Event'], '1.22', '1.25', 'events.k8s.io/v1'),
  ...api('autoscaling/v2beta1', ['HorizontalPodAutoscaler'], '1.22', '1.25', 'autoscaling/v2'),
  ...api('policy/v1beta1', ['PodDisruptionBudget'], '1.21', '1.25', 'policy/v1'),
  ...api(
    'policy/v1beta1',
    ['PodSecurityPolicy'],
    '1.21',
    '1.25',
    undefined,
    'PodSecurityPolicy is gone: use Pod Security Admission (pod-security.kubernetes.io labels on namespaces) or a policy engine',
  ),
  ...api('node.k8s.io/v1beta1', ['RuntimeClass'], '1.22', '1.25', 'node.k8s.io/v1'),
  // v1.26
  ...api('autoscaling/v2beta2', ['HorizontalPodAutoscaler'], '1.23', '1.26', 'autoscaling/v2'),
  ...api(
    'flowcontrol.apiserver.k8s.io/v1beta1',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.23',
    '1.26',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  // v1.27
  ...api('storage.k8s.io/v1beta1', ['CSIStorageCapacity'], '1.24', '1.27', 'storage.k8s.io/v1'),
  // v1.29
  ...api(
    'flowcontrol.apiserver.k8s.io/v1beta2',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.26',
    '1.29',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  // v1.32
  ...api(
    'flowcontrol.apiserver.k8s.io/v1beta3',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    '1.29',
    '1.32',
    'flowcontrol.apiserver.k8s.io/v1',
  ),
];

const byVersionAndKind = new Map(
  DEPRECATED_APIS.map((entry) => [`${entry.apiVersion} ${entry.kind}`, entry]),
);

/** The entry for a kind written in an API version, if that version is deprecated for it. */
export function deprecationOf(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return byVersionAndKind.get(`${apiVersion} ${kind}`);
}
