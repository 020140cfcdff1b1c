import { toEventRecord, type EventRecord } from '../../core/event-record.js';
import type { Evidence, Finding } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import { isNamespaced } from '../../core/kinds.js';
import { eventText } from '../container-spec.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** How much of the first Warning's message the one-line message quotes. */
const QUOTED_CHARS = 240;

/**
 * Warning events about an object that was not read: events alone (`kubectl get events -o json`, a
 * live read whose list of pods was forbidden) still say what failed. One finding per object, its
 * Warning events folded into it, marked as event-only evidence: the object's current state is
 * unknown, so the finding is a warning, never critical, and says that only events were read.
 *
 * Unknown is unknown: an object whose kind was read where it would be is either there (and the
 * rules of its kind judge it by its state) or gone (its events outlive it by an hour): no finding
 * either way. Linear: the work is done once per object, on the first event listed about it.
 */
export const eventOnlyWarnings = defineRule({
  id: 'event-only-warnings',
  summary:
    'Warning events about an object that was not read (events alone, or its kind unreadable): folded by object, marked as event-only evidence',
  // It reads no kind but events: it speaks exactly where the involved object's kind was not read.
  reads: [],
  kinds: ['Event'],
  detect(event, { snapshot }) {
    const record = toEventRecord(event);
    if (record === undefined) return [];
    const involved = record.involved;
    const namespace = isNamespaced(involved.kind) ? involved.namespace : undefined;
    if (snapshot.coverage.covers(involved.kind, namespace)) return [];
    const all = snapshot.eventsAbout(involved);
    // Only the first event listed about the object speaks for it: one finding, linear in events.
    if (all[0]?.name !== event.metadata.name || all[0].namespace !== event.metadata.namespace) return [];
    const warnings = all.filter((e) => e.type === 'Warning');
    const [head] = warnings;
    if (head === undefined) return [];
    const ref = {
      kind: involved.kind,
      ...(namespace === undefined ? {} : { namespace }),
      name: involved.name,
    };
    const counts = new Map<string, number>();
    for (const warning of warnings)
      counts.set(warning.reason, (counts.get(warning.reason) ?? 0) + warning.count);
    const reasons = formatList([...counts].map(([reason, count]) => `${reason} x${String(count)}`));
    const quoted =
      head.message.length > QUOTED_CHARS ? `${head.message.slice(0, QUOTED_CHARS - 1)}…` : head.message;
    const evidence: Evidence[] = [
      {
        source: 'event',
        text: `event-only: ${involved.kind} ${involved.name} itself was not read (its kind was not read${namespace === undefined ? '' : ` in namespace ${namespace}`}), so its current state is unknown; these are its Warning events`,
      },
      ...warnings.map((warning: EventRecord) => ({ source: 'event' as const, text: eventText(warning) })),
    ];
    const kind = involved.kind.toLowerCase();
    const finding: Finding = {
      ruleId: this.id,
      severity: 'warning',
      resource: ref,
      message: `Warning events ${reasons}: ${quoted} (only its events were read, not the ${involved.kind} itself)`,
      evidence,
      fix: {
        summary: `read the ${involved.kind} itself to see whether it still fails, and act on what its events say`,
        commands: [`kubectl ${nsFlag(ref)}describe ${kind} ${involved.name}`],
      },
    };
    return [finding];
  },
});
