import type { DataGap } from '../core/data-gap.js';
import { AppError } from '../core/errors.js';
import { formatList } from '../core/format-list.js';
import { resourceNameOf, type KindInfo } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import { selectorMatches, type LabelSelector } from '../core/label-selector.js';
import type { Snapshot } from '../core/snapshot.js';

export interface RootQuery {
  readonly kind: KindInfo;
  readonly name?: string;
  readonly namespace: string | undefined;
  readonly selector?: LabelSelector;
}

/**
 * The objects a command is about: one by name, or every object of a kind matching -l. A name that
 * is not there is exit 4, unless the kind could not be read at all (then the gap says why).
 */
export function resolveRoots(
  snapshot: Snapshot,
  query: RootQuery,
  gaps: readonly DataGap[],
): readonly KubeObject[] {
  const { kind, name, namespace, selector } = query;
  const candidates = snapshot
    .objectsOfKind(kind.kind, kind.namespaced ? namespace : undefined)
    .filter(
      (object) =>
        (name === undefined || object.metadata.name === name) &&
        (selector === undefined || selectorMatches(selector, object.metadata.labels)),
    );
  const where = !kind.namespaced
    ? ''
    : namespace === undefined
      ? ' in any namespace'
      : ` in namespace ${namespace}`;
  if (candidates.length === 0) {
    const gap = gaps.find((g) => g.resource === resourceNameOf(kind));
    if (gap !== undefined) {
      throw new AppError(
        'unauthorized',
        `cannot read ${gap.resource}${where} (${gap.reason}: ${gap.message}); check: ${gap.check}`,
      );
    }
    const what =
      name === undefined
        ? `no ${kind.plural} match the selector`
        : `${kind.kind.toLowerCase()} "${name}" not found`;
    throw new AppError(
      'not-found',
      `${what}${where}; list them with kubectl get ${kind.plural}${namespace === undefined ? ' -A' : ` -n ${namespace}`}`,
    );
  }
  if (name !== undefined && candidates.length > 1) {
    const namespaces = formatList(candidates.map((object) => object.metadata.namespace ?? ''));
    throw new AppError(
      'usage',
      `${kind.kind.toLowerCase()} "${name}" exists in several namespaces (${namespaces}); pass -n NAMESPACE`,
    );
  }
  return candidates;
}
