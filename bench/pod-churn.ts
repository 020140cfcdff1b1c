/**
 * Pods shaped like a real capture (test/fixtures/realdata: a crash-looping pod with its managedFields,
 * ~5 KB of JSON) and the churn a real cluster makes of them: each step is what the kubelet writes
 * next (the container starts, then crashes into CrashLoopBackOff), with a new resourceVersion and
 * managedFields time, and now and then a person's label edit. The memory benchmarks feed these to
 * the real recorder and store.
 */
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../src/core/kube-object.ts';
import { realdataPath } from '../test/support/realdata.ts';

const CAPTURE = realdataPath('pods/troubleshoot_crashloop-exit127-containercannotrun_podlist.json');

interface ContainerStatus {
  restartCount: number;
  ready: boolean;
  state: Record<string, unknown>;
  lastState: Record<string, unknown>;
}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

/** The capture's pod, writable (a type alias, so it is a KubeObject as it is). */
type PodShape = {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    managedFields?: { time?: string }[];
  };
  status: { containerStatuses: ContainerStatus[]; conditions: Condition[] };
};

/** Where a benchmark's made-up history ends: fixed, so a cached store reads the same any day. */
export const HISTORY_END_MS = Date.parse('2026-11-22T00:00:00Z');

let template: PodShape | undefined;

function podTemplate(): PodShape {
  template ??= (JSON.parse(readFileSync(CAPTURE, 'utf8')) as { items: PodShape[] }).items[0];
  if (template === undefined) throw new Error(`${CAPTURE}: no pod in the capture`);
  return template;
}

/** Pod `i` of namespace `namespace`: the capture under a new name, uid and resourceVersion. */
export function podNumber(i: number, namespace: string): KubeObject {
  const pod = structuredClone(podTemplate());
  pod.metadata.name = `app-${String(Math.floor(i / 5))}-7d4b9c6f8-${i.toString(36).padStart(5, 'x')}`;
  pod.metadata.namespace = namespace;
  pod.metadata.uid = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  pod.metadata.resourceVersion = String(1000 + i);
  pod.metadata.labels = { ...pod.metadata.labels, app: `app-${String(Math.floor(i / 5))}` };
  return pod;
}

/**
 * The pod after its next step of churn, at `at` with resourceVersion `version`: odd steps start
 * the container, even steps crash it; every twentieth is a label edit instead.
 */
export function churned(pod: KubeObject, step: number, at: string, version: string): KubeObject {
  // Parsed from JSON, as a watch stream hands each object over.
  const next = JSON.parse(JSON.stringify(pod)) as PodShape;
  next.metadata.resourceVersion = version;
  if (step % 20 === 19) {
    next.metadata.labels = { ...next.metadata.labels, 'release-train': `r${String(step)}` };
    return next;
  }
  for (const entry of next.metadata.managedFields ?? []) entry.time = at;
  const container = next.status.containerStatuses[0];
  if (container === undefined) return next;
  const ready = step % 2 === 1;
  if (ready) {
    container.restartCount += 1;
    container.state = { running: { startedAt: at } };
  } else {
    container.lastState = {
      terminated: { exitCode: 127, reason: 'ContainerCannotRun', startedAt: at, finishedAt: at },
    };
    container.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 1m20s restarting failed container=nginx pod=${next.metadata.name}_${next.metadata.namespace ?? ''}(${next.metadata.uid ?? ''})`,
      },
    };
  }
  container.ready = ready;
  for (const condition of next.status.conditions) {
    if (condition.type === 'Ready' || condition.type === 'ContainersReady') {
      condition.status = ready ? 'True' : 'False';
      condition.lastTransitionTime = at;
    }
  }
  return next;
}
