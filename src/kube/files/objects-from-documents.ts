import { AppError } from '../../core/errors.js';
import { findKind } from '../../core/kinds.js';
import { isKubeObject, type KubeObject } from '../../core/kube-object.js';
import type { Document } from './document-stream.js';

/** Objects found in a file, and the kinds of typed Lists it held (even empty ones). */
export interface FileObjects {
  readonly objects: KubeObject[];
  /** `Pod` for a `PodList`: that kind was captured here, even if the list was empty. */
  readonly listedKinds: Set<string>;
}

/**
 * Flattens documents into objects: a single object, a `List`/`PodList`/… with `items`, or a plain
 * JSON array of objects (as support-bundle tools write). Items of a typed list that lack `kind`
 * take it from the list, as the API server's list items do.
 */
export function objectsFromDocuments(
  documents: readonly Document[],
  file: string,
  /** Folders that may name the kind of kind-less objects, outermost first: `['bundle', 'pods']`. */
  folders: readonly string[] = [],
): FileObjects {
  const objects: KubeObject[] = [];
  const listedKinds = new Set<string>();
  const add = (
    value: unknown,
    line: number,
    item?: number,
    fallback?: { kind: string; apiVersion?: string },
  ): void => {
    const inferred = fallback ?? inferKind(value, folders);
    const candidate =
      inferred !== undefined && typeof value === 'object' && value !== null && !('kind' in value)
        ? { ...inferred, ...value }
        : value;
    if (isList(candidate)) {
      const itemKind =
        candidate.kind.endsWith('List') && candidate.kind !== 'List'
          ? candidate.kind.slice(0, -4)
          : undefined;
      if (itemKind !== undefined) listedKinds.add(itemKind);
      candidate.items.forEach((element, index) => {
        add(
          element,
          line,
          index,
          itemKind === undefined
            ? undefined
            : {
                kind: itemKind,
                ...(candidate.apiVersion === undefined ? {} : { apiVersion: candidate.apiVersion }),
              },
        );
      });
      return;
    }
    if (!isKubeObject(candidate)) {
      // JSON.parse keeps no positions inside a document: name the document, and the item in it.
      const what = item === undefined ? 'a document' : `item ${String(item + 1)} of the list here`;
      throw new AppError(
        'malformed-input',
        `${file}:${String(line)}:1: ${what} is not a Kubernetes object (no kind or metadata.name); pass kubectl get -o json|yaml output`,
      );
    }
    objects.push(candidate);
  };
  for (const document of documents) {
    if (Array.isArray(document.value)) {
      document.value.forEach((element, index) => {
        add(element, document.line, index);
      });
    } else add(document.value, document.line);
  }
  return { objects, listedKinds };
}

/**
 * The kind of an object written without `kind` (Go structs serialised by support-bundle tools):
 * the one shape that cannot be mistaken (a pod spec with containers and no template), else the
 * innermost folder that names a kind (`config/pod/ns/x.json`, `deployments/kube-system.json`).
 * Otherwise none: a wrong kind builds a wrong graph.
 */
function inferKind(value: unknown, folders: readonly string[]): { kind: string } | undefined {
  if (typeof value !== 'object' || value === null || 'kind' in value) return undefined;
  const spec = (value as { spec?: { containers?: unknown; template?: unknown } }).spec;
  if (Array.isArray(spec?.containers) && spec.template === undefined) return { kind: 'Pod' };
  for (const folder of [...folders].reverse()) {
    const kind = findKind(folder);
    if (kind !== undefined) return { kind: kind.kind };
  }
  return undefined;
}

function isList(value: unknown): value is { kind: string; apiVersion?: string; items: unknown[] } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { kind?: unknown; items?: unknown };
  return (
    typeof candidate.kind === 'string' && candidate.kind.endsWith('List') && Array.isArray(candidate.items)
  );
}
