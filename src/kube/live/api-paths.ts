import type { KindInfo } from '../../core/kinds.js';

/** The collection path of a kind, in one namespace or across all (and for cluster-scoped kinds). */
export function collectionPath(kind: KindInfo, namespace: string | undefined): string {
  const prefix = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  return kind.namespaced && namespace !== undefined
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`
    : `${prefix}/${kind.plural}`;
}
