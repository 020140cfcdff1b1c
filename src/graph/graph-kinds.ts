import { CONTROLLER_KINDS, KINDS, type KindInfo } from '../core/kinds.js';

/**
 * Kinds with no edges in the dependency graph: not read for `deps`. Namespaces have none but are
 * read: knowing them is how `db.data` is taken for the Service `db` of namespace `data`, not a host.
 */
const NOT_IN_GRAPH = new Set(['Endpoints', 'Event', 'LimitRange', 'Lease']);

/** Every kind the dependency graph connects. */
export const GRAPH_KINDS: readonly KindInfo[] = KINDS.filter((kind) => !NOT_IN_GRAPH.has(kind.kind));

/** Events and the kinds of their owner chains, for grouping events under the top owner. */
export const EVENT_KINDS: readonly KindInfo[] = KINDS.filter((kind) =>
  (['Event', 'Pod', ...CONTROLLER_KINDS] as readonly string[]).includes(kind.kind),
);

/** The graph's kinds plus events: what `events TYPE/NAME` needs for the object's neighbourhood. */
export const GRAPH_AND_EVENT_KINDS: readonly KindInfo[] = KINDS.filter(
  (kind) => !NOT_IN_GRAPH.has(kind.kind) || kind.kind === 'Event',
);
