import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { historyBefore } from '../../memory/memory-source.js';
import { AgentMetrics } from '../../observe/agent-metrics.js';
import { AgentTelemetry } from '../../observe/agent-telemetry.js';
import { openSink, type SinkOptions } from '../../observe/delivery/open-sink.js';
import { runAgent } from '../../observe/start-agent.js';
import { startOpsServer } from '../../server/ops-server.js';
import { resolveAgentSettings, type AgentFlags, type AgentSettings } from '../agent-settings.js';
import { loadConfig } from '../config.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { readFlagFile } from '../flag-file.js';
import { fromRecording } from '../from-recording.js';
import type { Io } from '../io.js';
import { openLiveSource, refuseOffline, type SourceFlags } from '../source-options.js';

export type AgentCommandFlags = AgentFlags & Omit<SourceFlags, 'namespace' | 'allNamespaces'>;

/**
 * `kubectl smart agent`: the incident observer (observe/start-agent.ts), wired to the process:
 * settings from flags, environment and config; JSON logs on stderr; sinks opened (a bad address
 * fails before anything connects); the live cluster; the recording, when there is one; the
 * operations endpoint with `--listen`; SIGINT/SIGTERM or `--for` to stop.
 */
export async function agentCommand(flags: AgentCommandFlags, io: Io): Promise<ExitCode> {
  refuseOffline('agent', flags);
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
  const telemetry = new AgentTelemetry(new AgentMetrics(), log);
  const sinkOptions = sinkOptionsFor(settings, io, telemetry);
  const sinks = settings.sinks.map((spec, index) => openSink(spec, index, sinkOptions));
  const { source, opened } = await openLiveSource('agent', { ...flags, allNamespaces: true }, io, {
    streams: (settings.namespaces?.length ?? 1) + 1,
    pageSize: 100,
  });
  const { listen } = settings;
  await runAgent(settings, {
    source,
    sinks,
    telemetry,
    identity,
    history: (namespace, at) =>
      fromRecording(flags, io, opened, {
        past: () => Promise.resolve(undefined),
        live: (store) => historyBefore(store, { atMs: at.getTime(), namespace }),
      }),
    ...(listen === undefined
      ? {}
      : { serve: (ready) => startOpsServer({ listen, registry: telemetry.metrics.registry, ready }) }),
    signal:
      settings.forMs === undefined
        ? io.signal
        : AbortSignal.any([io.signal, AbortSignal.timeout(settings.forMs)]),
  });
  return EXIT.ok;
}

/** The sinks' files and secrets, read here: a TLS file that cannot be read is a usage error naming its flag. */
function sinkOptionsFor(settings: AgentSettings, io: Io, telemetry: AgentTelemetry): SinkOptions {
  const { tls } = settings;
  const read = (file: string | undefined, flag: string): Buffer | undefined =>
    file === undefined ? undefined : readFlagFile(file, flag);
  const grpc = settings.sinks.some((spec) => /^grpcs?:\/\//.test(spec));
  const [ca, cert, key] = grpc
    ? [read(tls.ca, '--tls-ca'), read(tls.cert, '--tls-cert'), read(tls.key, '--tls-key')]
    : [];
  const secret = io.env[settings.webhookSecretEnv];
  return {
    write: io.stdout,
    outboxDir: settings.outboxDir,
    tls: {
      ...(ca === undefined ? {} : { ca }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
    },
    ...(secret === undefined ? {} : { webhookSecret: secret }),
    webhookSecretEnv: settings.webhookSecretEnv,
    telemetry,
  };
}

/**
 * This replica's name, unique among replicas as leader election needs: the pod's (POD_NAME from the
 * downward API), else the host's and the process id (two agents on one laptop).
 */
function agentId(env: NodeJS.ProcessEnv): string {
  return env.POD_NAME ?? `${hostname()}-${String(process.pid)}`;
}
