import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { Container, ContainerStatus, Pod } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import { crashLoopMoment } from '../crash-moments.js';
import { runsText } from '../container-spec.js';
import { exitCodeMeaning } from '../exit-codes.js';
import { errorLines, lastWords, quoteMessage } from '../log-lines.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

const LOG_LINES = 5;
/** An init container still running after this long, with the app waiting on it, is waiting on something that does not come. */
const RUNNING_TOO_LONG_MS = 10 * 60_000;
/** Terminations other rules explain: out-of-memory's, and container-create-error's (the process never ran). */
const EXPLAINED_ELSEWHERE = new Set(['OOMKilled', 'ContainerCannotRun', 'StartError']);

/**
 * An init container that holds the pod's app containers back: it exited non-zero (Init:Error; with
 * restartPolicy Never the pod has failed for good), or it has been running for more than ten
 * minutes while the app containers wait in PodInitializing (it waits for something that does not
 * come). Names which init container (i of n), how it ended, what it runs, and the error lines of
 * its log when it was read. An init container in a crash loop is crash-loop's finding at every moment
 * of the loop (backing off, running again, just exited: the same answer whatever the read caught); sidecars
 * (restartPolicy Always on the init container) run beside the app by design and are skipped.
 */
export const initContainerFailure = defineRule({
  id: 'init-container-failure',
  summary:
    'an init container that exited non-zero, or has run over ten minutes while the app waits: which one (i of n), how it ended, what it runs, its log',
  reads: ['Event'],
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { snapshot, now }) {
    const inits = pod.spec?.initContainers ?? [];
    const statuses = pod.status?.initContainerStatuses ?? [];
    // They run in order: the first that has not completed is the one the pod waits for.
    for (const [index, container] of inits.entries()) {
      if (container.restartPolicy === 'Always') continue;
      const status = statuses.find((s) => s.name === container.name);
      const terminated = status?.state?.terminated;
      if (terminated?.exitCode === 0) continue;
      if (status === undefined) return [];
      // Crash-looping (restarted with back-off): crash-loop's at every moment, named the same.
      if (crashLoopMoment(pod, status, snapshot.eventsAbout(refOf(pod)), now) !== undefined) return [];
      const position = `${String(index + 1)}/${String(inits.length)}`;
      const blocker: Blocker = { pod, status, container, position };
      if (terminated !== undefined) {
        if (terminated.reason !== undefined && EXPLAINED_ELSEWHERE.has(terminated.reason)) return [];
        return [exited(this.id, blocker, snapshot)];
      }
      const startedMs = timeMs(status.state?.running?.startedAt);
      if (startedMs !== undefined && now.getTime() - startedMs > RUNNING_TOO_LONG_MS)
        return waiting(this.id, blocker, snapshot, now.getTime() - startedMs);
      return [];
    }
    return [];
  },
});

/** The init container the pod waits for, and where it stands among the pod's init containers. */
interface Blocker {
  readonly pod: Pod;
  readonly status: ContainerStatus;
  readonly container: Container;
  /** `1/2`: its place in spec.initContainers. */
  readonly position: string;
}

function exited(ruleId: string, { pod, status, container, position }: Blocker, snapshot: Snapshot): Finding {
  const ref = refOf(pod);
  const terminated = status.state?.terminated ?? {};
  const exitCode = terminated.exitCode ?? 1;
  const final = pod.spec?.restartPolicy === 'Never';
  const held = heldContainers(pod);
  const quoted = quoteMessage(terminated.message);
  const said = lastWords(
    snapshot,
    { namespace: ref.namespace ?? '', pod: pod.metadata.name, container: status.name },
    terminated.message,
  );
  const evidence: Evidence[] = [
    {
      source: 'status',
      text: `init container ${position} ${status.name}: terminated${terminated.reason === undefined ? '' : ` ${terminated.reason}`}, exit code ${String(exitCode)}${terminated.finishedAt === undefined ? '' : ` at ${terminated.finishedAt}`}${(status.restartCount ?? 0) > 0 ? `, ${String(status.restartCount)} restarts` : ''}${quoted === undefined ? '' : `: ${quoted}`}`,
    },
    ...commonEvidence(pod, status, container, held),
    ...logEvidence(snapshot, ref, status.name),
  ];
  const consequence = final
    ? `the pod has failed (restartPolicy Never) and its app containers never started`
    : held.length > 0
      ? `${appContainers(held)} ${held.length === 1 ? 'waits' : 'wait'} until it succeeds`
      : 'the app containers wait until it succeeds';
  return {
    ruleId,
    severity: 'critical',
    resource: ref,
    message: `init container ${position} ${status.name} exited with code ${String(exitCode)} (${exitCodeMeaning(exitCode, said)}): ${consequence}`,
    evidence,
    fix: {
      summary: `read why it exits in its log and fix what it needs (it runs ${runsText(container)})${final ? '; with restartPolicy Never the pod stays failed: a new pod has to run it again' : ''}`,
      commands: [`kubectl ${nsFlag(ref)}logs ${pod.metadata.name} -c ${status.name}`],
    },
  };
}

function waiting(
  ruleId: string,
  { pod, status, container, position }: Blocker,
  snapshot: Snapshot,
  runningMs: number,
): Finding[] {
  const held = heldContainers(pod);
  // App containers already running (a pod restarted in place) are not held back by it.
  if (held.length === 0) return [];
  const ref = refOf(pod);
  const age = formatAge(runningMs);
  return [
    {
      ruleId,
      severity: 'warning',
      resource: ref,
      message: `init container ${position} ${status.name} has been running for ${age} and ${appContainers(held)} ${held.length === 1 ? 'waits' : 'wait'} for it to finish`,
      evidence: [
        {
          source: 'status',
          text: `init container ${position} ${status.name}: running since ${status.state?.running?.startedAt ?? '?'} (${age})${(status.restartCount ?? 0) > 0 ? `, ${String(status.restartCount)} restarts` : ''}`,
        },
        ...commonEvidence(pod, status, container, held),
        ...logEvidence(snapshot, ref, status.name),
      ],
      fix: {
        summary: `find what it waits for (it runs ${runsText(container)}): make that available, or give the wait a timeout so the pod fails where it can be seen`,
        commands: [`kubectl ${nsFlag(ref)}logs ${pod.metadata.name} -c ${status.name} --tail=20`],
      },
    },
  ];
}

/** The kubelet's Initialized condition, the app containers it holds back, and what it runs. */
function commonEvidence(
  pod: Pod,
  status: ContainerStatus,
  container: Container,
  held: readonly string[],
): Evidence[] {
  const evidence: Evidence[] = [];
  const initialized = pod.status?.conditions?.find((c) => c.type === 'Initialized' && c.status === 'False');
  if (initialized?.message !== undefined)
    evidence.push({ source: 'status', text: `Initialized=False: ${initialized.message}` });
  if (held.length > 0)
    evidence.push({ source: 'status', text: `${appContainers(held)} waiting in PodInitializing` });
  evidence.push({
    source: 'spec',
    text: `init container ${status.name} runs: ${runsText(container)} (image ${container.image ?? '?'})`,
  });
  return evidence;
}

/** `app container api`, `app containers api, worker`. */
function appContainers(names: readonly string[]): string {
  return `app container${names.length === 1 ? '' : 's'} ${formatList(names)}`;
}

/** App containers waiting for the init containers. */
function heldContainers(pod: Pod): string[] {
  return (pod.status?.containerStatuses ?? [])
    .filter((status) => status.state?.waiting?.reason === 'PodInitializing')
    .map((status) => status.name);
}

/** Error lines of its log, and of its previous run's, when they were read. */
function logEvidence(snapshot: Snapshot, ref: ResourceRef, container: string): Evidence[] {
  const evidence: Evidence[] = [];
  for (const previous of [false, true]) {
    const log = snapshot.log(ref.namespace ?? '', ref.name, container, previous);
    for (const line of log === undefined ? [] : errorLines(log.text, LOG_LINES))
      evidence.push({ source: 'log', text: `${previous ? 'previous log' : 'log'}: ${line}` });
  }
  return evidence;
}
