/**
 * Real captures from test/fixtures/realdata (see SOURCES.md there) and faithful objects built like
 * them, for the memory tier's tests. A "before" or "after" is a copy of a capture with the edit a
 * person or controller makes, including the bookkeeping the API server does on every write
 * (resourceVersion, generation, managedFields time).
 */
import type { KubeObject } from '../../src/core/kube-object.js';
import { realdataJson as realdata } from './realdata.js';

/**
 * A kubeadm Deployment with full managedFields: `coredns` or `metrics-server` (kube-system). The
 * support bundle stores them without kind and apiVersion; they get back what `kubectl get` shows.
 */
export function realDeployment(name: 'coredns' | 'metrics-server'): KubeObject {
  const list = realdata(
    'deployments/troubleshoot_deployments_kube-system_coredns_metrics-server_managedFields.json',
  ) as KubeObject[];
  const found = list.find((object) => object.metadata.name === name);
  if (found === undefined) throw new Error(`no Deployment ${name} in the capture`);
  return { apiVersion: 'apps/v1', ...found, kind: 'Deployment' };
}

/** A real pod capture under pods/: the first of a PodList, or a bare Pod (given its kind if it has none). */
export function realPod(file: string): KubeObject {
  const capture = realdata(`pods/${file}`) as { items?: KubeObject[] } & Partial<KubeObject>;
  const pod = capture.items === undefined ? capture : capture.items[0];
  if (pod?.metadata === undefined) throw new Error(`no pod in ${file}`);
  return { ...pod, kind: 'Pod', metadata: pod.metadata };
}

/** A deep copy to edit into another state. */
export function copy<T>(object: T): T {
  return structuredClone(object);
}

type Step = string | number;

/** The value at a path of keys and positions, undefined where it leads nowhere. */
export function getIn(object: unknown, path: readonly Step[]): unknown {
  let value = object;
  for (const step of path) value = isContainer(value) ? (value as Record<Step, unknown>)[step] : undefined;
  return value;
}

/** Sets the value at a path (making maps on the way); `undefined` deletes it. Returns the object. */
export function setIn<T>(object: T, path: readonly Step[], value: unknown): T {
  const last = path.at(-1);
  if (last === undefined) throw new Error('an empty path');
  let parent: unknown = object;
  for (const step of path.slice(0, -1)) {
    if (!isContainer(parent)) throw new Error(`cannot set ${path.join('.')}`);
    const record = parent as Record<Step, unknown>;
    record[step] ??= {};
    parent = record[step];
  }
  if (!isContainer(parent)) throw new Error(`cannot set ${path.join('.')}`);
  if (value === undefined) {
    if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
    else Reflect.deleteProperty(parent, last);
  } else (parent as Record<Step, unknown>)[last] = value;
  return object;
}

/**
 * What the API server does to an object on every write: a new resourceVersion, and the writing
 * manager's managedFields entry restamped.
 */
export function written(object: KubeObject, resourceVersion: string, manager: string, time: string): void {
  setIn(object, ['metadata', 'resourceVersion'], resourceVersion);
  const entries = getIn(object, ['metadata', 'managedFields']);
  if (!Array.isArray(entries)) return;
  for (const entry of entries as { manager?: string; time?: string }[])
    if (entry.manager === manager) entry.time = time;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
