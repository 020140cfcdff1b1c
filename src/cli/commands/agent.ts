import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { FailureReason } from '../../gen/kubectl_smart/incident/v1/incident_pb.js';
import { historyBefore } from '../../memory/memory-source.js';
import { AgentMetrics } from '../../observe/agent-metrics.js';
import { Delivery, type IncidentTransport } from '../../observe/delivery/delivery.js';
import { GrpcIncidentTransport } from '../../observe/delivery/grpc-transport.js';
import { Outbox } from '../../observe/delivery/outbox.js';
import { NdjsonSink, OutboxSink, type IncidentSink } from '../../observe/delivery/sinks.js';
import { WebhookTransport } from '../../observe/delivery/webhook-transport.js';
import { LeaderElector } from '../../observe/leader-election.js';
import { Observer } from '../../observe/observer.js';
import { startOpsServer } from '../../server/ops-server.js';
import { resolveAgentSettings, type AgentFlags, type AgentSettings } from '../agent-settings.js';
import { loadConfig } from '../config.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { readFlagFile } from '../flag-file.js';
import { fromRecording } from '../from-recording.js';
import type { Io } from '../io.js';
import { openLiveSource, type SourceFlags } from '../source-options.js';

export type AgentCommandFlags = AgentFlags & Omit<SourceFlags, 'namespace' | 'allNamespaces'>;

/**
 * `kubectl smart agent`: the incident observer. Watches pods, detects failures (CrashLoopBackOff,
 * OOMKilled, image pulls, config errors, init containers, evictions), debounces them, harvests and
 * redacts the evidence into an IncidentContext, and hands it to the sinks (gRPC, webhook, NDJSON)
 * until stopped. Logs are JSON lines on stderr; `--listen` serves /metrics, /healthz and /readyz.
 */
export async function agentCommand(flags: AgentCommandFlags, io: Io): Promise<ExitCode> {
  const settings = resolveAgentSettings(flags, io.env, loadConfig(io.env).agent, {
    outboxDir: join(io.env.HOME ?? homedir(), '.kube', 'smart', 'outbox'),
  });
  const identity = agentId(io.env);
  const log = pino(
    { level: settings.logLevel, base: { agent: identity } },
    {
      write: (line: string) => {
        io.stderr(line);
      },
    },
  );
  const metrics = new AgentMetrics();
  const sinks = settings.sinks.map((spec, index) => openSink(spec, index, settings, io, metrics, log));
  const { source, opened } = await openLiveSource('agent', { ...flags, allNamespaces: true }, io, {
    streams: (settings.namespaces?.length ?? 1) + 1,
    pageSize: 100,
  });
  const stopAt =
    settings.forMs === undefined
      ? io.signal
      : AbortSignal.any([io.signal, AbortSignal.timeout(settings.forMs)]);
  const stopper = new AbortController();
  const signal = AbortSignal.any([stopAt, stopper.signal]);
  const election =
    settings.leaderElection === undefined
      ? undefined
      : new LeaderElector({
          lock: source.leaseLock(settings.leaderElection.namespace, settings.leaderElection.name),
          identity,
          timing: settings.leaderElection.timing,
          hooks: {
            onStartedLeading: () => {
              metrics.leader.set(1);
              log.info({ lease: settings.leaderElection?.name }, 'leading: observing');
            },
            onStoppedLeading: (why) => {
              metrics.leader.set(0);
              if (why === 'lost') log.warn('lost the lease: standing by');
              else log.info('released the lease');
            },
            onNewLeader: (leader) => {
              if (leader !== identity) log.info({ leader: leader ?? null }, 'standing by');
            },
            onError: (error) => {
              log.warn(
                { err: error instanceof Error ? error.message : String(error) },
                'lease not read or written; retrying',
              );
            },
          },
        });
  let listed = false;
  const ops =
    settings.listen === undefined
      ? undefined
      : await startOpsServer({
          listen: settings.listen,
          registry: metrics.registry,
          ready: () => {
            if (election !== undefined && !election.isLeader)
              return {
                ready: true,
                reason: `standby; the leader is ${election.leader ?? 'not elected yet'}`,
              };
            return { ready: listed, reason: listed ? 'watching pods' : 'listing pods' };
          },
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
      history: (namespace, at) =>
        fromRecording(flags, io, opened, {
          past: () => Promise.resolve(undefined),
          live: (store) => historyBefore(store, { atMs: at.getTime(), namespace }),
        }),
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
      hooks: {
        onPodSeen: () => {
          metrics.podsSeen.inc();
        },
        onDetected: (trigger) => {
          metrics.detected(trigger);
          log.debug(
            {
              pod: `${trigger.namespace}/${trigger.pod}`,
              container: trigger.container,
              reason: trigger.reason,
            },
            'detected',
          );
        },
        onDebounced: () => {
          metrics.debounced.inc();
        },
        onHarvested: (incident, harvestMs) => {
          metrics.harvests.inc({ reason: FailureReason[incident.reason] });
          log.info(
            {
              incident: incident.incidentId,
              pod: `${incident.pod?.namespace ?? ''}/${incident.pod?.name ?? ''}`,
              container: incident.container,
              reason: FailureReason[incident.reason],
              redacted: incident.redaction?.total ?? 0,
              harvestMs: Math.round(harvestMs),
            },
            'incident harvested',
          );
        },
        onRedactionFailed: (trigger, error) => {
          metrics.redactionFailures.inc();
          log.error(
            { pod: `${trigger.namespace}/${trigger.pod}`, reason: trigger.reason, err: error.message },
            'redaction failed: incident not sent',
          );
        },
        onHarvestFailed: (trigger, error) => {
          metrics.harvestFailures.inc();
          log.error(
            { pod: `${trigger.namespace}/${trigger.pod}`, reason: trigger.reason, err: String(error) },
            'harvest failed',
          );
        },
      },
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
      ...(settings.leaderElection === undefined
        ? {}
        : {
            lease: `${settings.leaderElection.namespace}/${settings.leaderElection.name}`,
            identity,
          }),
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
  } catch (error) {
    stopper.abort();
    throw error;
  } finally {
    stopper.abort();
    await Promise.all(deliveries);
    for (const sink of sinks) sink.close();
    source.close();
    await ops?.close();
    log.info('agent stopped');
  }
  return EXIT.ok;
}

/**
 * This replica's name, unique among replicas as leader election needs: the pod's (POD_NAME from the
 * downward API), else the host's and the process id (two agents on one laptop).
 */
function agentId(env: NodeJS.ProcessEnv): string {
  return env.POD_NAME ?? `${hostname()}-${String(process.pid)}`;
}

/**
 * A sink from its address: `grpc://host:port` or `grpcs://host:port` (gRPC, TLS from the tls
 * settings), `http(s)://…` (webhook, signed with the secret in the named environment variable),
 * `file:PATH` (NDJSON appended), `stdout` (NDJSON). gRPC and webhook sinks keep an outbox each.
 */
function openSink(
  spec: string,
  index: number,
  settings: AgentSettings,
  io: Io,
  metrics: AgentMetrics,
  log: Logger,
): IncidentSink {
  if (spec === 'stdout' || spec === '-') return new NdjsonSink({ write: io.stdout });
  if (spec.startsWith('file:')) return new NdjsonSink({ file: spec.slice('file:'.length) });
  let transport: IncidentTransport;
  if (/^grpcs?:\/\//.test(spec)) {
    const tls = settings.tls;
    const read = (file: string | undefined, flag: string): Buffer | undefined =>
      file === undefined ? undefined : readFlagFile(file, flag);
    const [ca, cert, key] = [
      read(tls.ca, '--tls-ca'),
      read(tls.cert, '--tls-cert'),
      read(tls.key, '--tls-key'),
    ];
    try {
      transport = new GrpcIncidentTransport({
        url: spec,
        ...(spec.startsWith('grpcs:')
          ? {
              tls: {
                ...(ca === undefined ? {} : { ca }),
                ...(cert === undefined ? {} : { cert }),
                ...(key === undefined ? {} : { key }),
              },
            }
          : {}),
      });
    } catch (error) {
      throw new AppError(
        'usage',
        `--sink ${spec}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } else if (/^https?:\/\//.test(spec)) {
    const secret = io.env[settings.webhookSecretEnv];
    if (secret === undefined)
      log.warn({ sink: spec }, `webhook without a signature: ${settings.webhookSecretEnv} is not set`);
    transport = new WebhookTransport({ url: spec, ...(secret === undefined ? {} : { secret }) });
  } else {
    throw new AppError(
      'usage',
      `--sink ${spec}: write grpc://host:port, grpcs://host:port, https://… (webhook), file:PATH or stdout`,
    );
  }
  const name = transport.description;
  const outbox = new Outbox({ directory: join(settings.outboxDir, `sink-${String(index)}`) });
  const delivery = new Delivery({
    outbox,
    transport,
    hooks: {
      onDelivered: (id, latencyMs) => {
        if (latencyMs !== undefined) metrics.sendLatency.observe({ sink: name }, latencyMs / 1000);
        log.info({ sink: name, incident: id, latencyMs }, 'incident delivered');
      },
      onRetry: (error, delayMs) => {
        metrics.reconnects.inc({ sink: name });
        log.warn(
          {
            sink: name,
            err: error instanceof Error ? error.message : String(error),
            retryInMs: delayMs,
            waiting: outbox.depth,
          },
          'delivery failed; retrying',
        );
      },
    },
  });
  metrics.trackOutbox(name, outbox);
  return new OutboxSink(name, delivery, () => {
    transport.close();
  });
}
