/**
 * The shape of a Kubernetes object as the API server (or `kubectl get -o json`) returns it.
 * Only the fields every object has are typed; kind-specific views live in `kube-types.ts`.
 * Inputs come from files and servers we do not control, so everything below `metadata.name`
 * is optional and readers must not assume it is there.
 */
export interface OwnerReference {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
  readonly controller?: boolean;
}

/** `metadata` of any object. */
export interface ObjectMeta {
  readonly name: string;
  /** The prefix a controller names its objects with (`api-7d9f8c-`): siblings share it. */
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly managedFields?: readonly unknown[];
}

/** Any Kubernetes object. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** True when `value` has the minimum every object has: a kind and a metadata.name. */
export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { kind?: unknown; metadata?: { name?: unknown } | null };
  return (
    typeof candidate.kind === 'string' &&
    typeof candidate.metadata === 'object' &&
    candidate.metadata !== null &&
    typeof candidate.metadata.name === 'string'
  );
}
