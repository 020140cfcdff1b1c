import type { Pod } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { CallObservation } from '../edge.js';
import { connectionFailureOf, lineTime } from '../network/connection-failure.js';
import type { ConfiguredCall } from './call-edges.js';
import type { EdgeSink } from './edge-sink.js';

/** A line kept as an edge's evidence is cut here: enough to recognise, never a whole stack dump. */
const MAX_LINE_CHARS = 300;

/**
 * A connection error often quotes the DSN it dialled, password and all: the line kept as evidence
 * keeps the user and host and drops the password (`postgres://app:***@db:5432`, `password=***`).
 */
const URL_PASSWORD = /(:\/\/[^:@/\s]{0,256}:)[^@\s]{1,256}@/g;
const KEYWORD_PASSWORD = /\b((?:password|passwd|pwd)\s*[=:]\s*)[^\s;,'"]+/gi;

/** Words that tie a line naming no host to the kind of dependency it is about, and the ports those serve. */
const DEPENDENCY_KINDS: readonly { readonly words: RegExp; readonly ports: readonly string[] }[] = [
  { words: /postgres|psql|pgx|psycopg|npgsql|\bpq\b/i, ports: ['5432'] },
  { words: /mysql|mariadb/i, ports: ['3306'] },
  { words: /redis|valkey|NOAUTH|WRONGPASS/i, ports: ['6379'] },
  { words: /kafka|rdkafka|sasl/i, ports: ['9092', '9093'] },
  { words: /mongo/i, ports: ['27017'] },
  { words: /amqp|rabbit/i, ports: ['5672', '5671'] },
];

interface Tally {
  target: ResourceRef;
  container: string;
  observed: CallObservation;
}

/**
 * What a pod's logs say it failed to reach (`calls` with `observed`): every line of its fetched
 * logs (current and previous, of failing and of Running containers alike) and every termination
 * message that reads as a connection failure, matched to what it names — a Service by any of its
 * DNS names or its cluster IP, a pod by its IP — or, when the line names no host (`password
 * authentication failed`), to the one configured dependency of that kind. Counted per dependency,
 * container and class of failure, with the first and last time the lines give. Linear in the logs.
 */
export function logCallEdges(pod: Pod, configured: readonly ConfiguredCall[], sink: EdgeSink): void {
  const from = refOf(pod);
  const namespace = pod.metadata.namespace ?? '';
  const tallies = new Map<string, Tally>();
  const note = (line: string, container: string, previous: boolean): void => {
    const failure = connectionFailureOf(line);
    if (failure === undefined) return;
    const target =
      failure.host === undefined
        ? byKind(line, configured)
        : sink.services.resolve(failure.host, pod.metadata.namespace)?.target;
    if (target === undefined || (target.kind === 'Pod' && target.name === pod.metadata.name)) return;
    const id = `${target.kind}/${target.namespace ?? ''}/${target.name}|${container}|${failure.failure}`;
    const at = lineTime(line);
    const cut = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
    const shown = cut.replace(URL_PASSWORD, '$1***@').replace(KEYWORD_PASSWORD, '$1***');
    const tally = tallies.get(id);
    if (tally === undefined) {
      tallies.set(id, {
        target,
        container,
        observed: {
          failure: failure.failure,
          count: 1,
          ...(at === undefined ? {} : { first: at, last: at }),
          line: shown,
          previous,
        },
      });
      return;
    }
    const { observed } = tally;
    tally.observed = {
      ...observed,
      count: observed.count + 1,
      ...(at === undefined ? {} : { first: earlier(observed.first, at), last: later(observed.last, at) }),
      line: shown,
      // The current instance's word is the latest.
      previous: observed.previous && previous,
    };
  };
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const status of statuses) {
    // The previous instance first: its lines are older than the current one's.
    for (const previous of [true, false]) {
      const log = sink.snapshot.log(namespace, pod.metadata.name, status.name, previous);
      if (log !== undefined) for (const line of log.text.split('\n')) note(line, status.name, previous);
    }
    for (const terminated of [status.lastState?.terminated, status.state?.terminated]) {
      const message = terminated?.message;
      if (message !== undefined) for (const line of message.split('\n')) note(line, status.name, true);
    }
  }
  for (const tally of [...tallies.values()].sort((a, b) => a.container.localeCompare(b.container))) {
    sink.link(from, tally.target, 'calls', {
      via: 'log',
      container: tally.container,
      observed: tally.observed,
    });
  }
}

/** The one configured dependency a host-less line is about, by the words of its client and the ports they serve. */
function byKind(line: string, configured: readonly ConfiguredCall[]): ResourceRef | undefined {
  if (configured.length === 0) return undefined;
  const kind = DEPENDENCY_KINDS.find((k) => k.words.test(line.slice(0, 4096)));
  const matching =
    kind === undefined
      ? configured
      : configured.filter(
          (call) =>
            (call.port !== undefined && kind.ports.includes(call.port)) || kind.words.test(call.target.name),
        );
  const targets = new Map(
    matching.map((call) => [`${call.target.namespace ?? ''}/${call.target.name}`, call.target]),
  );
  return targets.size === 1 ? [...targets.values()][0] : undefined;
}

/** ISO times compare as strings; a time a line gave in another form sorts as written. */
function earlier(a: string | undefined, b: string): string {
  return a === undefined || b < a ? b : a;
}

function later(a: string | undefined, b: string): string {
  return a === undefined || b > a ? b : a;
}
