import { CONTROLLER_KINDS, KINDS } from '../../core/kinds.js';
import type { KubeObject } from '../../core/kube-object.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { isMadeBy, readExperiment } from '../chaos/chaos-experiment.js';
import { podsOfTarget, selectsTemplateOf, type ChaosTarget } from '../chaos/chaos-targets.js';
import type { EdgeExtractor } from './edge-sink.js';
import { hasPods, isTopLevel } from './workload-pods.js';

/** The chaos kinds read (Chaos Mesh's and LitmusChaos's): those whose objects make `disrupted-by` edges. */
export const CHAOS_KINDS: readonly string[] = KINDS.filter(
  (kind) => kind.group === 'chaos-mesh.org' || kind.group === 'litmuschaos.io',
).map((kind) => kind.kind);

/** The labels Chaos Mesh marks what a Schedule or Workflow made with, for the label index. */
const MADE_BY_LABEL: Readonly<Record<string, string>> = {
  Schedule: 'managed-by',
  Workflow: 'chaos-mesh.org/workflow',
};

/**
 * An active chaos experiment → nothing; each pod it faults → it (`disrupted-by`, with how it
 * selects the pod), so the experiment is upstream of the pods and explains their failures. A
 * workload with no pods whose template it would select depends on it too. A paused, finished or
 * stopped experiment links nothing. A Schedule or Workflow whose own experiment is running leaves
 * the links to that experiment, so the pods are not said to be faulted twice.
 */
export const chaosEdges: EdgeExtractor = (object, sink) => {
  const { snapshot } = sink;
  const experiment = readExperiment(object, snapshot.capturedAt);
  if (experiment === undefined || !experiment.state.active) return;
  if (object.kind in MADE_BY_LABEL && runsAnExperiment(object, snapshot)) return;
  const linked = new Set<string>();
  for (const target of experiment.targets) {
    for (const pod of podsOfTarget(target, snapshot)) {
      const key = refKey(refOf(pod));
      if (linked.has(key)) continue;
      linked.add(key);
      sink.link(refOf(pod), experiment.ref, 'disrupted-by', { via: target.via });
    }
    for (const workload of podlessWorkloads(target, snapshot)) {
      const key = refKey(refOf(workload));
      if (linked.has(key)) continue;
      linked.add(key);
      sink.link(refOf(workload), experiment.ref, 'disrupted-by', { via: target.via });
    }
  }
};

/** Whether a Schedule or Workflow has made an experiment that is active now. */
function runsAnExperiment(parent: KubeObject, snapshot: Snapshot): boolean {
  const label = MADE_BY_LABEL[parent.kind] ?? '';
  return CHAOS_KINDS.some((kind) =>
    snapshot
      .withLabel(kind, parent.metadata.namespace, label, parent.metadata.name)
      .some(
        (child) =>
          child !== parent &&
          isMadeBy(child, parent) &&
          readExperiment(child, snapshot.capturedAt)?.state.active === true,
      ),
  );
}

/** Top-level workloads in the target's namespaces that have no pods and whose template it selects. */
function podlessWorkloads(target: ChaosTarget, snapshot: Snapshot): KubeObject[] {
  const namespaces = target.by === 'selector' ? target.namespaces : [target.namespace];
  return namespaces.flatMap((namespace) =>
    CONTROLLER_KINDS.flatMap((kind) =>
      snapshot
        .ofKind(kind, namespace)
        .filter(
          (workload) =>
            isTopLevel(workload) && selectsTemplateOf(target, workload) && !hasPods(workload, snapshot),
        ),
    ),
  );
}
