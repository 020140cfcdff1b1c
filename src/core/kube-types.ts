/**
 * Read-only views of the fields kubectl-smart reads, per kind. Every field is optional because
 * the inputs are real-world JSON: cast a KubeObject to one of these and read defensively.
 */
import type { KubeObject } from './kube-object.js';
import type { LabelSelector } from './label-selector.js';

export interface KeyRef {
  readonly name?: string;
  readonly key?: string;
  readonly optional?: boolean;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly configMapKeyRef?: KeyRef; readonly secretKeyRef?: KeyRef };
}

export interface EnvFromSource {
  /** Prepended to every key's variable name. */
  readonly prefix?: string;
  readonly configMapRef?: { readonly name?: string; readonly optional?: boolean };
  readonly secretRef?: { readonly name?: string; readonly optional?: boolean };
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort?: number;
  readonly protocol?: string;
  /** The node's port it is bound to: one pod per node may hold a port and protocol (on an address). */
  readonly hostPort?: number;
  readonly hostIP?: string;
}

/** Where a container sees one of the pod's volumes: the whole volume, or one file of it (`subPath`). */
export interface VolumeMount {
  readonly name?: string;
  readonly mountPath?: string;
  readonly subPath?: string;
}

export interface ResourceRequirements {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/** How the kubelet checks a container: one of the handlers, and when and how often. */
export interface Probe {
  readonly httpGet?: {
    readonly path?: string;
    readonly port?: number | string;
    readonly scheme?: string;
    readonly host?: string;
  };
  readonly tcpSocket?: { readonly port?: number | string; readonly host?: string };
  readonly exec?: { readonly command?: readonly string[] };
  readonly grpc?: { readonly port?: number; readonly service?: string };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly resources?: ResourceRequirements;
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly EnvFromSource[];
  readonly ports?: readonly ContainerPort[];
  readonly volumeMounts?: readonly VolumeMount[];
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly startupProbe?: Probe;
  /** The executable and its arguments; without them the image's ENTRYPOINT and CMD run. */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly lifecycle?: {
    readonly postStart?: LifecycleHandler;
    readonly preStop?: LifecycleHandler;
  };
  /** `Always` on an init container makes it a sidecar: it keeps running beside the app (1.28+). */
  readonly restartPolicy?: string;
}

/** A postStart or preStop hook: one handler. */
export interface LifecycleHandler {
  readonly exec?: { readonly command?: readonly string[] };
  readonly httpGet?: { readonly path?: string; readonly port?: number | string; readonly host?: string };
  readonly sleep?: { readonly seconds?: number };
}

/** Metadata of an object being deleted: how long it was given, and what must let go of it first. */
export interface DeletionMetadata {
  readonly deletionTimestamp?: string;
  readonly deletionGracePeriodSeconds?: number;
  readonly finalizers?: readonly string[];
}

export interface KeyToPath {
  readonly key?: string;
}

export interface Volume {
  readonly name: string;
  readonly configMap?: {
    readonly name?: string;
    readonly optional?: boolean;
    readonly items?: readonly KeyToPath[];
  };
  readonly secret?: {
    readonly secretName?: string;
    readonly optional?: boolean;
    readonly items?: readonly KeyToPath[];
  };
  readonly persistentVolumeClaim?: { readonly claimName?: string };
  readonly projected?: {
    readonly sources?: readonly {
      readonly configMap?: {
        readonly name?: string;
        readonly optional?: boolean;
        readonly items?: readonly KeyToPath[];
      };
      readonly secret?: {
        readonly name?: string;
        readonly optional?: boolean;
        readonly items?: readonly KeyToPath[];
      };
    }[];
  };
}

export interface PodSpec {
  readonly nodeName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations?: readonly Toleration[];
  readonly serviceAccountName?: string;
  readonly serviceAccount?: string;
  readonly imagePullSecrets?: readonly { readonly name?: string }[];
  readonly priorityClassName?: string;
  /** The priority the admission controller resolved from priorityClassName: higher preempts lower. */
  readonly priority?: number;
  readonly runtimeClassName?: string;
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly restartPolicy?: string;
  /** Gates that hold the pod back from the scheduler until something removes them (PodSchedulingReadiness). */
  readonly schedulingGates?: readonly { readonly name: string }[];
  readonly affinity?: Affinity;
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  readonly terminationGracePeriodSeconds?: number;
  /** `ClusterFirst` (the default) resolves cluster names; `Default` uses the node's resolver, which does not. */
  readonly dnsPolicy?: string;
  readonly hostNetwork?: boolean;
}

/** One pod (anti-)affinity term: pods matching the selector, within the same topology domain. */
export interface PodAffinityTerm {
  readonly labelSelector?: LabelSelector;
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: LabelSelector;
  readonly topologyKey?: string;
}

export interface PodAffinityRules {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[];
}

/** A node selector term: every expression (on labels) and field (metadata.name) must match. */
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
  readonly matchFields?: readonly NodeSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  readonly key: string;
  /** In, NotIn, Exists, DoesNotExist, Gt, Lt. */
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface Affinity {
  readonly nodeAffinity?: {
    readonly requiredDuringSchedulingIgnoredDuringExecution?: {
      readonly nodeSelectorTerms?: readonly NodeSelectorTerm[];
    };
  };
  readonly podAffinity?: PodAffinityRules;
  readonly podAntiAffinity?: PodAffinityRules;
}

export interface TopologySpreadConstraint {
  readonly maxSkew?: number;
  readonly topologyKey?: string;
  readonly whenUnsatisfiable?: string;
  readonly labelSelector?: LabelSelector;
  readonly minDomains?: number;
}

export interface ContainerStatus {
  readonly name: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerState;
  readonly lastState?: ContainerState;
}

export interface ContainerState {
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: {
    readonly reason?: string;
    readonly exitCode?: number;
    readonly message?: string;
    readonly startedAt?: string;
    readonly finishedAt?: string;
  };
}

export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastHeartbeatTime?: string;
  readonly lastTransitionTime?: string;
}

export interface Pod extends KubeObject {
  readonly spec?: PodSpec;
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    /** Why the pod is in this phase, in the kubelet's words (an eviction's message). */
    readonly message?: string;
    readonly conditions?: readonly Condition[];
    readonly containerStatuses?: readonly ContainerStatus[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
    /** When the kubelet acknowledged the pod. */
    readonly startTime?: string;
    /** The pod's address: what a peer's log names when it dials the pod directly. */
    readonly podIP?: string;
    /** The node the scheduler preempted lower-priority pods on for it, waiting for them to go. */
    readonly nominatedNodeName?: string;
  };
}

/**
 * What the Metrics API (metrics-server, `metrics.k8s.io/v1beta1`) says a pod uses: each
 * container's working-set memory and CPU over the `window` ending at `timestamp`.
 */
export interface PodMetrics extends KubeObject {
  readonly timestamp?: string;
  readonly window?: string;
  readonly containers?: readonly {
    readonly name: string;
    readonly usage?: { readonly cpu?: string; readonly memory?: string };
  }[];
}

/** A workload's pod template: the labels and spec of the pods it makes. */
export interface PodTemplate {
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: PodSpec;
}

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController: a selector and a pod template. */
export interface Workload extends KubeObject {
  readonly spec?: {
    readonly replicas?: number;
    readonly selector?: LabelSelector;
    readonly template?: PodTemplate;
    readonly jobTemplate?: { readonly spec?: { readonly template?: PodTemplate } };
  };
  readonly status?: {
    readonly replicas?: number;
    readonly readyReplicas?: number;
    readonly availableReplicas?: number;
    readonly numberReady?: number;
    readonly desiredNumberScheduled?: number;
    readonly failed?: number;
    readonly succeeded?: number;
    readonly conditions?: readonly Condition[];
  };
}

export interface ServicePort {
  readonly name?: string;
  readonly port?: number;
  readonly targetPort?: number | string;
  /** TCP when unset; a named targetPort matches a container port of the same name and protocol. */
  readonly protocol?: string;
}

export interface Service extends KubeObject {
  readonly spec?: {
    readonly type?: string;
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports?: readonly ServicePort[];
    /** `None` for a headless Service. */
    readonly clusterIP?: string;
    readonly clusterIPs?: readonly string[];
    /** The DNS name an `ExternalName` Service is an alias (CNAME) of. */
    readonly externalName?: string;
  };
}

export interface EndpointSlice extends KubeObject {
  readonly endpoints?: readonly { readonly conditions?: { readonly ready?: boolean } }[];
}

export interface IngressBackend {
  readonly service?: {
    readonly name?: string;
    readonly port?: { readonly number?: number; readonly name?: string };
  };
}

export interface Ingress extends KubeObject {
  readonly spec?: {
    readonly ingressClassName?: string;
    readonly defaultBackend?: IngressBackend;
    readonly tls?: readonly { readonly hosts?: readonly string[]; readonly secretName?: string }[];
    readonly rules?: readonly {
      readonly host?: string;
      readonly http?: {
        readonly paths?: readonly { readonly path?: string; readonly backend?: IngressBackend }[];
      };
    }[];
  };
}

export interface PersistentVolumeClaim extends KubeObject {
  readonly spec?: {
    readonly volumeName?: string;
    readonly storageClassName?: string;
    readonly accessModes?: readonly string[];
    readonly resources?: { readonly requests?: Readonly<Record<string, string>> };
    /** Filesystem when unset. */
    readonly volumeMode?: string;
    /** Only PersistentVolumes with these labels may bind it. */
    readonly selector?: LabelSelector;
  };
  readonly status?: { readonly phase?: string };
}

export interface PersistentVolume extends KubeObject {
  readonly spec?: {
    readonly storageClassName?: string;
    readonly claimRef?: { readonly name?: string; readonly namespace?: string; readonly uid?: string };
    readonly capacity?: Readonly<Record<string, string>>;
    readonly accessModes?: readonly string[];
    /** Retain, Delete or (deprecated) Recycle. */
    readonly persistentVolumeReclaimPolicy?: string;
    readonly volumeMode?: string;
  };
  /** `message` and `reason` say why a volume is Failed (a reclaim that did not work). */
  readonly status?: {
    readonly phase?: string;
    readonly message?: string;
    readonly reason?: string;
    /** When the phase last changed (1.29+). */
    readonly lastPhaseTransitionTime?: string;
  };
}

/** storage.k8s.io/v1 StorageClass: who provisions its volumes, and when claims bind. */
export interface StorageClass extends KubeObject {
  readonly provisioner?: string;
  /** Immediate when unset; WaitForFirstConsumer delays binding until a pod using the claim is scheduled. */
  readonly volumeBindingMode?: string;
  readonly reclaimPolicy?: string;
}

/** One autoscaling/v2 metric source; `current` in status, `target` in spec. */
export interface MetricValue {
  readonly type?: string;
  readonly averageUtilization?: number;
  readonly averageValue?: string;
  readonly value?: string;
}

/** An autoscaling/v2 metric, as spec.metrics (with `target`) and status.currentMetrics (with `current`) list them. */
export interface MetricSpec {
  readonly type?: string;
  readonly resource?: {
    readonly name?: string;
    readonly target?: MetricValue;
    readonly current?: MetricValue;
  };
  readonly containerResource?: {
    readonly name?: string;
    readonly container?: string;
    readonly target?: MetricValue;
    readonly current?: MetricValue;
  };
  readonly pods?: {
    readonly metric?: { readonly name?: string };
    readonly target?: MetricValue;
    readonly current?: MetricValue;
  };
  readonly object?: {
    readonly metric?: { readonly name?: string };
    readonly describedObject?: { readonly kind?: string; readonly name?: string };
    readonly target?: MetricValue;
    readonly current?: MetricValue;
  };
  readonly external?: {
    readonly metric?: { readonly name?: string };
    readonly target?: MetricValue;
    readonly current?: MetricValue;
  };
}

export interface HorizontalPodAutoscaler extends KubeObject {
  readonly spec?: {
    readonly scaleTargetRef?: { readonly kind?: string; readonly name?: string };
    readonly minReplicas?: number;
    readonly maxReplicas?: number;
    readonly metrics?: readonly MetricSpec[];
    /** autoscaling/v1 only. */
    readonly targetCPUUtilizationPercentage?: number;
  };
  readonly status?: {
    readonly currentReplicas?: number;
    readonly desiredReplicas?: number;
    readonly currentMetrics?: readonly MetricSpec[] | null;
    readonly conditions?: readonly Condition[];
    /** autoscaling/v1 only. */
    readonly currentCPUUtilizationPercentage?: number;
  };
}

export interface PodDisruptionBudget extends KubeObject {
  readonly spec?: {
    readonly selector?: LabelSelector;
    readonly minAvailable?: number | string;
    readonly maxUnavailable?: number | string;
  };
  readonly status?: {
    readonly currentHealthy?: number;
    readonly desiredHealthy?: number;
    readonly expectedPods?: number;
    readonly disruptionsAllowed?: number;
    readonly conditions?: readonly Condition[];
  };
}

export interface SelectorOwner extends KubeObject {
  readonly spec?: { readonly selector?: LabelSelector; readonly podSelector?: LabelSelector };
}

export interface Binding extends KubeObject {
  readonly roleRef?: { readonly kind?: string; readonly name?: string };
  readonly subjects?: readonly {
    readonly kind?: string;
    readonly name?: string;
    readonly namespace?: string;
  }[];
}

export interface ServiceReference {
  readonly name?: string;
  readonly namespace?: string;
  readonly port?: number;
}

export interface WebhookConfiguration extends KubeObject {
  readonly webhooks?: readonly {
    readonly name?: string;
    readonly clientConfig?: { readonly service?: ServiceReference; readonly url?: string };
    /** Fail (the admissionregistration.k8s.io/v1 default) or Ignore. */
    readonly failurePolicy?: string;
    readonly rules?: readonly WebhookRule[];
  }[];
}

/** Which requests an admission webhook intercepts. */
export interface WebhookRule {
  readonly apiGroups?: readonly string[];
  readonly apiVersions?: readonly string[];
  readonly operations?: readonly string[];
  readonly resources?: readonly string[];
  readonly scope?: string;
}

export interface APIService extends KubeObject {
  readonly spec?: {
    readonly service?: ServiceReference | null;
    readonly group?: string;
    readonly version?: string;
  };
  readonly status?: { readonly conditions?: readonly Condition[] };
}

/** networking.k8s.io/v1 NetworkPolicy: the pods it governs and the traffic it allows them. */
/** Who a NetworkPolicy rule admits: pods by labels, namespaces by labels (both: pods there), or addresses. */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr?: string; readonly except?: readonly string[] };
}

export interface NetworkPolicyPort {
  readonly protocol?: string;
  /** A number, or the name of a container port. */
  readonly port?: number | string;
  readonly endPort?: number;
}

/** One rule: traffic from (ingress) or to (egress) any of the peers, on any of the ports; absent lists admit all. */
export interface NetworkPolicyRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicy extends KubeObject {
  readonly spec?: {
    readonly podSelector?: LabelSelector;
    readonly policyTypes?: readonly string[];
    readonly ingress?: readonly NetworkPolicyRule[];
    readonly egress?: readonly NetworkPolicyRule[];
  };
}

export interface ServiceAccount extends KubeObject {
  readonly imagePullSecrets?: readonly { readonly name?: string }[];
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
  /** When a NoExecute taint was added (the node controller sets it). */
  readonly timeAdded?: string;
}

export interface Node extends KubeObject {
  readonly spec?: { readonly unschedulable?: boolean; readonly taints?: readonly Taint[] };
  readonly status?: {
    readonly conditions?: readonly Condition[];
    readonly allocatable?: Readonly<Record<string, string>>;
    readonly capacity?: Readonly<Record<string, string>>;
  };
}

/** batch/v1 Job: how many failures and how long it may take, and what its pods did. */
export interface Job extends KubeObject {
  readonly spec?: {
    readonly backoffLimit?: number;
    readonly activeDeadlineSeconds?: number;
    readonly completions?: number;
    readonly parallelism?: number;
    readonly suspend?: boolean;
    readonly podFailurePolicy?: { readonly rules?: readonly { readonly action?: string }[] };
    readonly template?: { readonly spec?: PodSpec };
  };
  readonly status?: {
    readonly active?: number;
    /** Active pods that are ready (1.24+). */
    readonly ready?: number;
    readonly failed?: number;
    readonly succeeded?: number;
    readonly startTime?: string;
    readonly completionTime?: string;
    readonly conditions?: readonly Condition[];
  };
}

/** batch/v1 CronJob: its schedule and what the controller last did with it. */
export interface CronJob extends KubeObject {
  readonly spec?: {
    readonly schedule?: string;
    readonly timeZone?: string;
    readonly suspend?: boolean;
    readonly startingDeadlineSeconds?: number;
    readonly concurrencyPolicy?: string;
    readonly jobTemplate?: { readonly spec?: { readonly template?: { readonly spec?: PodSpec } } };
  };
  readonly status?: {
    readonly active?: readonly {
      readonly name?: string;
      readonly namespace?: string;
      readonly uid?: string;
    }[];
    readonly lastScheduleTime?: string;
    readonly lastSuccessfulTime?: string;
  };
}

/** apps/v1 StatefulSet: its governing Service and the claims it makes per pod. */
export interface StatefulSet extends KubeObject {
  readonly spec?: {
    readonly replicas?: number;
    readonly selector?: LabelSelector;
    readonly serviceName?: string;
    readonly ordinals?: { readonly start?: number };
    readonly volumeClaimTemplates?: readonly {
      readonly metadata?: { readonly name?: string };
      readonly spec?: { readonly storageClassName?: string };
    }[];
    readonly template?: { readonly spec?: PodSpec };
  };
  readonly status?: { readonly replicas?: number; readonly readyReplicas?: number };
}

/** apps/v1 DaemonSet: where it runs and where it should not. */
export interface DaemonSet extends KubeObject {
  readonly spec?: { readonly template?: { readonly spec?: PodSpec } };
  readonly status?: {
    readonly desiredNumberScheduled?: number;
    readonly currentNumberScheduled?: number;
    readonly numberMisscheduled?: number;
    readonly numberReady?: number;
  };
}

/** v1 ResourceQuota: the namespace's limits and what is used of them, as quantities. */
export interface ResourceQuota extends KubeObject {
  readonly spec?: {
    readonly hard?: Readonly<Record<string, string>>;
    /** Which pods count (BestEffort, NotTerminating, …): a scoped quota counts only some. */
    readonly scopes?: readonly string[];
    readonly scopeSelector?: { readonly matchExpressions?: readonly unknown[] };
  };
  readonly status?: {
    readonly hard?: Readonly<Record<string, string>>;
    readonly used?: Readonly<Record<string, string>>;
  };
}
