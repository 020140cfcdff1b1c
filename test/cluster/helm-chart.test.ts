/**
 * The Helm chart deploy/helm/kubectl-smart, installed by a real helm (built from its Go module,
 * scripts/helm.sh) into the test cluster: the API server takes every object; the release's
 * ServiceAccount may read what the agent reads and write nothing but its Lease (asked of the API
 * server's own authorizer with SubjectAccessReviews); the built agent, run as that ServiceAccount
 * with the config file the chart rendered, leads on the chart's Lease and delivers an incident from
 * the namespace the values name; values the agent would refuse are refused by helm in one line; and
 * uninstall removes the cluster-wide objects.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { faultAnnotations } from './faults.ts';
import { connectCluster, freePorts, spawnOwnedChild } from './harness.ts';
import { receivedIncidents, smartBin as bin, startReceive } from './receive-process.ts';
import { create, deployment, ensureNamespace, waitFor } from './scenes/util.ts';
import { serviceAccountKubeconfig } from './service-account.ts';

const cluster = connectCluster();
const repo = fileURLToPath(new URL('../../', import.meta.url));
const chart = path.join(repo, 'deploy', 'helm', 'kubectl-smart');
const RELEASE = 'smart-helm';
const RELEASE_NS = 'helm-agent';
const WATCHED = 'helm-watched';
/** <release>-<chart>, as the chart names what it makes when the release name does not hold the chart's. */
const BASE = `${RELEASE}-kubectl-smart`;
const AGENT = `${BASE}-agent`;
const work = path.join(cluster.dir, 'helm-chart-test');
const received = path.join(work, 'received.ndjson');

let receiver: { stop(): Promise<void> } | undefined;
let agent: { stop(): Promise<void> } | undefined;
let receiverPort = 0;
let opsPort = 0;

function helm(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('bash', [path.join(repo, 'scripts', 'helm.sh'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 600_000,
    env: {
      ...process.env,
      KUBECONFIG: cluster.kubeconfigAdmin,
      HELM_CACHE_HOME: path.join(work, 'helm-cache'),
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface AccessReview {
  status: { allowed: boolean; reason?: string };
}

/** Asks the API server whether the release's ServiceAccount may do `verb` on `resource`. */
async function allowed(
  verb: string,
  resource: string,
  options: { namespace?: string; name?: string; group?: string; subresource?: string } = {},
): Promise<boolean> {
  const response = await cluster.admin.request<AccessReview>(
    'POST',
    '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: `system:serviceaccount:${RELEASE_NS}:${AGENT}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${RELEASE_NS}`, 'system:authenticated'],
        resourceAttributes: { verb, resource, ...options },
      },
    },
  );
  if (response.status !== 201)
    throw new Error(`SubjectAccessReview: ${String(response.status)} ${response.text}`);
  return response.body.status.allowed;
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  // Built on first use (minutes); cached outside the repo afterwards.
  const version = helm('version', '--short');
  if (version.status !== 0) throw new Error(`helm: ${version.stderr}`);
  [receiverPort = 0, opsPort = 0] = await freePorts(2);
  await ensureNamespace(cluster.admin, WATCHED);
  receiver = startReceive(cluster, 'receive-helm', receiverPort, received);
}, 900_000);

afterAll(async () => {
  await agent?.stop();
  await receiver?.stop();
  helm('uninstall', RELEASE, '--namespace', RELEASE_NS, '--ignore-not-found');
});

describe('the Helm chart on the real control plane', () => {
  test('values the agent would refuse are refused by helm, naming the value', () => {
    const unknown = helm('template', 'x', chart, '--set', 'agent.listen=:1');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/at '\/agent': additional properties 'listen' not allowed/);
    const sink = helm('template', 'x', chart, '--set', 'agent.sinks={ftp://example.com}');
    expect(sink.status).not.toBe(0);
    expect(sink.stderr).toMatch(/at '\/agent\/sinks\/0': 'ftp:\/\/example.com' does not match/);
    const reason = helm('template', 'x', chart, '--set', 'agent.detect={Crashing}');
    expect(reason.status).not.toBe(0);
    expect(reason.stderr).toMatch(/at '\/agent\/detect\/0': value must be one of 'CrashLoopBackOff'/);
  });

  test('installs: every object is taken and the Deployment rolls out', async () => {
    const install = helm(
      'install',
      RELEASE,
      chart,
      '--namespace',
      RELEASE_NS,
      '--create-namespace',
      '--set',
      `agent.namespaces={${WATCHED}}`,
      '--set',
      `agent.sinks={grpc://127.0.0.1:${String(receiverPort)}}`,
      '--set',
      'leaderElection.leaseDuration=6s',
      '--wait',
      '--timeout',
      '120s',
    );
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toContain(`Lease ${AGENT}`);
    const status = helm('status', RELEASE, '--namespace', RELEASE_NS, '-o', 'json');
    expect((JSON.parse(status.stdout) as { info: { status: string } }).info.status).toBe('deployed');
    const rollout = await cluster.admin.request<{ status: { availableReplicas?: number } }>(
      'GET',
      `/apis/apps/v1/namespaces/${RELEASE_NS}/deployments/${AGENT}`,
    );
    expect(rollout.body.status.availableReplicas).toBe(2);
  }, 180_000);

  test('the release’s ServiceAccount reads what the agent reads and writes only its Lease', async () => {
    // Reads, everywhere: what detection, harvest and diagnosis need.
    expect(await allowed('watch', 'pods')).toBe(true);
    expect(await allowed('list', 'pods')).toBe(true);
    expect(await allowed('get', 'pods', { namespace: WATCHED, subresource: 'log' })).toBe(true);
    expect(await allowed('list', 'events', { namespace: WATCHED })).toBe(true);
    expect(await allowed('get', 'configmaps', { namespace: WATCHED })).toBe(true);
    expect(await allowed('list', 'replicasets', { group: 'apps' })).toBe(true);
    expect(await allowed('get', 'nodes')).toBe(true);
    // Its Lease: create in its namespace, get and update that one by name.
    expect(await allowed('create', 'leases', { namespace: RELEASE_NS, group: 'coordination.k8s.io' })).toBe(
      true,
    );
    expect(
      await allowed('update', 'leases', { namespace: RELEASE_NS, name: AGENT, group: 'coordination.k8s.io' }),
    ).toBe(true);
    // Nothing else.
    expect(await allowed('get', 'secrets', { namespace: WATCHED })).toBe(false);
    expect(await allowed('list', 'secrets')).toBe(false);
    expect(await allowed('delete', 'pods', { namespace: WATCHED })).toBe(false);
    expect(await allowed('patch', 'deployments', { namespace: WATCHED, group: 'apps' })).toBe(false);
    expect(
      await allowed('update', 'leases', {
        namespace: RELEASE_NS,
        name: 'another',
        group: 'coordination.k8s.io',
      }),
    ).toBe(false);
    expect(await allowed('create', 'leases', { namespace: 'default', group: 'coordination.k8s.io' })).toBe(
      false,
    );
  });

  test('the agent, as that ServiceAccount with the chart’s config file, leads on the chart’s Lease and delivers', async () => {
    const configMap = await cluster.admin.request<{ data: Record<string, string> }>(
      'GET',
      `/api/v1/namespaces/${RELEASE_NS}/configmaps/${AGENT}`,
    );
    expect(configMap.status).toBe(200);
    const configFile = path.join(work, 'config.yaml');
    fs.writeFileSync(configFile, configMap.body.data['config.yaml'] ?? '');
    const kubeconfig = await serviceAccountKubeconfig(
      cluster,
      RELEASE_NS,
      AGENT,
      path.join(work, 'agent.kubeconfig'),
    );
    // As the pod runs it (SMART_CONFIG, POD_NAME, POD_NAMESPACE), with the ops port and the outbox
    // moved off the pod's paths onto this machine's.
    agent = spawnOwnedChild(
      cluster,
      'agent-helm',
      process.execPath,
      [
        bin,
        'agent',
        '--kubeconfig',
        kubeconfig,
        '--listen',
        `127.0.0.1:${String(opsPort)}`,
        '--outbox',
        path.join(work, 'outbox'),
      ],
      { SMART_CONFIG: configFile, POD_NAME: 'helm-agent-0', POD_NAMESPACE: RELEASE_NS },
    );
    await waitFor('the agent holding the chart’s Lease', async () => {
      const lease = await cluster.admin.request<{ spec: { holderIdentity?: string } }>(
        'GET',
        `/apis/coordination.k8s.io/v1/namespaces/${RELEASE_NS}/leases/${AGENT}`,
      );
      return lease.status === 200 && lease.body.spec.holderIdentity === 'helm-agent-0';
    });
    await create(
      cluster.admin,
      deployment(WATCHED, 'crasher', {
        annotations: faultAnnotations('CrashLoopBackOff', { runMs: 2000, backoffMs: 2000 }),
      }),
    );
    const incident = await waitFor(
      'the crash loop at the receiver',
      () =>
        Promise.resolve(
          receivedIncidents<{
            reason: string;
            pod: { namespace: string; name: string };
            cluster: { agentId: string };
          }>(received).find((i) => i.pod.name.startsWith('crasher-')),
        ),
      90_000,
    );
    expect(incident).toMatchObject({
      reason: 'FAILURE_REASON_CRASH_LOOP_BACK_OFF',
      pod: { namespace: WATCHED },
      cluster: { agentId: 'helm-agent-0' },
    });
  }, 150_000);

  test('uninstall removes what the release made, cluster-wide objects included', async () => {
    await agent?.stop();
    agent = undefined;
    const uninstall = helm('uninstall', RELEASE, '--namespace', RELEASE_NS, '--wait', '--timeout', '60s');
    expect(uninstall.status, uninstall.stderr).toBe(0);
    for (const object of [
      `/apis/rbac.authorization.k8s.io/v1/clusterroles/${BASE}-observer`,
      `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${AGENT}`,
      `/apis/apps/v1/namespaces/${RELEASE_NS}/deployments/${AGENT}`,
      `/api/v1/namespaces/${RELEASE_NS}/serviceaccounts/${AGENT}`,
    ]) {
      expect((await cluster.admin.request('GET', object)).status, object).toBe(404);
    }
  }, 90_000);
});
