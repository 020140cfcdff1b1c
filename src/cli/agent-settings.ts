import { z } from 'zod';
import { DURATION_PATTERN, parseDurationMs } from '../core/duration.js';
import { SINK_PATTERN } from '../observe/delivery/sink-address.js';
import { AppError } from '../core/errors.js';
import { FAILURE_REASONS, type FailureReason } from '../observe/failure-detection.js';
import {
  LOG_LEVELS,
  type AgentSettings,
  type LeaderElectionSettings,
  type LogLevel,
} from '../observe/agent-settings.js';

export type { AgentSettings } from '../observe/agent-settings.js';
import { DEFAULT_LEADER_ELECTION_TIMING } from '../observe/leader-election.js';

/** TLS files for gRPC sinks: the receiver's CA, and our certificate and key for mTLS. */
const tlsSchema = z
  .object({
    ca: z.string().min(1).optional(),
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
  })
  .strict();

/** Leader election on a Lease, so two replicas run with one active. */
const leaderElectionSchema = z
  .object({
    enabled: z.boolean().optional(),
    namespace: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    leaseDuration: z.string().regex(DURATION_PATTERN).optional(),
    renewDeadline: z.string().regex(DURATION_PATTERN).optional(),
    retryPeriod: z.string().regex(DURATION_PATTERN).optional(),
  })
  .strict();

/** The `agent:` section of the config file (a mounted ConfigMap in the cluster). */
export const agentConfigSchema = z
  .object({
    clusterName: z.string().min(1).optional(),
    namespaces: z.array(z.string().min(1)).optional(),
    detect: z.array(z.enum(FAILURE_REASONS)).optional(),
    debounceTtl: z.string().regex(DURATION_PATTERN).optional(),
    tailLines: z.number().int().positive().max(10_000).optional(),
    logLevel: z.enum(LOG_LEVELS).optional(),
    listen: z.string().min(1).optional(),
    outboxDir: z.string().min(1).optional(),
    sinks: z.array(z.string().regex(SINK_PATTERN)).min(1).optional(),
    tls: tlsSchema.optional(),
    /** The environment variable holding the webhook's HMAC secret: the secret never sits in the file. */
    webhookSecretEnv: z.string().min(1).optional(),
    leaderElection: leaderElectionSchema.optional(),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;

/**
 * The keys of `agent:` the Helm chart writes itself, from values of its own (its listen port,
 * outbox volume, Lease, TLS Secret and webhook Secret): not settable under the chart's `agent:`.
 */
export const CHART_SET_AGENT_KEYS = [
  'listen',
  'outboxDir',
  'leaderElection',
  'tls',
  'webhookSecretEnv',
] as const;

/**
 * The JSON Schema of the chart's `agent:` value, made from the agent's own config schema, so helm
 * refuses what the agent would (scripts/agent-values-schema.ts writes it into values.schema.json;
 * test/deploy/chart-values.test.ts checks it is current).
 */
export function agentValuesJsonSchema(): Record<string, unknown> {
  const settable = agentConfigSchema.omit({
    listen: true,
    outboxDir: true,
    leaderElection: true,
    tls: true,
    webhookSecretEnv: true,
  } satisfies Record<(typeof CHART_SET_AGENT_KEYS)[number], true>);
  // The chart's schema names the draft once, at its top.
  const schema: Record<string, unknown> = { ...z.toJSONSchema(settable, { target: 'draft-7' }) };
  delete schema.$schema;
  return {
    description: `The agent: section of the config file; the chart sets ${CHART_SET_AGENT_KEYS.join(', ')}`,
    ...schema,
  };
}

/**
 * The flags that set each key of the agent's config (flags win over `SMART_*` and the file):
 * typed by the config's keys, so a key without its flags does not compile, and checked against
 * the agent's options in the command table by agent-settings.test.ts.
 */
export const AGENT_FLAGS_OF_CONFIG: { readonly [K in keyof AgentConfig]-?: readonly string[] } = {
  clusterName: ['--cluster-name'],
  namespaces: ['--namespace', '--all-namespaces'],
  detect: ['--detect'],
  debounceTtl: ['--debounce'],
  tailLines: ['--tail'],
  logLevel: ['--log-level'],
  listen: ['--listen'],
  outboxDir: ['--outbox'],
  sinks: ['--sink'],
  tls: ['--tls-ca', '--tls-cert', '--tls-key'],
  webhookSecretEnv: ['--webhook-secret-env'],
  leaderElection: ['--leader-elect', '--lease-namespace', '--lease-name', '--lease-duration'],
};

/** The agent's flags, as commander hands them. */
export interface AgentFlags {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly sink?: readonly string[];
  readonly clusterName?: string;
  readonly detect?: string;
  readonly debounce?: string;
  readonly tail?: number;
  readonly listen?: string;
  readonly outbox?: string;
  readonly tlsCa?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly webhookSecretEnv?: string;
  readonly logLevel?: string;
  readonly leaderElect?: boolean;
  readonly leaseNamespace?: string;
  readonly leaseName?: string;
  readonly leaseDuration?: string;
  readonly for?: string;
}

const list = (text: string | undefined): string[] | undefined =>
  text === undefined
    ? undefined
    : text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');

/** Resolves the agent's settings; a bad value is a usage error naming where it came from. */
export function resolveAgentSettings(
  flags: AgentFlags,
  env: NodeJS.ProcessEnv,
  config: AgentConfig = {},
  defaults: { readonly outboxDir: string },
): AgentSettings {
  const detectNames = list(flags.detect) ?? list(env.SMART_DETECT) ?? config.detect ?? [...FAILURE_REASONS];
  const unknown = detectNames.filter((name) => !(FAILURE_REASONS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new AppError(
      'usage',
      `--detect: unknown failure ${unknown.join(', ')}; choose from ${FAILURE_REASONS.join(', ')}`,
    );
  const tailLines =
    flags.tail ?? numberFrom(env.SMART_TAIL_LINES, 'SMART_TAIL_LINES') ?? config.tailLines ?? 200;
  const logLevel = flags.logLevel ?? env.SMART_LOG_LEVEL ?? config.logLevel ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new AppError('usage', `log level "${logLevel}": choose from ${LOG_LEVELS.join(', ')}`);
  const namespaces =
    flags.allNamespaces === true
      ? undefined
      : flags.namespace !== undefined
        ? list(flags.namespace)
        : (list(env.SMART_NAMESPACES) ?? config.namespaces);
  const sinks = flags.sink ?? list(env.SMART_SINKS) ?? config.sinks ?? ['stdout'];
  const debounce = flags.debounce ?? env.SMART_DEBOUNCE_TTL ?? config.debounceTtl ?? '5m';
  const listen = flags.listen ?? env.SMART_LISTEN ?? config.listen;
  const clusterName = flags.clusterName ?? env.SMART_CLUSTER_NAME ?? config.clusterName;
  const tls = {
    ...pick('ca', flags.tlsCa ?? env.SMART_TLS_CA ?? config.tls?.ca),
    ...pick('cert', flags.tlsCert ?? env.SMART_TLS_CERT ?? config.tls?.cert),
    ...pick('key', flags.tlsKey ?? env.SMART_TLS_KEY ?? config.tls?.key),
  };
  return {
    ...(clusterName === undefined ? {} : { clusterName }),
    ...(namespaces === undefined || namespaces.length === 0 ? {} : { namespaces }),
    detect: new Set(detectNames as FailureReason[]),
    debounceTtlMs: parseDurationMs(debounce, '--debounce'),
    tailLines,
    logLevel: logLevel as LogLevel,
    ...(listen === undefined ? {} : { listen }),
    outboxDir: flags.outbox ?? env.SMART_OUTBOX_DIR ?? config.outboxDir ?? defaults.outboxDir,
    sinks,
    tls,
    webhookSecretEnv: flags.webhookSecretEnv ?? config.webhookSecretEnv ?? 'SMART_WEBHOOK_SECRET',
    ...leaderElectionFrom(flags, env, config.leaderElection),
    ...(flags.for === undefined ? {} : { forMs: parseDurationMs(flags.for, '--for') }),
  };
}

/**
 * Election settings: on with --leader-elect, SMART_LEADER_ELECT=true or `leaderElection.enabled`.
 * The Lease lives in the agent's own namespace (POD_NAMESPACE from the downward API) unless told
 * otherwise. A lease duration alone scales client-go's 15 s / 10 s / 2 s proportionally.
 */
function leaderElectionFrom(
  flags: AgentFlags,
  env: NodeJS.ProcessEnv,
  config: AgentConfig['leaderElection'] = {},
): { leaderElection?: LeaderElectionSettings } {
  const fromEnv = env.SMART_LEADER_ELECT;
  if (fromEnv !== undefined && !['true', 'false'].includes(fromEnv))
    throw new AppError('usage', `SMART_LEADER_ELECT=${fromEnv}: write true or false`);
  const enabled =
    flags.leaderElect ?? (fromEnv === undefined ? undefined : fromEnv === 'true') ?? config.enabled ?? false;
  if (!enabled) return {};
  const leaseText = flags.leaseDuration ?? config.leaseDuration;
  const leaseDurationMs =
    leaseText === undefined
      ? DEFAULT_LEADER_ELECTION_TIMING.leaseDurationMs
      : parseDurationMs(leaseText, '--lease-duration');
  const scale = leaseDurationMs / DEFAULT_LEADER_ELECTION_TIMING.leaseDurationMs;
  const timing = {
    leaseDurationMs,
    renewDeadlineMs:
      config.renewDeadline === undefined
        ? Math.round(DEFAULT_LEADER_ELECTION_TIMING.renewDeadlineMs * scale)
        : parseDurationMs(config.renewDeadline, 'leaderElection.renewDeadline'),
    retryPeriodMs:
      config.retryPeriod === undefined
        ? Math.round(DEFAULT_LEADER_ELECTION_TIMING.retryPeriodMs * scale)
        : parseDurationMs(config.retryPeriod, 'leaderElection.retryPeriod'),
  };
  if (!(
    timing.leaseDurationMs > timing.renewDeadlineMs && timing.renewDeadlineMs > timing.retryPeriodMs * 1.2
  ))
    throw new AppError(
      'usage',
      `leader election: the lease duration (${String(timing.leaseDurationMs)} ms) must exceed the renew deadline (${String(timing.renewDeadlineMs)} ms), which must exceed 1.2 × the retry period (${String(timing.retryPeriodMs)} ms)`,
    );
  return {
    leaderElection: {
      namespace:
        flags.leaseNamespace ??
        env.SMART_LEASE_NAMESPACE ??
        config.namespace ??
        env.POD_NAMESPACE ??
        'default',
      name: flags.leaseName ?? config.name ?? 'kubectl-smart-agent',
      timing,
    },
  };
}

function numberFrom(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw new AppError('usage', `${name}=${text}: expected a whole number such as 200`);
  return Number(text);
}

function pick<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, string>>);
}
