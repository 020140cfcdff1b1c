import type { ChangeHistory } from '../core/change-history.js';
import type { LiveSource } from '../kube/index.js';
import type { AgentSettings } from './agent-settings.js';
import type { AgentTelemetry } from './agent-telemetry.js';
import type { IncidentSink } from './delivery/sinks.js';
import { LeaderElector } from './leader-election.js';
import { Observer } from './observer.js';

/** Whether the agent is ready, and why (what /readyz answers). */
export interface Readiness {
  readonly ready: boolean;
  readonly reason: string;
}

/** What the agent runs on: all opened by the front end, so a bad address fails before anything starts. */
export interface AgentDeps {
  readonly source: LiveSource;
  readonly sinks: readonly IncidentSink[];
  readonly telemetry: AgentTelemetry;
  /** This replica's name, unique among replicas (leader election needs it). */
  readonly identity: string;
  /** Recorded changes before a moment, for the incidents' recent changes; absent without a recording. */
  readonly history?: (namespace: string, at: Date) => Promise<ChangeHistory | undefined>;
  /**
   * Starts the operations endpoint (/metrics, /healthz, /readyz) with the agent's readiness; absent:
   * none. A front end's server, so observe/ does not import server/.
   */
  readonly serve?: (ready: () => Readiness) => Promise<{ readonly address: string; close(): Promise<void> }>;
  /** Stops the agent: a signal, or the end of `--for`. */
  readonly signal: AbortSignal;
}

/**
 * The incident observer's runtime: starts the operations endpoint when given one, takes the
 * Lease when electing, and while it leads (or always, without election) watches pods, detects,
 * debounces, harvests and hands incidents to the sinks, which deliver until the agent stops. The
 * sinks, the source and the endpoint are closed on the way out, whatever ended the run.
 */
export async function runAgent(settings: AgentSettings, deps: AgentDeps): Promise<void> {
  const { source, sinks, telemetry, identity } = deps;
  const { metrics, log } = telemetry;
  const stopper = new AbortController();
  const signal = AbortSignal.any([deps.signal, stopper.signal]);
  const lease = settings.leaderElection;
  const election =
    lease === undefined
      ? undefined
      : new LeaderElector({
          lock: source.leaseLock(lease.namespace, lease.name),
          identity,
          timing: lease.timing,
          hooks: telemetry.election(identity, lease.name),
        });
  let listed = false;
  const ops = await deps.serve?.(() => {
    if (election !== undefined && !election.isLeader)
      return { ready: true, reason: `standby; the leader is ${election.leader ?? 'not elected yet'}` };
    return { ready: listed, reason: listed ? 'watching pods' : 'listing pods' };
  });
  /** One term of observing: a fresh observer (its debounce memory starts empty; ids make repeats harmless). */
  const observe = (term: AbortSignal): Promise<void> => {
    listed = false;
    const observer = new Observer({
      cluster: {
        watchKind: (kind, options, handlers) =>
          source.watchKind(kind, options, {
            ...handlers,
            onListEnd: (version) => {
              listed = true;
              handlers.onListEnd(version);
            },
          }),
        load: (request) => source.load(request),
      },
      ...(settings.namespaces === undefined ? {} : { namespaces: settings.namespaces }),
      detect: settings.detect,
      debounceTtlMs: settings.debounceTtlMs,
      tailLines: settings.tailLines,
      origin: {
        clusterName: settings.clusterName ?? source.description.replace(/^context /, ''),
        server: source.server,
        agentId: identity,
      },
      ...(deps.history === undefined ? {} : { history: deps.history }),
      onIncident: (incident) => {
        for (const sink of sinks) {
          try {
            sink.accept(incident);
          } catch (error) {
            log.error(
              { sink: sink.description, incident: incident.incidentId, err: error },
              'sink refused the incident',
            );
          }
        }
      },
      hooks: telemetry.observer(),
    });
    return observer.run(term).finally(() => {
      log.info({ debounced: observer.debounced }, 'observer stopped');
    });
  };
  log.info(
    {
      cluster: source.description,
      namespaces: settings.namespaces ?? 'all',
      detect: [...settings.detect],
      sinks: sinks.map((sink) => sink.description),
      ...(ops === undefined ? {} : { listen: ops.address }),
      ...(lease === undefined ? {} : { lease: `${lease.namespace}/${lease.name}`, identity }),
    },
    'agent started',
  );
  const deliveries = sinks.map((sink) => sink.run(signal));
  try {
    if (election === undefined) {
      metrics.leader.set(1);
      await observe(signal);
    } else {
      await election.run(signal, observe);
    }
  } finally {
    stopper.abort();
    await Promise.all(deliveries);
    for (const sink of sinks) sink.close();
    source.close();
    await ops?.close();
    log.info('agent stopped');
  }
}
