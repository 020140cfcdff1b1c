import { formatAge } from '../../core/duration.js';
import type { EventRecord } from '../../core/event-record.js';
import type { Evidence, Finding } from '../../core/finding.js';
import { refOf } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import { aboutContainer } from '../container-spec.js';
import { exitCodeMeaning } from '../exit-codes.js';
import { errorLines, lastWords, quoteMessage } from '../log-lines.js';
import { crashLoopMoment } from '../crash-moments.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** Restarts from which a container that keeps coming back counts as flapping. */
const MIN_RESTARTS = 5;
/** Only a recent restart says it is still going on. */
const RECENT_MS = 60 * 60_000;
const LOG_LINES = 5;
/** Killings and probe failures that probe-failure explains. */
const PROBE_KILL = /failed (liveness|startup) probe, will be restarted/;
const PROBE_FAILED = /^(Liveness|Startup) probe failed/;

/**
 * A container that is Running and ready now but restarts again and again (at least five times, the
 * latest within the hour): it serves, then dies, and each restart drops its connections. Says how
 * it last ended (reason, exit code and its meaning, when) and quotes its previous log when it was
 * read. A container in CrashLoopBackOff is crash-loop's, one killed for memory out-of-memory's, and
 * one restarted by its liveness or startup probe probe-failure's. Warning: it works, unreliably.
 */
export const restartFlapping = defineRule({
  id: 'restart-flapping',
  summary:
    'a container that serves but keeps restarting (5+ restarts, the latest within the hour), with how it last ended',
  reads: ['Event'],
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { snapshot, now }) {
    const ref = refOf(pod);
    const findings: Finding[] = [];
    for (const status of containerStatuses(pod)) {
      const restarts = status.restartCount ?? 0;
      const running = status.state?.running;
      const last = status.lastState?.terminated;
      if (running === undefined || status.ready !== true || restarts < MIN_RESTARTS || last === undefined)
        continue;
      if (last.reason === 'OOMKilled') continue;
      const finishedMs = timeMs(last.finishedAt);
      if (finishedMs === undefined || now.getTime() - finishedMs > RECENT_MS) continue;
      const events = snapshot.eventsAbout(ref).filter((event) => aboutContainer(event, status.name));
      // Caught running between the crashes of a crash loop: crash-loop's, whatever the moment.
      if (events.some(byProbe) || crashLoopMoment(pod, status, events, now) !== undefined) continue;

      const ago = formatAge(now.getTime() - finishedMs);
      const words = lastWords(
        snapshot,
        { namespace: ref.namespace ?? '', pod: pod.metadata.name, container: status.name },
        last.message,
      );
      const exitCode = last.exitCode;
      // Error and Completed say no more than the exit code does.
      const how = [
        exitCode === undefined
          ? undefined
          : `exit code ${String(exitCode)}: ${exitCodeMeaning(exitCode, words)}`,
        last.reason === 'Error' || last.reason === 'Completed' ? undefined : last.reason,
      ]
        .filter((part) => part !== undefined)
        .join(', ');
      const ended = [last.reason, exitCode === undefined ? undefined : `exit code ${String(exitCode)}`]
        .filter((part) => part !== undefined)
        .join(', ');
      const said = quoteMessage(last.message) ?? '';
      const startedMs = timeMs(pod.status?.startTime);
      const label = `${status.init ? 'init container' : 'container'} ${status.name}`;
      const evidence: Evidence[] = [
        {
          source: 'status',
          text: `${label}: running and ready since ${running.startedAt ?? '?'}, ${String(restarts)} restarts${startedMs === undefined ? '' : ` since the pod started ${formatAge(now.getTime() - startedMs)} ago`}`,
        },
        {
          source: 'status',
          text: `last termination: ${ended === '' ? 'no reason given' : ended}, finished ${last.finishedAt ?? '?'} (${ago} ago)${said === '' ? '' : `: ${said}`}`,
        },
      ];
      const log = snapshot.log(ref.namespace ?? '', ref.name, status.name, true);
      for (const line of log === undefined ? [] : errorLines(log.text, LOG_LINES))
        evidence.push({ source: 'log', text: `previous log: ${line}` });
      findings.push({
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `${label} keeps restarting: ${String(restarts)} restarts, the last ${ago} ago${how === '' ? '' : ` (${how})`}, running again now`,
        evidence,
        fix: {
          summary:
            'read why the last instance ended in its previous log (the current one only shows the restart); fix that, or, if it is a dependency dropping, make the app retry instead of exiting',
          commands: [
            `kubectl ${nsFlag(ref)}logs ${pod.metadata.name} -c ${status.name} --previous`,
            `kubectl ${nsFlag(ref)}get events --field-selector involvedObject.name=${pod.metadata.name}`,
          ],
        },
      });
    }
    return findings;
  },
});

function byProbe(event: EventRecord): boolean {
  return (
    (event.reason === 'Killing' && PROBE_KILL.test(event.message)) ||
    (event.reason === 'Unhealthy' && PROBE_FAILED.test(event.message))
  );
}
