import type { ConnectionFailureKind } from './network/connection-failure.js';

/**
 * The edges of the dependency graph. An edge `A → B` reads "A depends on B": a Deployment on the
 * ReplicaSets it owns, a pod on its node and ConfigMaps, a Service on the pods it selects, an
 * Ingress on its Services, a pod on the active chaos experiment that faults it (`disrupted-by`).
 * Walking edges forward answers "what does this need?" (upstream); walking them backward answers
 * "what breaks if this breaks?" (downstream).
 */
export const EDGE_KINDS = [
  'owns',
  'runs-on',
  'mounts-claim',
  'bound-to',
  'uses-storage-class',
  'uses-config-map',
  'uses-secret',
  'runs-as',
  'pulls-with',
  'uses-priority-class',
  'uses-runtime-class',
  'selects',
  'selects-workload',
  'has-endpoint-slice',
  'routes-to',
  'terminates-tls-with',
  'uses-ingress-class',
  'scales',
  'grants-role',
  'binds-subject',
  'calls-service',
  'calls',
  'isolated-by',
  'limited-by',
  'involves',
  'disrupted-by',
] as const;

export type EdgeKind = (typeof EDGE_KINDS)[number];

/** How the dependency is made; what a person needs to find it in the manifest. */
export interface EdgeDetail {
  /** Where the reference sits: `volume:config`, `envFrom`, `env:DB_HOST`, `serviceaccount:build`, `rule:shop.example.com/api`. */
  readonly via?: string;
  /** The ConfigMap or Secret key the reference needs (part of the edge: a missing key is often the answer). */
  readonly key?: string;
  /** True when `key` is named but the (present) ConfigMap or Secret does not hold it. */
  readonly keyMissing?: boolean;
  /** The container that makes the reference. */
  readonly container?: string;
  /** The Service port an Ingress or webhook names. */
  readonly port?: string;
  /** The reference is marked optional: its absence is not a failure. */
  readonly optional?: boolean;
  /** A `calls` edge: the address as the configuration or the log wrote it (`db.data.svc:5432`). */
  readonly address?: string;
  /** A `calls` edge seen failing in the caller's logs: how, how often, when. */
  readonly observed?: CallObservation;
}

/** What a caller's log lines say about one dependency: failures of one class, counted. */
export interface CallObservation {
  readonly failure: ConnectionFailureKind;
  /** Lines of this class naming this dependency, in the logs read. */
  readonly count: number;
  /** When the first and last of them were written, where the lines say. */
  readonly first?: string;
  readonly last?: string;
  /** The latest such line, verbatim (cut to a bounded length). */
  readonly line: string;
  /** Whether it was the previous (crashed) instance's log or the current one. */
  readonly previous: boolean;
}

/** One dependency between two graph nodes, by node key. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly detail?: EdgeDetail;
}
