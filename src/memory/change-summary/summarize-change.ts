import { parseFieldPath, type ChangeAction, type FieldChange } from '../../core/change.js';
import type { KubeObject } from '../../core/kube-object.js';
import { segmentName } from '../ignored-fields.js';
import { describeFieldChange } from './describe-field-change.js';
import { withFacts } from './object-facts.js';
import { POD_SPEC_AT, podSpecOf } from './pod-spec-of.js';
import type { SummaryContext, SummaryField, SummaryOutcome } from './summary-rule.js';
import { SUMMARY_RULES } from './summary-rules.js';
import { isShort } from './value-text.js';

/** A recorded change as summarizeChange reads it: its fields, and the object before and after when at hand. */
export interface SummaryInput {
  readonly kind: string;
  readonly action: ChangeAction;
  readonly fields: readonly FieldChange[];
  /** The object before: read for the facts of a deletion and for whole views (a selector, a container's state). */
  readonly before?: KubeObject;
  /** The object after: read for the facts of a creation and for whole views. */
  readonly after?: KubeObject;
}

/** Paths named in the fallback line. */
const FALLBACK_PATHS = 3;

/**
 * What a person reads about a change, one line each, in the order of the fields they come from:
 * `scaled 3→5`, `image api:1.4→api:1.5`, `ConfigMap key CACHE_SIZE: 512→unlimited`,
 * `env DB_HOST added`, `cordoned`, `container api: CrashLoopBackOff`, `node Ready True→Unknown`.
 * Fields no rule knows end in one line, `N fields changed: a, b, c`. Status bookkeeping that moves
 * with a known change (a container's containerID, a Deployment's updatedReplicas) is folded into it.
 * Secret values never appear: a Secret key only `changed`.
 */
export function summarizeChange(input: SummaryInput): string[] {
  switch (input.action) {
    case 'added':
      return [withFacts('created', input.kind, input.after)];
    case 'deleted':
      return [withFacts('deleted', input.kind, input.before)];
    case 'modified':
      return summarizeModified(input);
    default: {
      const unknown: never = input.action;
      throw new Error(`unknown change action ${String(unknown)}`);
    }
  }
}

function summarizeModified(input: SummaryInput): string[] {
  const fields: SummaryField[] = [];
  const unreadable: FieldChange[] = [];
  for (const change of input.fields) {
    const segments = parseFieldPath(change.path);
    if (segments === undefined) unreadable.push(change);
    else fields.push({ change, segments, names: segments.map(segmentName) });
  }
  const podSpecAt = POD_SPEC_AT.get(input.kind);
  const podSpec = podSpecOf(input.after, podSpecAt) ?? podSpecOf(input.before, podSpecAt);
  const context: SummaryContext = {
    kind: input.kind,
    fields,
    ...(input.before === undefined ? {} : { before: input.before }),
    ...(input.after === undefined ? {} : { after: input.after }),
    ...(podSpecAt === undefined ? {} : { podSpecAt }),
    containerCount: (podSpec?.containers?.length ?? 0) + (podSpec?.initContainers?.length ?? 0),
  };
  const lines: string[] = [];
  const covered = new Set<SummaryField>();
  const quiet = new Set<SummaryField>();
  for (const field of fields) {
    if (covered.has(field) || quiet.has(field)) continue;
    const outcome = firstOutcome(field, context);
    if (outcome === undefined) continue;
    const group = outcome.covers === undefined ? [field] : fields.filter(outcome.covers);
    for (const member of group) (outcome.lines.length === 0 ? quiet : covered).add(member);
    lines.push(...outcome.lines);
  }
  const rest = [
    ...fields
      .filter((field) => !covered.has(field) && (lines.length === 0 || !quiet.has(field)))
      .map((f) => f.change),
    ...unreadable,
  ];
  if (rest.length > 0 && rest.length <= SPELLED_OUT && rest.every((c) => isShort(c.old) && isShort(c.new))) {
    // A field no rule knows (a custom resource's, a rarely set one) still reads well as path: old→new.
    lines.push(...rest.map(describeFieldChange));
  } else if (rest.length > 0) lines.push(fallbackLine(rest, lines.length > 0));
  return lines;
}

function firstOutcome(field: SummaryField, context: SummaryContext): SummaryOutcome | undefined {
  for (const rule of SUMMARY_RULES) {
    const outcome = rule(field, context);
    if (outcome !== undefined) return outcome;
  }
  return undefined;
}

/** At most this many fields no rule knows are spelled out with their values; more are listed by path. */
const SPELLED_OUT = 2;

function fallbackLine(rest: readonly FieldChange[], others: boolean): string {
  const paths = rest.slice(0, FALLBACK_PATHS).map((change) => change.path);
  const more = rest.length > FALLBACK_PATHS ? ', …' : '';
  const noun = rest.length === 1 ? 'field' : 'fields';
  return `${String(rest.length)} ${others ? 'other ' : ''}${noun} changed: ${paths.join(', ')}${more}`;
}
