import type { Node, NodeSelectorRequirement, PodSpec, Taint, Toleration } from '../core/kube-types.js';

/** Whether a toleration lets a pod onto a node with this taint (the API's ToleratesTaint). */
export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      (t.operator === 'Exists'
        ? t.key === undefined || t.key === '' || t.key === taint.key
        : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

/** `key=value:Effect`, as kubectl prints taints. */
export function formatTaint(taint: Taint): string {
  return `${taint.key}${taint.value === undefined || taint.value === '' ? '' : `=${taint.value}`}:${taint.effect}`;
}

/** The node's taints with these effects that the tolerations do not tolerate. */
export function untolerated(
  node: Node,
  tolerations: readonly Toleration[],
  effects: readonly string[] = ['NoSchedule', 'NoExecute'],
): Taint[] {
  return (node.spec?.taints ?? []).filter(
    (taint) => effects.includes(taint.effect) && !tolerates(tolerations, taint),
  );
}

/**
 * Whether a pod spec's nodeSelector and required node affinity allow the node (the scheduler's
 * NodeAffinity filter): every nodeSelector label, and one of the nodeSelectorTerms.
 */
export function nodeMatches(node: Node, spec: PodSpec | undefined): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(spec?.nodeSelector ?? {}))
    if (labels[key] !== value) return false;
  const terms =
    spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms === undefined || terms.length === 0) return true;
  return terms.some(
    (term) =>
      ((term.matchExpressions?.length ?? 0) > 0 || (term.matchFields?.length ?? 0) > 0) &&
      (term.matchExpressions ?? []).every((r) => requirementMatches(r, labels[r.key])) &&
      (term.matchFields ?? []).every((r) =>
        requirementMatches(r, r.key === 'metadata.name' ? node.metadata.name : undefined),
      ),
  );
}

function requirementMatches(requirement: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const [bound] = values;
      if (value === undefined || bound === undefined || !/^-?\d+$/.test(value)) return false;
      return requirement.operator === 'Gt' ? Number(value) > Number(bound) : Number(value) < Number(bound);
    }
    default:
      return false;
  }
}
