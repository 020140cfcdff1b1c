/**
 * Small helpers shared by the fault tests and the scene builders: typed-enough object access,
 * create/patch through the harness's JSON client, polling, and the "evidence corpus" (everything
 * a namespace shows: objects, events, logs, decoded TLS certificates) that scenes are checked on.
 *
 * Node built-ins only; erasable TypeScript.
 */
import { X509Certificate } from 'node:crypto';
import type {
  Condition,
  ContainerState as KubeContainerState,
  ContainerStatus as KubeContainerStatus,
  Node,
  PersistentVolumeClaim,
  Pod,
  PodDisruptionBudget,
  Workload,
} from '../../../src/core/kube-types.js';
import type { ClusterHandle, KubeClient, NodeSpec } from '../harness.ts';

/** A Kubernetes object as JSON; `spec` and `status` depend on the kind (see {@link ObjOf}). */
export interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    resourceVersion?: string;
    ownerReferences?: { kind: string; name: string }[];
  };
  spec?: unknown;
  status?: unknown;
  data?: Record<string, string>;
  [k: string]: unknown;
}

/** A container state, with the runtime's container ID of a terminated one. */
export interface ContainerState extends KubeContainerState {
  readonly terminated?: NonNullable<KubeContainerState['terminated']> & { readonly containerID?: string };
}

/** A container status, with what the kubelet reports beyond the product's view. */
export interface ContainerStatus extends KubeContainerStatus {
  readonly started?: boolean;
  readonly imageID?: string;
  readonly containerID?: string;
  readonly state?: ContainerState;
  readonly lastState?: ContainerState;
}

/** A Pod as the tests read it. */
export interface PodObj extends Obj {
  spec?: Pod['spec'];
  status?: Omit<NonNullable<Pod['status']>, 'containerStatuses' | 'initContainerStatuses'> & {
    readonly containerStatuses?: readonly ContainerStatus[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
  };
}

/** A Node as the tests read it. */
export interface NodeObj extends Obj {
  spec?: Node['spec'];
  status?: Node['status'];
}

/** A Deployment, ReplicaSet, StatefulSet or Job as the tests read it. */
export interface WorkloadObj extends Obj {
  spec?: Workload['spec'];
  status?: Workload['status'];
}

/** A PersistentVolumeClaim as the tests read it. */
export interface PersistentVolumeClaimObj extends Obj {
  spec?: PersistentVolumeClaim['spec'];
  status?: PersistentVolumeClaim['status'];
}

/** A PodDisruptionBudget as the tests read it. */
export interface PodDisruptionBudgetObj extends Obj {
  spec?: PodDisruptionBudget['spec'];
  status?: PodDisruptionBudget['status'] & { readonly observedGeneration?: number };
}

interface ObjViews {
  Pod: PodObj;
  Node: NodeObj;
  Deployment: WorkloadObj;
  ReplicaSet: WorkloadObj;
  StatefulSet: WorkloadObj;
  Job: WorkloadObj;
  PersistentVolumeClaim: PersistentVolumeClaimObj;
  PodDisruptionBudget: PodDisruptionBudgetObj;
}

/** How objects of `kind` are read: a typed view for the kinds above, {@link Obj} for the others. */
export type ObjOf<K extends string> = K extends keyof ObjViews ? ObjViews[K] : Obj;

/** A core/v1 Event. */
export interface Ev {
  reason: string;
  message: string;
  type: string;
  count?: number;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string; fieldPath?: string };
  metadata: { name: string; annotations?: Record<string, string> };
}

/** Where a scene is set and what its analysis must find. */
export interface Scene {
  readonly namespace: string;
  /** The object the product is asked about (`kubectl smart analyze <kind>/<name> -n <namespace>`). */
  readonly target: { readonly kind: string; readonly name: string };
  readonly expect: {
    /** Short, machine-checkable description of the root cause, e.g. `ConfigMap/api-config key CACHE_SIZE`. */
    readonly rootCause: string;
    /** Substrings that appear in the namespace's status, events, logs (see {@link evidenceCorpus}). */
    readonly evidence: readonly string[];
  };
  /** Facts seen while setting the scene that are not stored in the cluster (e.g. an API refusal). */
  readonly observed?: Readonly<Record<string, unknown>>;
}

/** A scene builder: sets the scene in `namespace` (created if missing) and injects the fault. */
export type SceneBuilder = (cluster: ClusterHandle, namespace: string) => Promise<Scene>;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws with `what` and the last value after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const t0 = performance.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (performance.now() - t0 > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
    await sleep(intervalMs);
  }
}

const RESOURCES: Record<string, { group: string; plural: string; cluster?: boolean }> = {
  Namespace: { group: 'v1', plural: 'namespaces', cluster: true },
  Node: { group: 'v1', plural: 'nodes', cluster: true },
  Pod: { group: 'v1', plural: 'pods' },
  Event: { group: 'v1', plural: 'events' },
  Service: { group: 'v1', plural: 'services' },
  ConfigMap: { group: 'v1', plural: 'configmaps' },
  ResourceQuota: { group: 'v1', plural: 'resourcequotas' },
  NetworkPolicy: { group: 'networking.k8s.io/v1', plural: 'networkpolicies' },
  Secret: { group: 'v1', plural: 'secrets' },
  ServiceAccount: { group: 'v1', plural: 'serviceaccounts' },
  PersistentVolumeClaim: { group: 'v1', plural: 'persistentvolumeclaims' },
  Deployment: { group: 'apps/v1', plural: 'deployments' },
  ReplicaSet: { group: 'apps/v1', plural: 'replicasets' },
  StatefulSet: { group: 'apps/v1', plural: 'statefulsets' },
  Job: { group: 'batch/v1', plural: 'jobs' },
  PodDisruptionBudget: { group: 'policy/v1', plural: 'poddisruptionbudgets' },
  HorizontalPodAutoscaler: { group: 'autoscaling/v2', plural: 'horizontalpodautoscalers' },
  Ingress: { group: 'networking.k8s.io/v1', plural: 'ingresses' },
  IngressClass: { group: 'networking.k8s.io/v1', plural: 'ingressclasses', cluster: true },
  StorageClass: { group: 'storage.k8s.io/v1', plural: 'storageclasses', cluster: true },
  EndpointSlice: { group: 'discovery.k8s.io/v1', plural: 'endpointslices' },
};

/** The API path of a kind's collection (`ns` ignored for cluster-scoped kinds). */
export function collectionPath(kind: string, ns?: string): string {
  const r = RESOURCES[kind];
  if (!r) throw new Error(`collectionPath: unknown kind ${kind}`);
  const base = r.group === 'v1' ? '/api/v1' : `/apis/${r.group}`;
  return r.cluster === true || ns === undefined
    ? `${base}/${r.plural}`
    : `${base}/namespaces/${ns}/${r.plural}`;
}

/** The API path of one object. */
export function objectPath(kind: string, name: string, ns?: string): string {
  return `${collectionPath(kind, ns)}/${name}`;
}

/** Creates an object (POST) as the given client; throws unless 201. Returns the created object. */
export async function create(client: KubeClient, obj: Obj): Promise<Obj> {
  const kind = obj.kind ?? '';
  const r = await client.request<Obj>('POST', collectionPath(kind, obj.metadata.namespace), {
    apiVersion: RESOURCES[kind]?.group,
    ...obj,
  });
  if (r.status !== 201) throw new Error(`create ${kind} ${obj.metadata.name}: ${r.status} ${r.text}`);
  return r.body;
}

/** Creates every object in order. */
export async function createAll(client: KubeClient, objs: readonly Obj[]): Promise<void> {
  for (const o of objs) await create(client, o);
}

/** GET one object (undefined on 404). */
export async function get<K extends string>(
  client: KubeClient,
  kind: K,
  name: string,
  ns?: string,
): Promise<ObjOf<K> | undefined> {
  const r = await client.request<ObjOf<K>>('GET', objectPath(kind, name, ns));
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`get ${kind} ${name}: ${r.status} ${r.text}`);
  return r.body;
}

/** Lists objects of a kind, optionally by label selector (`app=api`). */
export async function list<K extends string>(
  client: KubeClient,
  kind: K,
  ns?: string,
  labelSelector?: string,
): Promise<ObjOf<K>[]> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  const r = await client.request<{ items: ObjOf<K>[] }>('GET', collectionPath(kind, ns) + q);
  if (r.status !== 200) throw new Error(`list ${kind}: ${r.status} ${r.text}`);
  return r.body.items;
}

/** Patches an object (merge patch by default; `strategic` for core/apps kinds). */
export async function patch(
  client: KubeClient,
  kind: string,
  name: string,
  ns: string | undefined,
  body: unknown,
  opts: { readonly type?: 'merge' | 'strategic' | 'json'; readonly subresource?: string } = {},
): Promise<Obj> {
  const type = opts.type ?? 'merge';
  const contentType =
    type === 'merge'
      ? 'application/merge-patch+json'
      : type === 'json'
        ? 'application/json-patch+json'
        : 'application/strategic-merge-patch+json';
  const p = objectPath(kind, name, ns) + (opts.subresource ? `/${opts.subresource}` : '');
  const r = await client.request<Obj>('PATCH', p, body, { contentType });
  if (r.status !== 200) throw new Error(`patch ${kind} ${name}: ${r.status} ${r.text}`);
  return r.body;
}

/** Creates a namespace (ignores "already exists"). */
export async function ensureNamespace(client: KubeClient, ns: string): Promise<void> {
  const r = await client.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns },
  });
  if (r.status !== 201 && r.status !== 409) throw new Error(`create namespace ${ns}: ${r.status} ${r.text}`);
  // Pods need the default ServiceAccount (the serviceaccount controller creates it).
  await waitFor(
    `ServiceAccount ${ns}/default`,
    async () => (await get(client, 'ServiceAccount', 'default', ns)) !== undefined,
  );
}

/** Events of a namespace. */
export async function events(client: KubeClient, ns: string): Promise<Ev[]> {
  const r = await client.request<{ items: Ev[] }>('GET', `/api/v1/namespaces/${ns}/events`);
  if (r.status !== 200) throw new Error(`list events: ${r.status} ${r.text}`);
  return r.body.items;
}

/** Events about one object, optionally with a reason. */
export async function eventsFor(
  client: KubeClient,
  ns: string,
  name: string,
  reason?: string,
): Promise<Ev[]> {
  return (await events(client, ns)).filter(
    (e) => e.involvedObject.name === name && (reason === undefined || e.reason === reason),
  );
}

/** Pods of a namespace, by label selector. */
export function pods(client: KubeClient, ns: string, labelSelector?: string): Promise<PodObj[]> {
  return list(client, 'Pod', ns, labelSelector);
}

/** The first container status (or init container status) of a pod. */
export function cstatus(p: PodObj | undefined, init = false, i = 0): ContainerStatus | undefined {
  return (init ? p?.status?.initContainerStatuses : p?.status?.containerStatuses)?.[i];
}

/** A condition (of a pod, node, workload, PDB) by type. */
export function condition(
  o: { readonly status?: { readonly conditions?: readonly Condition[] } } | undefined,
  type: string,
): Condition | undefined {
  return o?.status?.conditions?.find((c) => c.type === type);
}

/** `kubectl logs [--previous]` text of a pod's container (empty string when none). */
export async function podLogs(
  client: KubeClient,
  ns: string,
  pod: string,
  previous = false,
  container?: string,
): Promise<string> {
  const q = new URLSearchParams();
  if (previous) q.set('previous', 'true');
  if (container) q.set('container', container);
  const r = await client.request(
    'GET',
    `/api/v1/namespaces/${ns}/pods/${pod}/log?${q.toString()}`,
    undefined,
    {
      accept: '*/*',
    },
  );
  return r.status === 200 ? r.text : '';
}

/** A Deployment object. */
export function deployment(
  ns: string,
  name: string,
  opts: {
    readonly replicas?: number;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly podSpec?: Record<string, unknown>;
    readonly containers?: readonly Record<string, unknown>[];
    readonly image?: string;
  } = {},
): Obj {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
        spec: {
          containers: opts.containers ?? [
            { name: name, image: opts.image ?? `registry.example.com/${name}:1.0` },
          ],
          ...opts.podSpec,
        },
      },
    },
  };
}

/** Waits until a Deployment's pods exist and returns them (excluding terminating ones). */
export async function waitPods(
  client: KubeClient,
  ns: string,
  selector: string,
  ok: (pods: PodObj[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<PodObj[]> {
  return waitFor(
    what,
    async () => {
      const ps = (await pods(client, ns, selector)).filter((p) => p.metadata.deletionTimestamp === undefined);
      return ps.length > 0 && ok(ps) ? ps : undefined;
    },
    timeoutMs,
  );
}

/** Adds a node dedicated to one namespace's pods (tainted `kubectl-smart.io/dedicated=<ns>:NoSchedule`). */
export function dedicatedNode(ns: string, spec: NodeSpec): NodeSpec {
  return {
    ...spec,
    labels: { 'kubectl-smart.io/dedicated': ns, ...spec.labels },
    taints: [{ key: 'kubectl-smart.io/dedicated', value: ns, effect: 'NoSchedule' }, ...(spec.taints ?? [])],
  };
}

/** Tolerations and node selector that put a pod on a {@link dedicatedNode} of `ns`. */
export function onDedicatedNode(ns: string): Record<string, unknown> {
  return {
    nodeSelector: { 'kubectl-smart.io/dedicated': ns },
    tolerations: [{ key: 'kubectl-smart.io/dedicated', operator: 'Equal', value: ns, effect: 'NoSchedule' }],
  };
}

/**
 * Everything the namespace shows, as one text: its objects (pods, events, services, endpoint
 * slices, workloads, config maps, PVCs, PDBs, HPAs, ingresses, secrets' metadata and, for TLS
 * secrets, the certificate's subject and notAfter), pod logs (current and previous), nodes and
 * storage classes. Scene evidence strings must appear in it.
 */
export async function evidenceCorpus(client: KubeClient, ns: string): Promise<string> {
  const parts: string[] = [];
  const kinds = [
    'Pod',
    'Service',
    'EndpointSlice',
    'Deployment',
    'ReplicaSet',
    'Job',
    'ConfigMap',
    'PersistentVolumeClaim',
    'PodDisruptionBudget',
    'HorizontalPodAutoscaler',
    'Ingress',
  ];
  for (const k of kinds) parts.push(JSON.stringify(await list(client, k, ns)));
  parts.push(JSON.stringify(await events(client, ns)));
  for (const s of await list(client, 'Secret', ns)) {
    parts.push(JSON.stringify({ metadata: s.metadata, type: s['type'] }));
    const crt = s.data?.['tls.crt'];
    if (crt) {
      const x = new X509Certificate(Buffer.from(crt, 'base64'));
      parts.push(
        `Secret ${s.metadata.name} tls.crt subject=${x.subject.replace(/\n/g, ',')} subjectAltName=${x.subjectAltName ?? ''} notAfter=${new Date(x.validTo).toISOString()}`,
      );
    }
  }
  for (const p of await list(client, 'Pod', ns)) {
    for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]) {
      parts.push(await podLogs(client, ns, p.metadata.name, false, c.name));
      parts.push(await podLogs(client, ns, p.metadata.name, true, c.name));
    }
  }
  parts.push(JSON.stringify(await list(client, 'Node')));
  parts.push(JSON.stringify(await list(client, 'StorageClass')));
  return parts.join('\n');
}

/** The evidence strings of a scene that do not appear in its namespace (empty when all do). */
export async function missingEvidence(client: KubeClient, scene: Scene): Promise<string[]> {
  const text = await evidenceCorpus(client, scene.namespace);
  // JSON escapes quotes; accept either form.
  return scene.expect.evidence.filter(
    (e) => !text.includes(e) && !text.includes(JSON.stringify(e).slice(1, -1)),
  );
}
