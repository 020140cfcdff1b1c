/**
 * Two agent replicas with leader election on the real control plane, authenticated as the
 * ServiceAccount deploy/kubernetes/agent-rbac.yaml creates (a TokenRequest token, as a pod gets):
 * one observes, the other stands by; the leader killed with SIGKILL → the standby takes the Lease
 * and the failure that happened meanwhile still reaches `receive`; a leader stopped with SIGTERM
 * releases the Lease at once. Also: the shipped Deployment passes the API server's validation, and
 * an agent that may not touch its Lease stops with one line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { faultAnnotations } from './faults.ts';
import { connectCluster, freePorts, spawnOwnedChild } from './harness.ts';
import { receivedIncidents, smartBin as bin, startReceive } from './receive-process.ts';
import { serviceAccountKubeconfig } from './service-account.ts';
import { create, deployment, ensureNamespace, waitFor } from './scenes/util.ts';

const cluster = connectCluster();
const ns = 'agent-leader';
const AGENT_NS = 'kubectl-smart';
const LEASE = `/apis/coordination.k8s.io/v1/namespaces/${AGENT_NS}/leases/kubectl-smart-agent`;
const deployDir = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const work = path.join(cluster.dir, 'agent-leader-test');
const received = path.join(work, 'received.ndjson');

interface Incident {
  incidentId: string;
  reason: string;
  cluster: { agentId: string };
  pod: { name: string };
}

interface Lease {
  spec: { holderIdentity?: string; leaseTransitions?: number; leaseDurationSeconds?: number };
}

interface Replica {
  readonly name: string;
  readonly opsPort: number;
  readonly process: { readonly pid: number; stop(): Promise<void> };
}

let receiver: { stop(): Promise<void> } | undefined;
let receiverPort = 0;
let ports: number[] = [];
let kubeconfig = '';
const replicas = new Map<string, Replica>();

function startReplica(name: string, opsPort: number): Replica {
  const replica: Replica = {
    name,
    opsPort,
    process: spawnOwnedChild(
      cluster,
      name,
      process.execPath,
      [
        bin,
        'agent',
        '--kubeconfig',
        kubeconfig,
        '-n',
        ns,
        '--sink',
        `grpc://127.0.0.1:${String(receiverPort)}`,
        '--outbox',
        path.join(work, `outbox-${name}`),
        '--listen',
        `127.0.0.1:${String(opsPort)}`,
        '--leader-elect',
        '--lease-duration',
        '6s',
      ],
      { POD_NAME: name, POD_NAMESPACE: AGENT_NS },
    ),
  };
  replicas.set(name, replica);
  return replica;
}

async function lease(): Promise<Lease | undefined> {
  const response = await cluster.admin.request<Lease>('GET', LEASE);
  return response.status === 200 ? response.body : undefined;
}

async function leaderMetric(replica: Replica): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${String(replica.opsPort)}/metrics`)).text();
    const match = /^kubectl_smart_leader (\d+)$/m.exec(text);
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

function incidents(): Incident[] {
  return receivedIncidents<Incident>(received);
}

/** Makes a Deployment whose pod crash-loops, and waits for its incident at the receiver. */
async function crashAndReceive(app: string): Promise<Incident> {
  await create(
    cluster.admin,
    deployment(ns, app, {
      annotations: faultAnnotations('CrashLoopBackOff', { runMs: 2000, backoffMs: 2000 }),
    }),
  );
  return waitFor(
    `the incident of ${app}`,
    () => Promise.resolve(incidents().find((i) => i.pod.name.startsWith(`${app}-`))),
    90_000,
  );
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  [receiverPort = 0, ...ports] = await freePorts(4);
  await ensureNamespace(cluster.admin, ns);
  await cluster.apply(path.join(deployDir, 'namespace.yaml'), path.join(deployDir, 'agent-rbac.yaml'));
  kubeconfig = await serviceAccountKubeconfig(
    cluster,
    AGENT_NS,
    'kubectl-smart-agent',
    path.join(work, 'agent.kubeconfig'),
  );
  receiver = startReceive(cluster, 'receive-leader', receiverPort, received);
  const a = startReplica('agent-a', ports[0] ?? 0);
  await waitFor('agent-a holds the Lease', async () => (await lease())?.spec.holderIdentity === 'agent-a');
  await waitFor('agent-a observing', async () => (await leaderMetric(a)) === 1);
  startReplica('agent-b', ports[1] ?? 0);
}, 120_000);

afterAll(async () => {
  await Promise.all([...replicas.values()].map((replica) => replica.process.stop()));
  await receiver?.stop();
});

describe('two agent replicas, one Lease (the ServiceAccount of deploy/kubernetes/agent-rbac.yaml)', () => {
  test('one observes and delivers; the other stands by, ready', async () => {
    const a = replicas.get('agent-a');
    const b = replicas.get('agent-b');
    if (a === undefined || b === undefined) throw new Error('replicas not started');
    await waitFor('agent-b serving', async () => (await leaderMetric(b)) === 0);
    const ready = await fetch(`http://127.0.0.1:${String(b.opsPort)}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toContain('standby; the leader is agent-a');

    const incident = await crashAndReceive('before-kill');
    expect(incident.cluster.agentId).toBe('agent-a');
    expect(await leaderMetric(b)).toBe(0);
    expect((await lease())?.spec).toMatchObject({ holderIdentity: 'agent-a', leaseDurationSeconds: 6 });
  }, 120_000);

  test('the leader killed (SIGKILL): the standby takes the Lease and the failure of the gap still arrives', async () => {
    const a = replicas.get('agent-a');
    const b = replicas.get('agent-b');
    if (a === undefined || b === undefined) throw new Error('replicas not started');
    const transitions = (await lease())?.spec.leaseTransitions ?? 0;
    process.kill(a.process.pid, 'SIGKILL');
    await a.process.stop();
    // Fails while nobody observes: the new leader's first list must find it.
    const incident = await crashAndReceive('during-gap');
    expect(incident.cluster.agentId).toBe('agent-b');
    expect((await lease())?.spec).toMatchObject({
      holderIdentity: 'agent-b',
      leaseTransitions: transitions + 1,
    });
    expect(await leaderMetric(b)).toBe(1);
  }, 120_000);

  test('the leader stopped (SIGTERM) releases the Lease; the restarted replica takes over and delivers', async () => {
    const a = startReplica('agent-a', ports[2] ?? 0);
    await waitFor('the restarted agent-a standing by', async () => (await leaderMetric(a)) === 0);
    expect((await lease())?.spec.holderIdentity).toBe('agent-b');
    await replicas.get('agent-b')?.process.stop();
    // Released on the way out, not left to expire: no holder (or agent-a already took it).
    expect(['agent-a', undefined]).toContain((await lease())?.spec.holderIdentity);
    await waitFor('agent-a observing again', async () => (await leaderMetric(a)) === 1);
    const incident = await crashAndReceive('after-release');
    expect(incident.cluster.agentId).toBe('agent-a');
  }, 120_000);

  test('an agent that may not write its Lease stops with one line naming the missing grant (exit 3)', () => {
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'agent',
        '--kubeconfig',
        cluster.kubeconfigReadOnly,
        '-n',
        ns,
        '--leader-elect',
        '--lease-namespace',
        AGENT_NS,
        '--lease-name',
        'readonly-test',
        '--for',
        '60s',
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, POD_NAME: 'agent-readonly', SMART_LOG_LEVEL: 'silent' },
      },
    );
    expect(run.status).toBe(3);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: cannot create Lease kubectl-smart\/readonly-test: .*forbidden.*; grant the agent get, create and update on leases in namespace kubectl-smart/,
    );
  });

  test('the shipped ConfigMap, Deployment and Service pass the API server’s validation (server-side dry run)', async () => {
    const documents = parseAllDocuments(fs.readFileSync(path.join(deployDir, 'agent.yaml'), 'utf8')).map(
      (document) => document.toJS() as { kind: string; metadata: { namespace: string } },
    );
    expect(documents.map((d) => d.kind)).toEqual(['ConfigMap', 'Deployment', 'Service']);
    const collections: Record<string, string> = {
      ConfigMap: 'api/v1/namespaces/kubectl-smart/configmaps',
      Deployment: 'apis/apps/v1/namespaces/kubectl-smart/deployments',
      Service: 'api/v1/namespaces/kubectl-smart/services',
    };
    for (const object of documents) {
      expect(object.metadata.namespace).toBe(AGENT_NS);
      const response = await cluster.admin.request(
        'POST',
        `/${collections[object.kind] ?? ''}?dryRun=All&fieldValidation=Strict`,
        object,
      );
      expect(response.status, response.text).toBe(201);
    }
  });
});
