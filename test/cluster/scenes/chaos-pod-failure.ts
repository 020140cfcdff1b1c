/**
 * Fault injection as the root cause: Chaos Mesh's PodChaos CRD (the project's own, vendored in
 * test/fixtures/realdata/chaos) is installed and established by the real API server, an active
 * `pod-failure` PodChaos in another namespace selects the pods of Deployment `db` (`app=db`),
 * written as `kubectl apply` writes it and with the status Chaos Mesh's controller reports, and
 * from then on the db pods crash-loop as a kubelet shows it. Beside it, unrelated, Deployment `web` cannot pull its
 * image. No Chaos Mesh controller runs here: the experiment is an object, the crash loop KWOK's.
 */
import { fileURLToPath } from 'node:url';
import type { ClusterHandle } from '../harness.ts';
import { faultPods } from './common.ts';
import { createAll, deployment, ensureNamespace, waitFor, waitPods } from './util.ts';

/** The PodChaos CustomResourceDefinition as Chaos Mesh ships it. */
const POD_CHAOS_CRD = fileURLToPath(
  new URL('../../fixtures/realdata/chaos/chaos-mesh_crd_podchaos.yaml', import.meta.url),
);
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/podchaos.chaos-mesh.org';

/** Where a namespace's PodChaos objects are listed (404 while the CRD is not installed). */
export function podChaosPath(ns: string): string {
  return `/apis/chaos-mesh.org/v1alpha1/namespaces/${ns}/podchaos`;
}

/** Installs the PodChaos CRD and waits until the API server serves the kind. */
export async function installPodChaosCrd(cluster: ClusterHandle, ns: string): Promise<void> {
  await cluster.apply(POD_CHAOS_CRD);
  await waitFor('the PodChaos CRD to be established and served', async () => {
    const crd = await cluster.admin.request<{ status?: { conditions?: { type: string; status: string }[] } }>(
      'GET',
      CRD_PATH,
    );
    const established = crd.body.status?.conditions?.some(
      (c) => c.type === 'Established' && c.status === 'True',
    );
    return established === true && (await cluster.admin.request('GET', podChaosPath(ns))).status === 200;
  });
}

/** Removes the PodChaos CRD (and every PodChaos with it) and waits until the kind is no longer served. */
export async function removePodChaosCrd(cluster: ClusterHandle, ns: string): Promise<void> {
  const r = await cluster.admin.request('DELETE', CRD_PATH);
  if (r.status >= 300 && r.status !== 404)
    throw new Error(`delete the PodChaos CRD: ${String(r.status)} ${r.text}`);
  await waitFor(
    'the PodChaos kind to be gone',
    async () => (await cluster.admin.request('GET', podChaosPath(ns))).status === 404,
    60_000,
  );
}

/** The workloads: `db` running well (three pods), and, unrelated, `web` unable to pull its image. */
export async function sceneChaosWorkloads(cluster: ClusterHandle, ns: string): Promise<void> {
  await ensureNamespace(cluster.admin, ns);
  await faultPods(cluster, ns, 'web', 'ImagePullBackOff', {
    pullMs: 500,
    backoffMs: 1500,
    pullError: 'not-found',
  });
  await createAll(cluster.admin, [
    deployment(ns, 'db', { replicas: 3, image: 'registry.example.com/db:15.4' }),
    deployment(ns, 'web', { replicas: 1, image: 'registry.example.com/web:2.0.1' }),
  ]);
  await waitPods(
    cluster.admin,
    ns,
    'app=db',
    (ps) => ps.length === 3 && ps.every((p) => p.status?.phase === 'Running'),
    'db Running',
  );
  await waitPods(
    cluster.admin,
    ns,
    'app=web',
    (ps) => ps.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff'),
    'web in ImagePullBackOff',
  );
}

/**
 * The experiment, kept in its own namespace `lab` as chaos teams keep them: `kubectl apply` of a
 * pod-failure on `app=db` in `ns` for an hour (the PodChaos CRD has no status subresource, so the
 * status Chaos Mesh's controller writes is written with it: selected, injected into each db pod,
 * desired phase Run); then the db pods fail.
 */
export async function createPodFailure(cluster: ClusterHandle, ns: string, lab: string): Promise<void> {
  await ensureNamespace(cluster.admin, lab);
  const pods = await waitPods(cluster.admin, ns, 'app=db', (ps) => ps.length === 3, 'db pods');
  const body = {
    apiVersion: 'chaos-mesh.org/v1alpha1',
    kind: 'PodChaos',
    metadata: { name: 'db-pod-failure', namespace: lab },
    spec: {
      action: 'pod-failure',
      mode: 'all',
      duration: '1h',
      selector: { namespaces: [ns], labelSelectors: { app: 'db' } },
    },
    status: {
      conditions: [
        { type: 'Selected', status: 'True' },
        { type: 'AllInjected', status: 'True' },
        { type: 'AllRecovered', status: 'False' },
        { type: 'Paused', status: 'False' },
      ],
      experiment: {
        desiredPhase: 'Run',
        containerRecords: pods.map((p) => ({
          id: `${ns}/${p.metadata.name}`,
          selectorKey: '.',
          phase: 'Injected',
          injectedCount: 1,
          recoveredCount: 0,
        })),
      },
    },
  };
  const r = await cluster.admin.request(
    'POST',
    `${podChaosPath(lab)}?fieldManager=kubectl-client-side-apply`,
    body,
  );
  if (r.status !== 201) throw new Error(`create PodChaos db-pod-failure: ${String(r.status)} ${r.text}`);
  // What the fault does to the pods, as their kubelet shows it: each db container now exits and
  // is restarted with back-off, after the experiment began (mostly in back-off, so a moment read
  // seldom finds one running).
  for (const p of pods)
    await cluster.injectFault(ns, p.metadata.name, 'CrashLoopBackOff', { runMs: 500, backoffMs: 8000 });
  await waitPods(
    cluster.admin,
    ns,
    'app=db',
    (ps) => ps.length === 3 && ps.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1),
    'every db pod restarted by the fault',
    60_000,
  );
}
