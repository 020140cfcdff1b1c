import type { FailureReason } from './failure-detection.js';
import type { LeaderElectionTiming } from './leader-election.js';

/** The agent's log levels, as pino names them. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Which Lease the replicas elect a leader on, and how fast. */
export interface LeaderElectionSettings {
  readonly namespace: string;
  readonly name: string;
  readonly timing: LeaderElectionTiming;
}

/**
 * Everything the agent runs with, resolved (by the CLI: flags over `SMART_*` environment over the
 * config file over defaults).
 */
export interface AgentSettings {
  readonly clusterName?: string;
  /** undefined: every namespace. */
  readonly namespaces?: readonly string[];
  readonly detect: ReadonlySet<FailureReason>;
  readonly debounceTtlMs: number;
  readonly tailLines: number;
  readonly logLevel: LogLevel;
  /** Where /metrics, /healthz and /readyz listen; undefined: nowhere. */
  readonly listen?: string;
  readonly outboxDir: string;
  readonly sinks: readonly string[];
  readonly tls: { readonly ca?: string; readonly cert?: string; readonly key?: string };
  readonly webhookSecretEnv: string;
  /** undefined: no election, this replica observes on its own. */
  readonly leaderElection?: LeaderElectionSettings;
  readonly forMs?: number;
}
