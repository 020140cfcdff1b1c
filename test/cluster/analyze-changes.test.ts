/**
 * Any recorded change, not only a ConfigMap's, named as the cause on the real control plane.
 * `kubectl smart record` runs as its own process with the API server's audit log while five scenes
 * play out, each in its own namespace: an image changed to a tag that cannot be pulled (S3), a node
 * tainted before a rollout, a memory limit lowered until the pods are OOM-killed, a NetworkPolicy
 * put in front of a Service whose callers then crash, and a Deployment scaled to zero whose
 * Service's callers then crash. With the recorder still running, `analyze` on the live cluster
 * (`-n`, `-A` and TYPE/NAME, as the admin and as the read-only user) and `analyze --at` must put
 * the change first, with who made it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import { startRecorder, type RecorderProcess } from './recorder-process.ts';
import { scene03 } from './scenes/index.ts';
import {
  sceneMemoryLowered,
  sceneNetworkPolicyAdded,
  sceneNodeTainted,
  sceneScaledToZero,
} from './scenes/recorded-changes.ts';
import type { SceneBuilder } from './scenes/util.ts';
import type { AnalysisDocument } from '../../src/cli/render/analysis-document.ts';

/** What `analyze -o json` prints. */
type Problem = AnalysisDocument['problems'][number];
type Finding = AnalysisDocument['findings'][number];
type Ref = Finding['resource'];

interface Case {
  readonly id: string;
  readonly ns: string;
  readonly build: SceneBuilder;
  /** The object asked about with TYPE/NAME. */
  readonly target: string;
  /** The changed object the root cause must be on. */
  readonly resource: Ref;
  /** Substrings of its message. */
  readonly says: readonly string[];
  /** A substring of its evidence (who and why). */
  readonly evidence: string;
  /** A substring of one of its fix's commands. */
  readonly fix: string;
  /** Rules one of whose findings must rank under it, as a symptom (a crash loop read while the container runs between crashes is a restart-flapping). */
  readonly under: readonly string[];
}

const CASES: readonly Case[] = [
  {
    id: 'image',
    ns: 'changes-image',
    build: scene03,
    target: 'deploy/api',
    resource: { kind: 'Deployment', namespace: 'changes-image', name: 'api' },
    says: [
      'containers[api].image "registry.example.com/api:1.4.2" → "registry.example.com/api:1.4.3-rc0" (by kubernetes-admin)',
      'ImagePullBackOff',
    ],
    evidence: '(by kubernetes-admin)',
    fix: 'rollout undo deployment/api',
    under: ['image-pull'],
  },
  {
    id: 'taint',
    ns: 'changes-taint',
    build: sceneNodeTainted,
    target: 'deploy/api',
    resource: { kind: 'Node', name: 'changes-taint-node' },
    says: ['taint maintenance=true:NoSchedule added (by kubernetes-admin)', 'Pending: untolerated taint'],
    evidence: 'spec.taints[maintenance:NoSchedule]: added',
    fix: 'kubectl taint nodes changes-taint-node maintenance:NoSchedule-',
    under: ['pending-unschedulable'],
  },
  {
    id: 'memory',
    ns: 'changes-memory',
    build: sceneMemoryLowered,
    target: 'deploy/worker',
    resource: { kind: 'Deployment', namespace: 'changes-memory', name: 'worker' },
    says: ['containers[worker].resources.limits.memory "256Mi" → "64Mi" (by kubernetes-admin)', 'OOMKilled'],
    evidence: '(by kubernetes-admin), because: worker memory cut to fit the node pool',
    fix: '--limits=memory=256Mi',
    under: ['out-of-memory'],
  },
  {
    id: 'network-policy',
    ns: 'changes-netpol',
    build: sceneNetworkPolicyAdded,
    target: 'deploy/web',
    resource: { kind: 'NetworkPolicy', namespace: 'changes-netpol', name: 'api-ingress' },
    says: ['NetworkPolicy api-ingress created (by kubernetes-admin)', '2 pods began to fail'],
    evidence: 'Service/api → Pod/api-',
    fix: 'delete networkpolicy api-ingress',
    under: ['crash-loop', 'restart-flapping'],
  },
  {
    id: 'scaled-to-zero',
    ns: 'changes-scale',
    build: sceneScaledToZero,
    target: 'deploy/web',
    resource: { kind: 'Deployment', namespace: 'changes-scale', name: 'api' },
    says: ['replicas 2 → 0 (by kubernetes-admin)', 'no ready endpoints'],
    evidence: 'scaled-to-zero explains',
    fix: 'scale deployment/api --replicas=2',
    under: ['crash-loop', 'restart-flapping'],
  },
];

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-analyze-changes-'));
const store = join(dir, 'memory.db');
const cluster = connectCluster();
let recorder: RecorderProcess | undefined;
let builtAt: string;

const smart = (args: readonly string[]) =>
  runCli([...args, '--alpha-memory', '--store', store, '-o', 'json'], { env: { NO_COLOR: '1' } });

beforeAll(async () => {
  recorder = startRecorder([
    '-A',
    '--kubeconfig',
    cluster.kubeconfigAdmin,
    '--store',
    store,
    '--audit-log',
    cluster.auditLogPath,
  ]);
  await recorder.started;
  // Let the first lists land, so the scenes' objects are recorded as they are created.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  for (const c of CASES) await c.build(cluster, c.ns);
  // The audit lines of the last changes and the recorder's last batch.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  builtAt = new Date().toISOString();
}, 600_000);

afterAll(async () => {
  // Recording all along, as `record` runs beside an incident; stopped cleanly at the end.
  const code = await recorder?.stop('SIGINT');
  expect(code, recorder?.output().stderr).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

/** The problems of an analysis, and those that concern a namespace (rooted there, or reaching into it). */
async function problems(args: readonly string[], kubeconfig: string): Promise<Problem[]> {
  const result = await smart(['analyze', ...args, '--kubeconfig', kubeconfig]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { problems: Problem[] }).problems;
}

function concerning(all: readonly Problem[], ns: string): Problem[] {
  return all.filter(
    (p) =>
      [p.rootCause, ...p.symptoms].some((f) => f.resource.namespace === ns) ||
      p.chain.some((r) => r.namespace === ns),
  );
}

function expectChangeFirst(found: readonly Problem[], c: Case, context: string): void {
  const mine = concerning(found, c.ns);
  const top = mine[0];
  expect(top?.rootCause.ruleId, `${context}: ${JSON.stringify(mine.map((p) => p.rootCause.message))}`).toBe(
    'change-suspect',
  );
  expect(top?.rootCause.resource).toEqual(c.resource);
  for (const words of c.says) expect(top?.rootCause.message).toContain(words);
  expect(top?.rootCause.evidence.map((e) => e.text).join('\n')).toContain(c.evidence);
  expect(top?.rootCause.fix?.commands?.join('\n')).toContain(c.fix);
  expect(top?.symptoms.map((s) => s.ruleId).filter((id) => c.under.includes(id))).not.toEqual([]);
  // Nothing in the namespace is left as a root cause of its own beside the change.
  expect(
    mine
      .slice(1)
      .filter((p) => p.rootCause.resource.namespace === c.ns)
      .map((p) => p.rootCause.ruleId),
  ).toEqual([]);
}

describe('analyze names the recorded change that broke things', () => {
  test.for(CASES)('$id: -n, as the admin and as the read-only user', async (c) => {
    expectChangeFirst(await problems(['-n', c.ns], cluster.kubeconfigAdmin), c, 'admin -n');
    expectChangeFirst(await problems(['-n', c.ns], cluster.kubeconfigReadOnly), c, 'read-only -n');
  });

  test.for(CASES)('$id: TYPE/NAME, as the admin and as the read-only user', async (c) => {
    expectChangeFirst(await problems([c.target, '-n', c.ns], cluster.kubeconfigAdmin), c, 'admin TYPE/NAME');
    expectChangeFirst(
      await problems([c.target, '-n', c.ns], cluster.kubeconfigReadOnly),
      c,
      'read-only TYPE/NAME',
    );
  });

  test('-A, as the admin and as the read-only user: each scene under its change', async () => {
    for (const kubeconfig of [cluster.kubeconfigAdmin, cluster.kubeconfigReadOnly]) {
      const found = await problems(['-A'], kubeconfig);
      for (const c of CASES) expectChangeFirst(found, c, `-A ${c.id}`);
    }
  });

  test.for(CASES)('$id: --at, from the recording alone', async (c) => {
    const result = await smart(['analyze', '-n', c.ns, '--at', builtAt]);
    expect(result.code, result.stderr).toBe(0);
    expectChangeFirst((JSON.parse(result.stdout) as { problems: Problem[] }).problems, c, '--at');
  });
});
