/** What startCluster() resolves to. */
import type { ClusterHandle } from './cluster-handle.ts';
import type { NodeSpec } from './nodes.ts';

/** Startup timings in milliseconds. */
export interface ClusterTimings {
  /** build.sh (a cache hit costs well under a second). */
  readonly buildMs: number;
  /** From the end of the build to nodes Ready and the default ServiceAccount present. */
  readonly startMs: number;
  /** Whether build.sh actually compiled something. */
  readonly coldBuild: boolean;
}

/** A running control plane, owned by this process. */
export interface RunningCluster extends ClusterHandle {
  readonly timings: ClusterTimings;
  /** Child PIDs by component name. */
  readonly pids: Readonly<Record<string, number>>;
  /** Registers a KWOK node and waits until it is Ready. */
  addNode(spec: NodeSpec): Promise<void>;
  /** Starts the KWOK of a node stopped by stopNodeHeartbeat() again. */
  resumeNodeHeartbeat(node: string): Promise<void>;
  /** Stops every component (SIGTERM per tier, SIGKILL after 5 s) and removes the directory unless keepDir. */
  stop(): Promise<void>;
}
