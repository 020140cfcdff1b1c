import type { KnownKind } from './kinds.js';
import type { KubeObject } from './kube-object.js';
import type {
  APIService,
  CronJob,
  DaemonSet,
  EndpointSlice,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  NetworkPolicy,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  PodMetrics,
  ResourceQuota,
  Service,
  ServiceAccount,
  StatefulSet,
  StorageClass,
  WebhookConfiguration,
  Workload,
} from './kube-types.js';

/**
 * The typed view of each kind that has one in kube-types.ts. A kind without one is a plain
 * {@link KubeObject} (ConfigMap and Secret data are read as maps of strings where needed).
 */
interface TypedKinds {
  readonly APIService: APIService;
  readonly CronJob: CronJob;
  readonly DaemonSet: DaemonSet;
  readonly Deployment: Workload;
  readonly EndpointSlice: EndpointSlice;
  readonly HorizontalPodAutoscaler: HorizontalPodAutoscaler;
  readonly Ingress: Ingress;
  readonly Job: Job;
  readonly MutatingWebhookConfiguration: WebhookConfiguration;
  readonly NetworkPolicy: NetworkPolicy;
  readonly Node: Node;
  readonly PersistentVolume: PersistentVolume;
  readonly PersistentVolumeClaim: PersistentVolumeClaim;
  readonly Pod: Pod;
  readonly PodDisruptionBudget: PodDisruptionBudget;
  readonly PodMetrics: PodMetrics;
  readonly ReplicaSet: Workload;
  readonly ReplicationController: Workload;
  readonly ResourceQuota: ResourceQuota;
  readonly Service: Service;
  readonly ServiceAccount: ServiceAccount;
  readonly StatefulSet: StatefulSet;
  readonly StorageClass: StorageClass;
  readonly ValidatingWebhookConfiguration: WebhookConfiguration;
}

/** The object type of a known kind: `ObjectOf<'Pod'>` is a Pod; a union of kinds gives a union. */
export type ObjectOf<K extends KnownKind> = K extends keyof TypedKinds ? TypedKinds[K] : KubeObject;
