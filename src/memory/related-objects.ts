import { Coverage } from '../core/coverage.js';
import { KINDS } from '../core/kinds.js';
import { refKey, refOf, type ResourceRef } from '../core/resource-ref.js';
import { Snapshot } from '../core/snapshot.js';
import { objectsBearingOn } from '../graph/bearing.js';
import { buildGraph } from '../graph/build-graph.js';
import type { MemoryStore, TimeRange } from '../store/memory-store.js';
import { loadStateAt } from './reconstruct.js';

/**
 * The objects related to `ref` over a window, by ref key: what it depends on and what consumes
 * those, in the dependency graph of the cluster as recorded at the window's end (a Deployment's
 * ReplicaSets and pods, their ConfigMaps, Secrets and node, the Services selecting them), with the
 * objects there at the window's start that were gone by its end; and those created and gone within
 * it, found through the owner references their creation recorded.
 */
export async function relatedObjects(
  store: MemoryStore,
  ref: ResourceRef,
  options: { readonly range: TimeRange; readonly namespace?: string },
): Promise<Set<string>> {
  const { range, namespace } = options;
  const scope = namespace === undefined ? {} : { namespace };
  const changes = await store.changesBetween(range, namespace);
  // The graph of the window's end, with what was there at its start and is gone since (the pods of
  // the ReplicaSet a rollout replaced) still hanging from their owners.
  const end = await loadStateAt(store, { atMs: range.to, ...scope });
  const firstMs = changes[0] === undefined ? range.to : Date.parse(changes[0].at) - 1;
  const start = await loadStateAt(store, { atMs: Math.max(range.from, firstMs), ...scope });
  const present = new Set(end.map((o) => refKey(refOf(o))));
  const objects = [...end, ...start.filter((o) => !present.has(refKey(refOf(o))))];
  const coverage = new Coverage();
  for (const kind of KINDS) coverage.add(kind.kind);
  const snapshot = new Snapshot({ objects, coverage, capturedAt: new Date(range.to) });
  const related = objectsBearingOn(buildGraph(snapshot), refKey(ref));
  related.add(refKey(ref));

  const uids = new Set(
    objects.filter((o) => related.has(refKey(refOf(o)))).flatMap((o) => o.metadata.uid ?? []),
  );
  // Owned objects created in the window, in order, so a ReplicaSet brings its pods.
  for (const change of changes) {
    if (change.action !== 'added') continue;
    const metadata = change.fields.find((field) => field.path === 'metadata')?.new as
      { readonly ownerReferences?: readonly { readonly uid?: string }[] } | undefined;
    if (!(metadata?.ownerReferences ?? []).some((owner) => owner.uid !== undefined && uids.has(owner.uid)))
      continue;
    related.add(refKey(change.object));
    if (change.object.uid !== undefined) uids.add(change.object.uid);
  }
  return related;
}
