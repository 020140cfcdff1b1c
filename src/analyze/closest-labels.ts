/** Pods as far as label matching needs them. */
type Labelled = { readonly metadata: { readonly labels?: Readonly<Record<string, string>> } };

/**
 * The label set, among pods that share a selector key, closest to the selector; and how many pods
 * carry it. A selector `app=web,tier=front` that matches nothing is most often a typo of labels
 * that do exist (`app=webapp,tier=front`): naming them turns "matches nothing" into the fix.
 * Scores keys whose value matches over keys merely present; ties go to the set more pods carry.
 */
export function closestLabels(
  pods: readonly Labelled[],
  selector: Readonly<Record<string, string>>,
): { labels: string; count: number } | undefined {
  const keys = Object.keys(selector);
  const tally = new Map<string, { score: number; count: number }>();
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    const shared = keys.filter((key) => key in labels);
    if (shared.length === 0) continue;
    const score = shared.filter((key) => labels[key] === selector[key]).length * 2 + shared.length;
    const text = shared.map((key) => `${key}=${labels[key] ?? ''}`).join(',');
    const entry = tally.get(text) ?? { score, count: 0 };
    entry.count++;
    tally.set(text, entry);
  }
  const [best] = [...tally.entries()].sort((a, b) => b[1].score - a[1].score || b[1].count - a[1].count);
  return best === undefined ? undefined : { labels: best[0], count: best[1].count };
}
