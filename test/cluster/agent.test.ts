/**
 * The incident observer on the real control plane: `kubectl smart agent` runs as the read-only
 * user and streams over gRPC to `kubectl smart receive`, both as a user runs them (the built CLI,
 * separate processes). Every failure class is injected as the kubelet shows it (KWOK stages); the
 * receiver gets an incident for each with logs, redacted manifests and events; stopped for a
 * minute, it loses nothing once it is back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { faultAnnotations } from './faults.ts';
import { connectCluster, freePorts, spawnOwnedChild } from './harness.ts';
import { receivedIncidents, smartBin as bin, startReceive } from './receive-process.ts';
import { create, deployment, ensureNamespace, sleep, waitFor, waitPods } from './scenes/util.ts';

const cluster = connectCluster();
const ns = 'agent-classes';
const work = path.join(cluster.dir, 'agent-test');
const received = path.join(work, 'received.ndjson');
const PASSWORD = 'Planted-Db-Password-5521';
const TOKEN = 'ghp_' + 'Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa';

interface Incident {
  incidentId: string;
  reason: string;
  pod: { namespace: string; name: string };
  container?: string;
  logs?: { container: string; previous?: boolean; text: string }[];
  manifests?: { ref: { kind: string; name: string }; json: string }[];
  events?: { reason: string; message: string }[];
  diagnosis?: { rootCause?: { ruleId: string } };
  redaction?: { total?: number };
  gaps?: string[];
}

let receiverPort = 0;
let opsPort = 0;
let receiver: { stop(): Promise<void> } | undefined;
let agent: { stop(): Promise<void> } | undefined;

function startReceiver(): { stop(): Promise<void> } {
  return startReceive(cluster, 'receive', receiverPort, received);
}

function incidents(): Incident[] {
  return receivedIncidents<Incident>(received);
}

function incidentOf(app: string, reason: string): Promise<Incident> {
  return waitFor(
    `an incident ${reason} for ${app}`,
    () => Promise.resolve(incidents().find((i) => i.pod.name.startsWith(`${app}-`) && i.reason === reason)),
    90_000,
  );
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  [receiverPort = 0, opsPort = 0] = await freePorts(2);
  await ensureNamespace(cluster.admin, ns);
  receiver = startReceiver();
  agent = spawnOwnedChild(cluster, 'agent', process.execPath, [
    bin,
    'agent',
    '--kubeconfig',
    cluster.kubeconfigReadOnly,
    '-n',
    ns,
    '--sink',
    `grpc://127.0.0.1:${String(receiverPort)}`,
    '--outbox',
    path.join(work, 'outbox'),
    '--listen',
    `127.0.0.1:${String(opsPort)}`,
    '--cluster-name',
    'test-cluster',
  ]);
  await waitFor('the agent ready', async () => {
    try {
      return (await fetch(`http://127.0.0.1:${String(opsPort)}/readyz`)).status === 200;
    } catch {
      return false;
    }
  });
  const fast = { runMs: 3000, backoffMs: 2000 };
  await Promise.all([
    create(
      cluster.admin,
      deployment(ns, 'crash', {
        annotations: faultAnnotations('CrashLoopBackOff', fast),
        containers: [
          {
            name: 'crash',
            image: 'registry.example.com/crash:1.0',
            env: [{ name: 'DB_PASSWORD', value: PASSWORD }],
          },
        ],
      }),
    ),
    create(cluster.admin, deployment(ns, 'oom', { annotations: faultAnnotations('OOMKilled', fast) })),
    create(
      cluster.admin,
      deployment(ns, 'pull', {
        annotations: faultAnnotations('ImagePullBackOff', { pullError: 'not-found' }),
      }),
    ),
    create(
      cluster.admin,
      deployment(ns, 'config', { annotations: faultAnnotations('CreateContainerConfigError') }),
    ),
    create(
      cluster.admin,
      deployment(ns, 'initfail', {
        annotations: faultAnnotations('InitCrashLoopBackOff', { ...fast, message: 'could not reach db' }),
        podSpec: { initContainers: [{ name: 'init-db', image: 'registry.example.com/init-db:1.0' }] },
      }),
    ),
    create(cluster.admin, deployment(ns, 'evict')),
  ]);
  const [crash] = await waitPods(cluster.admin, ns, 'app=crash', (ps) => ps.length === 1, 'the crash pod');
  const log = `starting\nauth with token ${TOKEN}\npanic: cannot open database\n`;
  await cluster.setPodLogs(ns, crash?.metadata.name ?? '', { current: log, previous: log });
  const [evict] = await waitPods(
    cluster.admin,
    ns,
    'app=evict',
    (ps) => ps.length === 1 && ps[0]?.status?.phase === 'Running',
    'the evict pod Running',
  );
  await cluster.injectFault(ns, evict?.metadata.name ?? '', 'Evicted', { runMs: 200 });
}, 180_000);

afterAll(async () => {
  await agent?.stop();
  await receiver?.stop();
});

describe('kubectl smart agent → kubectl smart receive (gRPC), read-only RBAC', () => {
  test.for([
    ['crash', 'FAILURE_REASON_CRASH_LOOP_BACK_OFF'],
    ['oom', 'FAILURE_REASON_OOM_KILLED'],
    ['pull', 'FAILURE_REASON_IMAGE_PULL_BACK_OFF'],
    ['config', 'FAILURE_REASON_CREATE_CONTAINER_CONFIG_ERROR'],
    ['initfail', 'FAILURE_REASON_INIT_CONTAINER_FAILURE'],
    ['evict', 'FAILURE_REASON_EVICTED'],
  ])('%s: the receiver gets a %s incident with manifests, events and a diagnosis', async ([app, reason]) => {
    const incident = await incidentOf(app ?? '', reason ?? '');
    expect(incident.pod.namespace).toBe(ns);
    const kinds = (incident.manifests ?? []).map((m) => m.ref.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Pod', 'ReplicaSet', 'Deployment']));
    expect(kinds).not.toContain('Secret');
    // The agent never asks for Secrets, so no gap says it may not.
    expect(JSON.stringify(incident.gaps ?? [])).not.toContain('secrets');
    expect(incident.events?.length ?? 0).toBeGreaterThan(0);
    expect(incident.diagnosis?.rootCause?.ruleId).toBeTruthy();
  });

  test('the crash-looping container comes with its current and previous logs, and no secret reaches the receiver', async () => {
    const incident = await incidentOf('crash', 'FAILURE_REASON_CRASH_LOOP_BACK_OFF');
    expect(incident.logs?.map((l) => Boolean(l.previous)).sort()).toEqual([false, true]);
    expect(incident.logs?.[0]?.text).toContain('panic: cannot open database');
    expect(incident.redaction?.total ?? 0).toBeGreaterThanOrEqual(3);
    const wire = fs.readFileSync(received, 'utf8');
    expect(wire).not.toContain(PASSWORD);
    expect(wire).not.toContain(TOKEN);
  });

  test('the agent serves /metrics and counts what it detected and delivered', async () => {
    const text = await (await fetch(`http://127.0.0.1:${String(opsPort)}/metrics`)).text();
    // At least the six pods of the list, and their watch events since.
    expect(Number(/^kubectl_smart_pod_updates_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(6);
    expect(text).toMatch(/kubectl_smart_detections_total\{reason="CrashLoopBackOff"\} [1-9]/);
    expect(text).toMatch(/kubectl_smart_harvests_total\{reason="CRASH_LOOP_BACK_OFF"\} [1-9]/);
    expect(text).toMatch(
      /kubectl_smart_send_latency_seconds_count\{sink="grpc grpc:\/\/127\.0\.0\.1:\d+"\} [1-9]/,
    );
    expect(text).toContain('kubectl_smart_redaction_failures_total 0');
  });

  test('the receiver stopped for a minute: incidents meanwhile wait in the outbox and all arrive, each once', async () => {
    await receiver?.stop();
    const stoppedAt = Date.now();
    await create(
      cluster.admin,
      deployment(ns, 'during-outage', {
        annotations: faultAnnotations('CrashLoopBackOff', { runMs: 500, backoffMs: 2000 }),
      }),
    );
    // The agent has it and keeps it: its outbox holds it while nobody listens.
    await waitFor(
      'the incident waiting in the outbox',
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${String(opsPort)}/metrics`)).text();
        return /kubectl_smart_outbox_depth\{sink="[^"]+"\} [1-9]/.test(text);
      },
      60_000,
    );
    await sleep(Math.max(0, 60_000 - (Date.now() - stoppedAt)));
    expect(incidents().some((i) => i.pod.name.startsWith('during-outage-'))).toBe(false);
    receiver = startReceiver();
    await incidentOf('during-outage', 'FAILURE_REASON_CRASH_LOOP_BACK_OFF');
    const ids = incidents().map((i) => i.incidentId);
    expect(new Set(ids).size).toBe(ids.length);
  }, 180_000);
});
