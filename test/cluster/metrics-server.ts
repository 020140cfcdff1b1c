/**
 * A real Metrics API for the test cluster: metrics-server (built from Go modules, build.sh) behind
 * the kube-apiserver's aggregator, scraping the kubelet `/metrics/resource` endpoints KWOK plays.
 *
 * - KWOK serves each node's endpoint at `/metrics/nodes/NODE/metrics/resource` (its Metric CR,
 *   upstream `metrics-resource.yaml`); nodes carry `metrics.k8s.io/resource-metrics-path` (set by
 *   nodeObject) so metrics-server scrapes there, on the node's kubelet port, which is KWOK's.
 * - What a container uses comes from KWOK's ClusterResourceUsage `usage-from-annotation`: a pod
 *   annotated `kwok.x-k8s.io/usage-memory: 60Mi` has a 60Mi working set (1Mi without it).
 * - The aggregator reaches metrics-server through an ExternalName Service (`localhost`), since
 *   Service IPs route nowhere here and Endpoints may not name a loopback address.
 *
 * Opt-in, per test file: most tests run without a Metrics API, as many clusters do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts, spawnOwnedChild, type ClusterHandle } from './harness.ts';

const APISERVICE = 'v1beta1.metrics.k8s.io';
const NAMESPACE = 'kube-system';
const SERVICE = 'metrics-server';

export interface MetricsServer {
  /** Removes the APIService (the Metrics API is no longer served) and stops metrics-server. */
  stop(): Promise<void>;
}

/** Starts metrics-server and registers it as `metrics.k8s.io/v1beta1`; resolves once it is Available. */
export async function startMetricsServer(cluster: ClusterHandle, timeoutMs = 90_000): Promise<MetricsServer> {
  const metricsDir = path.join(cluster.binDir, '..', 'kwok', 'metrics');
  await cluster.apply(
    path.join(metricsDir, 'metrics-resource.yaml'),
    path.join(metricsDir, 'usage-from-annotation.yaml'),
  );
  const [port] = (await freePorts(1)) as [number];
  const certDir = path.join(cluster.dir, 'metrics-server');
  fs.mkdirSync(certDir, { recursive: true });
  const server = spawnOwnedChild(cluster, 'metrics-server', path.join(cluster.binDir, 'metrics-server'), [
    `--secure-port=${String(port)}`,
    '--bind-address=127.0.0.1',
    `--cert-dir=${certDir}`,
    `--kubeconfig=${cluster.kubeconfigAdmin}`,
    `--authentication-kubeconfig=${cluster.kubeconfigAdmin}`,
    `--authorization-kubeconfig=${cluster.kubeconfigAdmin}`,
    // KWOK's serving certificate names no node; the scrape goes to 127.0.0.1 on KWOK's port.
    '--kubelet-insecure-tls',
    '--kubelet-preferred-address-types=InternalIP',
    '--kubelet-use-node-status-port',
    // Scrapes every 10 s (the least it allows), each given 5 s: two scrapes make a CPU rate.
    '--metric-resolution=10s',
    '--kubelet-request-timeout=5s',
  ]);
  const must = async (what: string, response: Promise<{ status: number; text: string }>): Promise<void> => {
    const r = await response;
    if (r.status >= 300 && r.status !== 409) throw new Error(`${what}: ${String(r.status)} ${r.text}`);
  };
  await must(
    'create the metrics-server Service',
    cluster.admin.request('POST', `/api/v1/namespaces/${NAMESPACE}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: SERVICE, namespace: NAMESPACE },
      spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port }] },
    }),
  );
  await must(
    'register the Metrics API',
    cluster.admin.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: APISERVICE },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { name: SERVICE, namespace: NAMESPACE, port },
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    }),
  );
  const stop = async (): Promise<void> => {
    await cluster.admin.request('DELETE', `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}`);
    await cluster.admin.request('DELETE', `/api/v1/namespaces/${NAMESPACE}/services/${SERVICE}`);
    await server.stop();
  };
  const t0 = performance.now();
  for (;;) {
    const r = await cluster.admin.request<{
      status?: { conditions?: { type: string; status: string; message?: string }[] };
    }>('GET', `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE}`);
    const available = r.body.status?.conditions?.find((c) => c.type === 'Available');
    if (available?.status === 'True') return { stop };
    if (performance.now() - t0 > timeoutMs) {
      await stop();
      throw new Error(
        `metrics-server not Available after ${String(timeoutMs)} ms: ${available?.message ?? 'no condition'}`,
      );
    }
    await sleep(500);
  }
}

/** Waits until the Metrics API reports a pod's containers (metrics-server needs two scrapes). */
export async function waitPodMetrics(
  cluster: ClusterHandle,
  namespace: string,
  pod: string,
  timeoutMs = 90_000,
): Promise<unknown> {
  const t0 = performance.now();
  for (;;) {
    const r = await cluster.admin.request<{ containers?: unknown[] }>(
      'GET',
      `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods/${pod}`,
    );
    if (r.status === 200 && (r.body.containers?.length ?? 0) > 0) return r.body;
    if (performance.now() - t0 > timeoutMs)
      throw new Error(
        `no metrics for pod ${namespace}/${pod} after ${String(timeoutMs)} ms: ${String(r.status)} ${r.text}`,
      );
    await sleep(1000);
  }
}
