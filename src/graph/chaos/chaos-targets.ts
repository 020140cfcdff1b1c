import type { KubeObject, OwnerReference } from '../../core/kube-object.js';
import type { Pod, Workload } from '../../core/kube-types.js';
import {
  formatSelector,
  isEmptySelector,
  selectorMatches,
  type LabelSelector,
  type LabelSelectorRequirement,
} from '../../core/label-selector.js';
import type { Snapshot } from '../../core/snapshot.js';
import { selectedPods } from '../edges/pod-selection.js';

/**
 * How an experiment picks the pods it faults, in the terms of its CRD, read once from its spec.
 * `via` says it as the edge shows it (`selector:app=db`).
 */
export type ChaosTarget = SelectorTarget | NamedPodsTarget | WorkloadTarget;

/** Pods of some namespaces matched by labels, annotations, fields, nodes and phases (Chaos Mesh's PodSelectorSpec; Litmus's applabel). */
export interface SelectorTarget {
  readonly by: 'selector';
  readonly via: string;
  readonly namespaces: readonly string[];
  readonly labels: LabelSelector;
  readonly annotations: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string>>;
  readonly nodes: readonly string[];
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly phases: readonly string[];
  /** Only pods a workload of this kind (lower case: `deployment`) controls (Litmus's appkind). */
  readonly ownerKind?: string;
}

/** Pods named one by one (Chaos Mesh's `selector.pods`, Litmus's `selectors.pods` and TARGET_PODS). */
export interface NamedPodsTarget {
  readonly by: 'names';
  readonly via: string;
  readonly namespace: string;
  readonly names: readonly string[];
}

/** The pods of workloads named by kind and name (Litmus's `selectors.workloads` with names). */
export interface WorkloadTarget {
  readonly by: 'workloads';
  readonly via: string;
  readonly namespace: string;
  /** Lower case, as Litmus writes it: `deployment`, `statefulset`, `daemonset`. */
  readonly kind: string;
  readonly names: readonly string[];
}

/** A pod field Chaos Mesh's fieldSelectors may name, read as the API server's field selectors do. */
const POD_FIELDS: Readonly<Record<string, (pod: Pod) => string | undefined>> = {
  'metadata.name': (pod) => pod.metadata.name,
  'metadata.namespace': (pod) => pod.metadata.namespace,
  'spec.nodeName': (pod) => pod.spec?.nodeName ?? '',
  'spec.restartPolicy': (pod) => pod.spec?.restartPolicy,
  'spec.serviceAccountName': (pod) => pod.spec?.serviceAccountName,
  'status.phase': (pod) => pod.status?.phase,
};

/** How deep an owner chain is climbed for Litmus's appkind (Pod → ReplicaSet → Deployment is two). */
const OWNER_HOPS = 4;

/** The pods `target` selects now, in the snapshot's order. */
export function podsOfTarget(target: ChaosTarget, snapshot: Snapshot): readonly Pod[] {
  switch (target.by) {
    case 'names':
      return target.names.flatMap((name) => {
        const pod = snapshot.get({ kind: 'Pod', namespace: target.namespace, name });
        return pod === undefined ? [] : [pod];
      });
    case 'workloads':
      return snapshot
        .ofKind('Pod', target.namespace)
        .filter((pod) => ownerChain(pod, snapshot).some((owner) => isNamedWorkload(owner, target)));
    case 'selector':
      return target.namespaces.flatMap((namespace) =>
        (selectedPods(snapshot, namespace, target.labels) as readonly Pod[]).filter(
          (pod) => otherSelectorsMatch(target, pod, snapshot) && ownerKindMatches(target, pod, snapshot),
        ),
      );
    default:
      return target satisfies never;
  }
}

/**
 * Whether `target` would select the pods `workload` makes, read from its template: what links an
 * experiment to a workload that has no pods now. Only what a template says can be matched: a
 * selector on fields, nodes or phases, or pods named one by one, match no template.
 */
export function selectsTemplateOf(target: ChaosTarget, workload: KubeObject): boolean {
  const namespace = workload.metadata.namespace;
  if (namespace === undefined) return false;
  switch (target.by) {
    case 'names':
      return false;
    case 'workloads':
      return isNamedWorkload({ kind: workload.kind, name: workload.metadata.name }, target);
    case 'selector': {
      if (!target.namespaces.includes(namespace)) return false;
      if (
        Object.keys(target.fields).length > 0 ||
        target.nodes.length > 0 ||
        Object.keys(target.nodeLabels).length > 0 ||
        target.phases.length > 0
      )
        return false;
      if (target.ownerKind !== undefined && workload.kind.toLowerCase() !== target.ownerKind) return false;
      const metadata = templateMetadata(workload);
      return (
        selectorMatches(target.labels, metadata.labels) &&
        mapMatches(target.annotations, metadata.annotations)
      );
    }
    default:
      return target satisfies never;
  }
}

function templateMetadata(workload: KubeObject): {
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
} {
  const spec = (
    workload as Workload & {
      spec?: {
        template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } };
        jobTemplate?: {
          spec?: {
            template?: {
              metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
            };
          };
        };
      };
    }
  ).spec;
  return spec?.template?.metadata ?? spec?.jobTemplate?.spec?.template?.metadata ?? {};
}

function otherSelectorsMatch(target: SelectorTarget, pod: Pod, snapshot: Snapshot): boolean {
  if (!mapMatches(target.annotations, pod.metadata.annotations)) return false;
  for (const [field, value] of Object.entries(target.fields)) {
    const read = POD_FIELDS[field];
    // A field we cannot read selects nothing: a false edge would blame the wrong pods.
    if (read === undefined || read(pod) !== value) return false;
  }
  if (target.nodes.length > 0 && !target.nodes.includes(pod.spec?.nodeName ?? '')) return false;
  if (Object.keys(target.nodeLabels).length > 0) {
    const nodeName = pod.spec?.nodeName;
    const node = nodeName === undefined ? undefined : snapshot.get({ kind: 'Node', name: nodeName });
    if (node === undefined || !mapMatches(target.nodeLabels, node.metadata.labels)) return false;
  }
  if (target.phases.length > 0 && !target.phases.includes(pod.status?.phase ?? '')) return false;
  return true;
}

function ownerKindMatches(target: SelectorTarget, pod: Pod, snapshot: Snapshot): boolean {
  if (target.ownerKind === undefined) return true;
  const kind = target.ownerKind;
  return ownerChain(pod, snapshot).some((owner) => owner.kind.toLowerCase() === kind);
}

function isNamedWorkload(owner: { kind: string; name: string }, target: WorkloadTarget): boolean {
  return owner.kind.toLowerCase() === target.kind && target.names.includes(owner.name);
}

/** The controllers above a pod, nearest first, as far as the snapshot holds them (the last may be only named). */
function ownerChain(object: KubeObject, snapshot: Snapshot): { kind: string; name: string }[] {
  const chain: { kind: string; name: string }[] = [];
  let current: KubeObject | undefined = object;
  for (let hop = 0; hop < OWNER_HOPS && current !== undefined; hop++) {
    const controller: OwnerReference | undefined = current.metadata.ownerReferences?.find(
      (owner) => owner.controller === true,
    );
    if (controller === undefined) break;
    chain.push({ kind: controller.kind, name: controller.name });
    const namespace: string | undefined = current.metadata.namespace;
    current =
      (controller.uid === undefined ? undefined : snapshot.byUid(controller.uid)) ??
      (namespace === undefined
        ? undefined
        : snapshot.get({ kind: controller.kind, namespace, name: controller.name }));
  }
  return chain;
}

function mapMatches(
  wanted: Readonly<Record<string, string>>,
  actual: Readonly<Record<string, string>> | undefined,
): boolean {
  return Object.entries(wanted).every(([key, value]) => actual?.[key] === value);
}

/** A map of strings from untrusted input: entries that are not strings are left out. */
export function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** A list of strings from untrusted input. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Label selector requirements from untrusted input (Chaos Mesh's expressionSelectors). */
export function requirements(value: unknown): LabelSelectorRequirement[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const { key, operator, values } = (item ?? {}) as { key?: unknown; operator?: unknown; values?: unknown };
    return typeof key === 'string' && typeof operator === 'string'
      ? [{ key, operator, values: stringList(values) }]
      : [];
  });
}

/** How a selector target reads in an edge: `selector:app=db,tier in (a,b),annotation:x=y`. */
export function describeSelector(
  prefix: string,
  target: Omit<SelectorTarget, 'by' | 'via'>,
  ownNamespace: string,
): string {
  const parts: string[] = [];
  if (!isEmptySelector(target.labels)) parts.push(formatSelector(target.labels));
  for (const [key, value] of Object.entries(target.annotations)) parts.push(`annotation:${key}=${value}`);
  for (const [key, value] of Object.entries(target.fields)) parts.push(`field:${key}=${value}`);
  if (target.nodes.length > 0) parts.push(`nodes:${target.nodes.join(',')}`);
  for (const [key, value] of Object.entries(target.nodeLabels)) parts.push(`node:${key}=${value}`);
  if (target.phases.length > 0) parts.push(`phase:${target.phases.join(',')}`);
  if (target.ownerKind !== undefined) parts.push(`kind:${target.ownerKind}`);
  const elsewhere = target.namespaces.filter((namespace) => namespace !== ownNamespace);
  if (parts.length === 0 || elsewhere.length > 0) parts.push(`namespace:${target.namespaces.join(',')}`);
  return `${prefix}:${parts.join(',')}`;
}
