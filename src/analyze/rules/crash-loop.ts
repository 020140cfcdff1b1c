import type { Evidence, Finding } from '../../core/finding.js';
import { crashLoopMoment, type CrashLoopMoment } from '../crash-moments.js';
import { refOf } from '../../core/resource-ref.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { exitCodeMeaning } from '../exit-codes.js';
import { errorLines, lastWords, quoteMessage } from '../log-lines.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { podWorkload, rolloutHistoryCommand } from '../pod-workload.js';
import { defineRule } from '../rule.js';

const LOG_LINES = 5;
/** What the status showed when it was read: evidence only, the finding is the same at every moment. */
const MOMENT_TEXT: Readonly<Record<CrashLoopMoment, string>> = {
  'backing-off': 'CrashLoopBackOff',
  running: 'running again between crashes',
  exited: 'just exited, the kubelet backs off before the next start',
};

/**
 * CrashLoopBackOff: the container starts and dies. Says how it died (exit code and its meaning,
 * reason, termination message) and what it said (error lines of the current and previous logs,
 * when they were read). Out-of-memory kills are the oom-killed rule's. A crash loop read in the
 * seconds its container runs between crashes, or the moment it exits, is the same crash loop
 * ({@link crashLoopMoment}): one answer per state, whatever moment of the loop the read caught. Init
 * containers too: their crash loop is this rule's at every moment, never init-container-failure's.
 */
export const crashLoop = defineRule({
  id: 'crash-loop',
  summary:
    'CrashLoopBackOff: exit code read with what the runtime printed (a Go panic, a Java, Python, Node or .NET exception), termination message, error lines of the current and previous logs (a stack trace as what failed and where)',
  reads: ['Event', ...CONTROLLER_KINDS],
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { snapshot, now }) {
    const ref = refOf(pod);
    const findings: Finding[] = [];
    const events = snapshot.eventsAbout(ref);
    for (const status of containerStatuses(pod)) {
      const moment = crashLoopMoment(pod, status, events, now);
      if (moment === undefined) continue;
      // The instance that crashed last: the one that just exited, else the one before this.
      const last = status.state?.terminated ?? status.lastState?.terminated;
      if (last?.reason === 'OOMKilled') continue;
      const exitCode = last?.exitCode;
      const namespace = pod.metadata.namespace ?? '';
      const said = lastWords(
        snapshot,
        { namespace, pod: pod.metadata.name, container: status.name },
        last?.message,
      );
      const how =
        exitCode === undefined
          ? 'it exits'
          : `exit code ${String(exitCode)}, ${exitCodeMeaning(exitCode, said)}`;
      const restarts = status.restartCount ?? 0;
      const evidence: Evidence[] = [
        {
          source: 'status',
          text: `${status.init ? 'init container' : 'container'} ${status.name}: ${MOMENT_TEXT[moment]}, ${String(restarts)} restarts${status.state?.waiting?.message === undefined ? '' : ` (${status.state.waiting.message})`}`,
        },
      ];
      if (last !== undefined) {
        const termination = [
          `last exit code ${String(last.exitCode ?? '?')}`,
          last.reason,
          quoteMessage(last.message),
        ].filter((part) => part !== undefined && part !== '');
        evidence.push({ source: 'status', text: termination.join(': ') });
      }
      for (const previous of [true, false]) {
        const log = snapshot.log(namespace, pod.metadata.name, status.name, previous);
        for (const line of log === undefined ? [] : errorLines(log.text, LOG_LINES)) {
          evidence.push({ source: 'log', text: `${previous ? 'previous' : 'current'} log: ${line}` });
        }
      }
      const commands = [`kubectl ${nsFlag(ref)}logs ${pod.metadata.name} -c ${status.name} --previous`];
      const history = rolloutHistoryCommand(podWorkload(pod, snapshot));
      if (history !== undefined) commands.push(history);
      findings.push({
        ruleId: this.id,
        severity: 'critical',
        resource: ref,
        message: `${status.init ? 'init container' : 'container'} ${status.name} keeps crashing (${how}), ${String(restarts)} restarts`,
        evidence,
        fix: {
          summary: 'read why it exits in the previous log; if a recent change caused it, roll it back',
          commands,
        },
      });
    }
    return findings;
  },
});
