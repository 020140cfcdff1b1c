import type { ResourceRef } from './resource-ref.js';

/** How bad a finding is. `critical`: something is down or about to be; `warning`: degraded or at risk. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Where evidence comes from; `history` is a change the memory tier recorded, `metrics` a reading of
 * the Metrics API (metrics-server).
 */
export const EVIDENCE_SOURCES = ['status', 'spec', 'event', 'log', 'graph', 'history', 'metrics'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/** One fact behind a finding, quoted from where it was read. */
export interface Evidence {
  readonly source: EvidenceSource;
  /** The object it was read from, when not the finding's own. */
  readonly resource?: ResourceRef;
  /** The fact, in the cluster's own words where it has them (an event message, a log line). */
  readonly text: string;
}

/** What to do about a finding: a sentence, and the commands or manifest change that do it. */
export interface Fix {
  readonly summary: string;
  readonly commands?: readonly string[];
}

/**
 * A problem one rule found on one object: a plain, serialisable value that the CLI, store, server
 * and UI all speak (DESIGN.md §7.2).
 */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly resource: ResourceRef;
  /** One line: what is wrong. */
  readonly message: string;
  readonly evidence: readonly Evidence[];
  readonly fix?: Fix;
  /**
   * Objects the finding's object waits on that the dependency graph cannot see, because the link
   * is in status, not spec: the nodes whose taints keep a Pending pod off. The ranking treats them
   * as dependencies, so a NotReady node explains the pods that cannot be scheduled for it.
   */
  readonly waitsOn?: readonly ResourceRef[];
  /**
   * Objects whose failures the finding explains where the graph has no path from them to it: a
   * Deployment's template change and the pods it made (the graph has the Deployment depend on its
   * pods), an autoscaler's or a policy's change and what it governs. Read only for findings of
   * rules whose findings explain dependents (recorded changes).
   */
  readonly explains?: readonly ResourceRef[];
  /**
   * The object to change to fix it, when that is neither the finding's own object nor (for rules
   * that find faults of a pod template) the pod's top owner: the ConfigMap a container fails to
   * parse, the ResourceQuota that refuses pods, the StatefulSet whose claim template names a
   * StorageClass that does not exist. `src/analyze/fix-object.ts` reads it.
   */
  readonly fixObject?: ResourceRef;
}

/** Severity order for sorting and for `--fail-on`: info < warning < critical. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
