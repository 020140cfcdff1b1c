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
  readonly configMapRef?: { readonly name?: string; readonly optional?: boolean };
  readonly secretRef?: { readonly name?: string; readonly optional?: boolean };
}

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort?: number;
  readonly protocol?: string;
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
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly startupProbe?: Probe;
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
  readonly runtimeClassName?: string;
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
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
  };
}

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController: a selector and a pod template. */
export interface Workload extends KubeObject {
  readonly spec?: {
    readonly replicas?: number;
    readonly selector?: LabelSelector;
    readonly template?: { readonly spec?: PodSpec };
    readonly jobTemplate?: { readonly spec?: { readonly template?: { readonly spec?: PodSpec } } };
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
}

export interface Service extends KubeObject {
  readonly spec?: {
    readonly type?: string;
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports?: readonly ServicePort[];
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
  readonly spec?: { readonly volumeName?: string; readonly storageClassName?: string };
  readonly status?: { readonly phase?: string };
}

export interface PersistentVolume extends KubeObject {
  readonly spec?: {
    readonly storageClassName?: string;
    readonly claimRef?: { readonly name?: string; readonly namespace?: string };
  };
  readonly status?: { readonly phase?: string };
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
    readonly clientConfig?: { readonly service?: ServiceReference };
  }[];
}

export interface APIService extends KubeObject {
  readonly spec?: { readonly service?: ServiceReference | null };
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
