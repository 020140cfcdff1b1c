import type { FieldChange, JsonValue } from '../../core/change.js';
import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding } from '../../core/finding.js';
import type { Pod } from '../../core/kube-types.js';
import { formatRef, refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { topOwner } from '../../events/top-owner.js';
import { actorText, endOfSecond, fieldValues, reasonText } from '../change-text.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** How long before pods began to fail a change may be and still be the suspect. */
const LOOKBACK_MS = 6 * 3_600_000;
/** Waiting reasons of a container that does not run: what a bad value in its configuration does. */
const FAILING_WAITING = new Set([
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);
/** Warning events that mark when a pod began to fail, for pods older than the change. */
const FAILURE_EVENTS = new Set(['BackOff', 'Failed', 'Unhealthy']);
const CONTENT = /^(data|binaryData|stringData)\b/;
const SHOWN_FIELDS = 3;

/**
 * A ConfigMap or Secret whose content was changed (as the memory tier recorded it) shortly before
 * the pods that read it began to fail: pods created after the change (a rollout that picked it up)
 * or whose first failure came after it, now crash-looping or unable to start their containers.
 * Names the keys with their old and new values (a Secret's only as digests), who changed them and
 * why, and restores the old values. Only with a recording (`--alpha-memory` and a store): without
 * one the crash is reported as it is. Its findings explain whatever fails downstream, so the crash
 * loop ranks under the change that caused it.
 */
export const recentChange = defineRule({
  id: 'recent-change',
  summary:
    "with a recording: a ConfigMap or Secret whose content changed shortly before the pods reading it began to fail, with the keys, old and new values (a Secret's as digests), who and why",
  reads: ['Event', 'Pod', ...CONTROLLER_KINDS],
  kinds: ['ConfigMap', 'Secret'],
  explainsDependents: true,
  detect(object, { snapshot, graph, history, now }) {
    if (history === undefined) return [];
    const ref = refOf(object);
    const changes = history
      .changesOf(ref)
      .filter(
        (change) =>
          change.action === 'modified' &&
          change.fields.some((field) => CONTENT.test(field.path)) &&
          (timeMs(change.at) ?? Infinity) <= now.getTime(),
      );
    if (changes.length === 0) return [];
    const readers = graph
      .incoming(refKey(ref))
      .filter((edge) => edge.kind === 'uses-config-map' || edge.kind === 'uses-secret')
      .map((edge) => graph.nodeByKey(edge.from)?.ref)
      .filter((reader): reader is ResourceRef => reader?.kind === 'Pod');
    const failing = [...new Map(readers.map((reader) => [refKey(reader), reader])).values()].flatMap(
      (reader) => {
        const pod = snapshot.get(reader);
        if (pod === undefined) return [];
        const since = failingSince(pod, snapshot);
        return since === undefined ? [] : [{ ref: reader, pod, since }];
      },
    );
    if (failing.length === 0) return [];
    const firstFailureMs = Math.min(...failing.map((f) => f.since));
    // The suspect: the last change of content before the first failure, not too long before it.
    const suspect = changes
      .filter((change) => {
        const at = timeMs(change.at) ?? Infinity;
        return at <= endOfSecond(firstFailureMs) && firstFailureMs - at <= LOOKBACK_MS;
      })
      .at(-1);
    if (suspect === undefined) return [];
    const changeMs = timeMs(suspect.at) ?? firstFailureMs;
    const broken = failing.filter((f) => endOfSecond(f.since) >= changeMs);
    const content = suspect.fields.filter((field) => CONTENT.test(field.path));
    const by = actorText(suspect);
    const what = content.slice(0, SHOWN_FIELDS).map(fieldText).join(', ');
    const more = content.length > SHOWN_FIELDS ? ` and ${String(content.length - SHOWN_FIELDS)} more` : '';
    const evidence: Evidence[] = [
      {
        source: 'history',
        resource: ref,
        text: `${suspect.at}: ${suspect.summary.join('; ')}${by === undefined ? '' : ` (by ${by})`}${reasonText(suspect)}`,
      },
      ...content.map((field) => ({
        source: 'history' as const,
        resource: ref,
        text: `${field.path}: ${fieldValues(field)}`,
      })),
      ...broken.slice(0, SHOWN_FIELDS).map(({ ref: podRef, pod, since }) => ({
        source: 'status' as const,
        resource: podRef,
        text: `${formatRef(podRef)} ${podStateText(pod)}, failing since ${new Date(since).toISOString()}, ${formatAge(Math.max(0, since - changeMs))} after the change`,
      })),
    ];
    const owners = [
      ...new Map(broken.map((f) => topOwner(f.ref, snapshot)).map((o) => [refKey(o), o])).values(),
    ];
    return [
      {
        ruleId: this.id,
        severity: 'critical',
        resource: ref,
        message: `${object.kind} ${ref.name} ${keysWord(content)} changed: ${what}${more}${by === undefined ? '' : ` (by ${by})`}, ${formatAge(Math.max(0, firstFailureMs - changeMs))} before the pods reading it began to fail`,
        evidence,
        fix: restoreFix(object.kind, ref, content, owners),
      },
    ];
  },
});

/** A container that crashed this recently and runs again is failing, not recovered. */
const RECENT_CRASH_MS = 10 * 60_000;

/**
 * When the pod began to fail, as far as it shows: its first failure event (a repeating event keeps
 * its first time), else its creation. Undefined when it is not failing now.
 */
function failingSince(pod: Pod, snapshot: Snapshot): number | undefined {
  const statuses = containerStatuses(pod);
  const nowMs = snapshot.capturedAt.getTime();
  const failing = statuses.some(
    (status) =>
      FAILING_WAITING.has(status.state?.waiting?.reason ?? '') ||
      (status.state?.terminated?.exitCode ?? 0) !== 0 ||
      (status.state?.running === undefined && (status.lastState?.terminated?.exitCode ?? 0) !== 0) ||
      // Up again between crashes: a crash loop read in the seconds it runs is still one.
      (status.state?.running !== undefined &&
        (status.lastState?.terminated?.exitCode ?? 0) !== 0 &&
        nowMs - (timeMs(status.lastState?.terminated?.finishedAt) ?? -Infinity) <= RECENT_CRASH_MS),
  );
  if (!failing) return undefined;
  const firstEvent = snapshot
    .eventsAbout(refOf(pod))
    .filter((event) => event.type === 'Warning' && FAILURE_EVENTS.has(event.reason))
    .map((event) => timeMs(event.firstSeen ?? event.lastSeen) ?? Infinity)
    .reduce((a, b) => Math.min(a, b), Infinity);
  // Events last an hour after their latest repeat: without them, a pod's own start is the bound.
  return Number.isFinite(firstEvent) ? firstEvent : timeMs(pod.metadata.creationTimestamp);
}

function podStateText(pod: Pod): string {
  const reasons = containerStatuses(pod).flatMap((status) => {
    const reason = status.state?.waiting?.reason ?? status.state?.terminated?.reason;
    return reason === undefined ? [] : [`${status.name} ${reason}`];
  });
  return reasons.length === 0 ? 'failing' : reasons.join(', ');
}

function keysWord(fields: readonly FieldChange[]): string {
  return fields.length === 1 ? 'key' : 'keys';
}

/** The key a content path names: `data.CACHE_SIZE` → `CACHE_SIZE`, `data["tls.crt"]` → `tls.crt`. */
function keyOf(field: FieldChange): string {
  return field.path
    .replace(CONTENT, '')
    .replace(/^\./, '')
    .replace(/^\["(.*)"\]$/, '$1');
}

/** `CACHE_SIZE "512Mi" → "lots"`. */
function fieldText(field: FieldChange): string {
  return `${keyOf(field)} ${fieldValues(field)}`;
}

/** Puts the old values back, and restarts what read them (environment variables are read at start). */
function restoreFix(
  kind: string,
  ref: ResourceRef,
  fields: readonly FieldChange[],
  owners: readonly ResourceRef[],
): Finding['fix'] {
  const restarts = owners
    .filter((owner) => owner.kind !== 'Pod')
    .map((owner) => `kubectl ${nsFlag(ref)}rollout restart ${owner.kind.toLowerCase()}/${owner.name}`);
  if (kind === 'Secret') {
    return {
      summary: `put back the previous value of ${fields.map(keyOf).join(', ')} in Secret ${ref.name} (the recording keeps only digests of Secret values), then restart what reads it`,
      commands: [`kubectl ${nsFlag(ref)}edit secret ${ref.name}`, ...restarts],
    };
  }
  const data: Record<string, JsonValue | null> = {};
  for (const field of fields) {
    data[keyOf(field)] = field.op === 'added' ? null : (field.old ?? null);
  }
  const map = fields[0]?.path.startsWith('binaryData') === true ? 'binaryData' : 'data';
  return {
    summary: `put the previous values back in ConfigMap ${ref.name} (or fix the new ones), then restart what reads it`,
    commands: [
      `kubectl ${nsFlag(ref)}patch configmap ${ref.name} --type=merge -p '${JSON.stringify({ [map]: data })}'`,
      ...restarts,
    ],
  };
}
