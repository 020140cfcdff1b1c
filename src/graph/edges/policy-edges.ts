import type { HorizontalPodAutoscaler, SelectorOwner } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { sibling, type EdgeExtractor } from './edge-sink.js';
import { selectedPods } from './pod-selection.js';

/**
 * PDB → the pods it protects, HPA → its scale target, and each pod → the NetworkPolicies that
 * isolate it (`isolated-by`): what traffic reaches a pod depends on them, so a policy that drops
 * it sits upstream of the pod, and of the pod's callers.
 */
export const policyEdges: EdgeExtractor = (object, sink) => {
  const from = refOf(object);
  switch (object.kind) {
    case 'PodDisruptionBudget': {
      const selector = (object as SelectorOwner).spec?.selector;
      // policy/v1: a null selector selects no pods; an empty one selects every pod in the namespace.
      if (selector === undefined) return;
      for (const pod of selectedPods(sink.snapshot, object.metadata.namespace, selector))
        sink.link(from, refOf(pod), 'selects');
      return;
    }
    case 'NetworkPolicy': {
      const selector = (object as SelectorOwner).spec?.podSelector ?? {};
      for (const pod of selectedPods(sink.snapshot, object.metadata.namespace, selector))
        sink.link(refOf(pod), from, 'isolated-by');
      return;
    }
    case 'HorizontalPodAutoscaler': {
      const target = (object as HorizontalPodAutoscaler).spec?.scaleTargetRef;
      if (target?.kind !== undefined && target.name !== undefined)
        sink.link(from, sibling(object, target.kind, target.name), 'scales');
      return;
    }
    default:
      return;
  }
};
