import type { KubeObject } from '../../core/kube-object.js';
import { equalityPairs, selectorMatches, type LabelSelector } from '../../core/label-selector.js';
import type { Snapshot } from '../../core/snapshot.js';

/**
 * The pods in `namespace` a selector selects. Narrows by the first equality pair through the
 * snapshot's label index, then checks the whole selector, so a thousand Services over ten
 * thousand pods stays linear.
 */
export function selectedPods(
  snapshot: Snapshot,
  namespace: string | undefined,
  selector: LabelSelector,
): readonly KubeObject[] {
  const [first] = equalityPairs(selector);
  const candidates =
    first === undefined
      ? snapshot.ofKind('Pod', namespace)
      : snapshot.withLabel('Pod', namespace, first[0], first[1]);
  return candidates.filter((pod) => selectorMatches(selector, pod.metadata.labels));
}
