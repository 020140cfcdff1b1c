import type { FieldPathSegment } from '../core/change.js';

/** A field the recorder leaves out of diffs: it moves all the time and says nothing. */
export interface IgnoredField {
  /** Kinds it applies to; every kind when absent. */
  readonly kinds?: readonly string[];
  /** The path as keys or item identities, `*` for any one step; empty for the whole object. */
  readonly path: readonly string[];
  /** Left out only when the object is modified; kept when it is created, where it is a fact. */
  readonly onModifyOnly?: boolean;
  /** Why it is churn rather than change. */
  readonly why: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const LEGACY_LEADER = 'control-plane.alpha.kubernetes.io/leader';

/** Every field left out of diffs, with the reason. One table, so what is not recorded is visible. */
export const IGNORED_FIELDS: readonly IgnoredField[] = [
  {
    kinds: ['Event'],
    path: [],
    why: 'events are folded by the event store (repeats into counts, first and last seen); a diff per repeat is noise',
  },
  { path: ['apiVersion'], why: 'the version the object was read at, not a property of the object' },
  { path: ['kind'], why: 'carried once by the change itself' },
  {
    path: ['metadata', 'resourceVersion'],
    why: 'bumps on every write, status heartbeats included; the change carries it once',
  },
  {
    path: ['metadata', 'managedFields'],
    why: 'bookkeeping of who owns which field, restamped on every write; read for the actor, not diffed',
  },
  { path: ['metadata', 'generation'], why: 'counts spec changes, which the diff shows itself' },
  {
    path: ['metadata', 'creationTimestamp'],
    onModifyOnly: true,
    why: 'fixed at creation; differs only between copies written by different tools',
  },
  {
    path: ['metadata', 'selfLink'],
    why: 'derived from the name; API servers before 1.20 fill it and later ones do not, so an upgrade would diff every object',
  },
  {
    path: ['metadata', 'annotations', LAST_APPLIED],
    why: 'a copy of the applied manifest: its content is the spec, diffed field by field; for Secrets it holds the values',
  },
  {
    path: ['metadata', 'annotations', LEGACY_LEADER],
    why: 'the old leader-election record on Endpoints and ConfigMaps, whose renewTime moves every few seconds',
  },
  { path: ['status', 'observedGeneration'], why: 'follows metadata.generation after every spec change' },
  {
    path: ['status', 'conditions', '*', 'observedGeneration'],
    why: 'follows metadata.generation after every spec change',
  },
  {
    path: ['status', 'conditions', '*', 'lastHeartbeatTime'],
    kinds: ['Node'],
    why: 'the kubelet heartbeat: moves every status update while the condition stands',
  },
  {
    path: ['status', 'conditions', '*', 'lastProbeTime'],
    why: 'when the condition was last probed: moves with every probe while the condition stands',
  },
  {
    path: ['status', 'conditions', '*', 'lastUpdateTime'],
    why: 'a Deployment restamps it on every progress report while the condition stands; lastTransitionTime marks real moves',
  },
  {
    path: ['status', 'images'],
    kinds: ['Node'],
    why: 'the image cache, rewritten as images are pulled and collected: hundreds of entries, nothing about the node’s health',
  },
  {
    path: ['spec', 'renewTime'],
    kinds: ['Lease'],
    why: 'the holder’s heartbeat, every few seconds; a change of holder shows in holderIdentity',
  },
  {
    path: ['status', 'currentMetrics'],
    kinds: ['HorizontalPodAutoscaler'],
    why: 'the measured utilisation, rewritten every sync (15 s); the replica counts it leads to are kept',
  },
];

/** The rules by path length: the diff asks about every node, most of them deeper than any rule. */
const BY_LENGTH: readonly (readonly IgnoredField[])[] = IGNORED_FIELDS.reduce<IgnoredField[][]>(
  (table, rule) => {
    (table[rule.path.length] ??= []).push(rule);
    return table;
  },
  [],
);

/** True when the field at `segments` of a `kind` object is churn the diff leaves out. */
export function isIgnoredField(
  kind: string,
  segments: readonly FieldPathSegment[],
  action: 'added' | 'modified',
): boolean {
  const rules = BY_LENGTH[segments.length];
  if (rules === undefined) return false;
  return rules.some(
    (rule) =>
      (rule.kinds === undefined || rule.kinds.includes(kind)) &&
      (rule.onModifyOnly !== true || action === 'modified') &&
      rule.path.every((step, at) => {
        const segment = segments[at];
        return segment !== undefined && (step === '*' || step === segmentName(segment));
      }),
  );
}

/** A segment as a plain name: a key, an item's identity or a position. */
export function segmentName(segment: FieldPathSegment): string {
  if ('key' in segment) return segment.key;
  if ('item' in segment) return segment.item;
  return String(segment.index);
}
