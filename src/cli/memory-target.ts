import { AppError } from '../core/errors.js';
import { findKind, kindInfo } from '../core/kinds.js';
import { splitResourceArg, unknownResourceType } from '../core/resource-arg.js';
import type { ResourceRef } from '../core/resource-ref.js';
import type { MemoryStore, RecordedKind } from '../store/memory-store.js';

/**
 * The object a memory command asks about: TYPE/NAME (or TYPE NAME) in `-n`'s namespace. With no
 * cluster to ask, a namespaced object without `-n` is looked for in `default`, as kubectl would.
 * A custom resource the recorder followed (`record --crds`) is named by its kind (`widget/blue`),
 * looked up among the kinds the recording holds.
 */
export async function memoryTarget(
  words: readonly string[],
  namespace: string | undefined,
  store: MemoryStore,
): Promise<ResourceRef> {
  const { typeWord, name } = splitResourceArg(words);
  const kind = findKind(typeWord) ?? (await recordedKind(typeWord, store));
  if (kind === undefined) throw unknownResourceType(typeWord);
  return kind.namespaced
    ? { kind: kind.kind, namespace: namespace ?? 'default', name }
    : { kind: kind.kind, name };
}

/** A custom kind the recording holds, by its name in any case; undefined if none, or it is not one. */
async function recordedKind(typeWord: string, store: MemoryStore): Promise<RecordedKind | undefined> {
  const custom = (await store.recordedKinds()).filter((kind) => kindInfo(kind.kind) === undefined);
  const match = custom.find((kind) => kind.kind.toLowerCase() === typeWord.toLowerCase());
  if (match !== undefined || custom.length === 0) return match;
  const example = custom[0]?.kind.toLowerCase() ?? '';
  throw new AppError(
    'usage',
    `unknown resource type "${typeWord}"; the recording also holds ${custom.map((kind) => kind.kind).join(', ')}: name custom resources by kind, e.g. ${example}/NAME`,
  );
}
