import type { Problem } from '../analyze/problem.js';
import type { Finding } from '../core/finding.js';

/**
 * What `-n NAMESPACE` answers: the problems that reach the namespace. The analysis also reads what
 * lies outside it — nodes, StorageClasses, the namespaces its pods dial — so that a cause there is
 * found; a problem rooted outside that touches nothing in the namespace (a NotReady node running
 * none of its pods, a failure elsewhere in a namespace it calls into) is another namespace's
 * answer, and would only push this one down. Findings outside the namespace stay when a kept
 * problem holds them.
 */
export function withinNamespace(
  problems: readonly Problem[],
  findings: readonly Finding[],
  namespace: string,
): { readonly problems: readonly Problem[]; readonly findings: readonly Finding[] } {
  const inside = (ref: { readonly namespace?: string } | undefined): boolean => ref?.namespace === namespace;
  const touches = (finding: Finding): boolean =>
    inside(finding.resource) || finding.evidence.some((item) => inside(item.resource));
  const kept = problems.filter(
    (problem) =>
      [problem.rootCause, ...problem.symptoms, ...problem.contributing].some(touches) ||
      problem.alsoOn.some(inside) ||
      problem.chain.some(inside),
  );
  const held = new Set(kept.flatMap((p) => [p.rootCause, ...p.symptoms, ...p.contributing]));
  return { problems: kept, findings: findings.filter((f) => inside(f.resource) || held.has(f)) };
}
