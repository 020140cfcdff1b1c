/** Pods as far as label matching needs them. */
type Labelled = { readonly metadata: { readonly labels?: Readonly<Record<string, string>> } };

/**
 * Keys that say which workload a pod belongs to. When a selector names one, labels that do not
 * carry it with a close value belong to another workload, however many generic keys (`tier`,
 * `env`) they share.
 */
const IDENTITY_KEYS: ReadonlySet<string> = new Set([
  'app',
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'k8s-app',
  'name',
  'component',
  'app.kubernetes.io/component',
]);

/** How two label values compare: the same, one a plausible slip for the other, or unrelated. */
type Nearness = 'equal' | 'close' | 'far';

/**
 * The label set, among pods that share a selector key, closest to the selector; and how many pods
 * carry it. A selector `app=web,tier=front` that matches nothing is most often a slip for labels
 * that do exist (`app=webapp,tier=front`): naming them turns "matches nothing" into the fix. Only a
 * workload plausibly meant is named: every shared key's value is the same or close (one contains
 * the other, a common stem, a typo's edit distance), or close to the selecting object's `name`
 * (Service `payments` selecting `app=payment-svc` over pods `app=payments`); and when the selector
 * names an identity key (`app`, `app.kubernetes.io/name`…) the pods carry it. Another workload's
 * labels (`app=db` for `app=web`) are no hint. Equal values score over close ones; ties go to the
 * set more pods carry.
 */
export function closestLabels(
  pods: readonly Labelled[],
  selector: Readonly<Record<string, string>>,
  name?: string,
): { labels: string; count: number } | undefined {
  const keys = Object.keys(selector);
  const identity = keys.filter((key) => IDENTITY_KEYS.has(key));
  const tally = new Map<string, { score: number; count: number }>();
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    const shared = keys.filter((key) => key in labels);
    if (shared.length === 0 || !identity.every((key) => key in labels)) continue;
    const nearness = shared.map((key) => {
      const value = labels[key] ?? '';
      const wanted = nearnessOf(selector[key] ?? '', value);
      return wanted === 'far' && name !== undefined && nearnessOf(name, value) !== 'far' ? 'close' : wanted;
    });
    if (nearness.includes('far')) continue;
    const score = nearness.reduce((sum, n) => sum + (n === 'equal' ? 3 : 2), 0);
    const text = shared.map((key) => `${key}=${labels[key] ?? ''}`).join(',');
    const entry = tally.get(text) ?? { score, count: 0 };
    entry.count++;
    tally.set(text, entry);
  }
  const [best] = [...tally.entries()].sort(
    (a, b) => b[1].score - a[1].score || b[1].count - a[1].count || a[0].localeCompare(b[0]),
  );
  return best === undefined ? undefined : { labels: best[0], count: best[1].count };
}

/** Shortest stem or containment that counts as the same name (`api` in `api-server`). */
const MIN_STEM = 3;
/** Label values are at most 63 characters: a distance over longer strings is not computed. */
const MAX_VALUE = 63;

/** Whether `value` is `wanted`, a slip for it, or something else. */
function nearnessOf(wanted: string, value: string): Nearness {
  if (wanted === value) return 'equal';
  const a = wanted.toLowerCase();
  const b = value.toLowerCase();
  const shorter = Math.min(a.length, b.length);
  if (shorter >= MIN_STEM && (a.includes(b) || b.includes(a))) return 'close';
  const stem = commonPrefix(a, b);
  if (stem >= Math.max(MIN_STEM + 1, Math.ceil(shorter / 2)) && /[-_.]/.test(a.slice(stem) + b.slice(stem)))
    return 'close';
  if (a.length > MAX_VALUE || b.length > MAX_VALUE) return 'far';
  const distance = editDistance(a, b);
  return distance <= 2 && distance * 3 <= Math.max(a.length, b.length) ? 'close' : 'far';
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] ?? 0;
}
