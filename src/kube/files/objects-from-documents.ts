import { dirname } from 'node:path';
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
export function objectsFromDocuments(documents: readonly Document[], file: string): FileObjects {
  const objects: KubeObject[] = [];
  const listedKinds = new Set<string>();
  const add = (value: unknown, line: number, fallback?: { kind: string; apiVersion?: string }): void => {
    const inferred = fallback ?? inferKind(value, file);
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
      for (const item of candidate.items) {
        add(
          item,
          line,
          itemKind === undefined
            ? undefined
            : {
                kind: itemKind,
                ...(candidate.apiVersion === undefined ? {} : { apiVersion: candidate.apiVersion }),
              },
        );
      }
      return;
    }
    if (!isKubeObject(candidate)) {
      throw new AppError(
        'malformed-input',
        `${file}:${line}: a document that is not a Kubernetes object (no kind or metadata.name); pass kubectl get -o json|yaml output`,
      );
    }
    objects.push(candidate);
  };
  for (const document of documents) {
    if (Array.isArray(document.value)) for (const item of document.value) add(item, document.line);
    else add(document.value, document.line);
  }
  return { objects, listedKinds };
}

/**
 * The kind of an object written without `kind` (Go structs serialised by support-bundle tools):
 * from a folder that names a kind (`config/pod/ns/x.json`, `pods/x.json`), or from the one shape
 * that cannot be mistaken (a pod spec with containers and no template). Otherwise none: guessing
 * a kind wrong would build a wrong graph.
 */
function inferKind(value: unknown, file: string): { kind: string } | undefined {
  if (typeof value !== 'object' || value === null || 'kind' in value) return undefined;
  for (const folder of dirname(file).split(/[\\/]/).reverse()) {
    const kind = findKind(folder);
    if (kind !== undefined) return { kind: kind.kind };
  }
  const spec = (value as { spec?: { containers?: unknown; template?: unknown } }).spec;
  return Array.isArray(spec?.containers) && spec.template === undefined ? { kind: 'Pod' } : undefined;
}

function isList(value: unknown): value is { kind: string; apiVersion?: string; items: unknown[] } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { kind?: unknown; items?: unknown };
  return (
    typeof candidate.kind === 'string' && candidate.kind.endsWith('List') && Array.isArray(candidate.items)
  );
}
