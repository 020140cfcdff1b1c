/**
 * A real Kubernetes control plane for kubectl-smart's tests: etcd,
 * kube-apiserver, kube-controller-manager and kube-scheduler built from the
 * Kubernetes Go modules (see build.sh), with KWOK standing in for kubelets.
 *
 * Node built-ins only, erasable TypeScript only (Node ≥ 22.18 runs it as is).
 *
 * ```ts
 * const cluster = await startCluster();
 * // cluster.kubeconfigAdmin, cluster.kubeconfigReadOnly, cluster.auditLogPath …
 * await cluster.stop();
 * ```
 *
 * The harness itself is in harness/ (see NOTES.md); this file re-exports what the tests, benches
 * and scripts use.
 */
export type { ClusterHandle } from './harness/cluster-handle.ts';
export type { ClusterInfo } from './harness/cluster-info.ts';
export { connectCluster } from './harness/connect-cluster.ts';
export type { KubeClient } from './harness/kube-client.ts';
export type { NodeSpec } from './harness/nodes.ts';
export { freePorts } from './harness/ports.ts';
export type { RunningCluster } from './harness/running-cluster.ts';
export { spawnOwnedChild } from './harness/spawn-owned-child.ts';
export { startCluster } from './harness/start-cluster.ts';
