/**
 * `kubectl smart analyze` on the real control plane: each scene is set the way kubelet, scheduler
 * and controllers show it, then the CLI (admin kubeconfig) must put the right root cause first.
 * Covers the scenes the analyzers of this build explain; the rest come with their analyzers.
 */
import { describe, expect, test } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import type { AnalysisDocument } from '../../src/cli/render/analysis-document.ts';
import { connectCluster } from './harness.ts';
import { sceneConfigFileTypo } from './scenes/config-file-typo.ts';
import {
  scene02,
  scene03,
  scene04,
  scene05,
  scene06,
  scene07,
  scene08,
  scene09,
  scene10,
  scene11,
  scene12,
  scene13,
  scene14,
  scene15,
  scene18,
  type SceneBuilder,
} from './scenes/index.ts';

interface Expected {
  readonly ruleId: string;
  readonly resource: { readonly kind: string; readonly name: string };
  /**
   * The object to change, `Kind/name`, at the level of the fix: the Deployment whose template
   * carries the fault rather than its pod, the claim whose StorageClass does not exist.
   */
  readonly object: string;
  /** Substrings of the root cause's message. */
  readonly says: readonly string[];
  /** A substring of one of the root cause's evidence lines. */
  readonly evidence: string;
  /** A substring of the fix: its summary or one of its commands. */
  readonly fix: string;
}

const CASES: readonly { readonly id: string; readonly build: SceneBuilder; readonly expected: Expected }[] = [
  {
    id: 'S2',
    build: scene02,
    expected: {
      ruleId: 'out-of-memory',
      resource: { kind: 'Pod', name: 'worker-' },
      object: 'Deployment/worker',
      says: ['killed for using more memory than its limit (64Mi)'],
      evidence: 'OOMKilled, exit code 137',
      fix: '--limits=memory=96Mi',
    },
  },
  {
    id: 'S3',
    build: scene03,
    expected: {
      ruleId: 'image-pull',
      resource: { kind: 'Pod', name: 'api-' },
      object: 'Deployment/api',
      says: ['cannot be pulled from registry.example.com: not found'],
      evidence: 'code = NotFound',
      fix: 'rollout undo deployment/api',
    },
  },
  {
    id: 'S4',
    build: scene04,
    expected: {
      ruleId: 'missing-dependency',
      resource: { kind: 'Secret', name: 'regcred' },
      object: 'Secret/regcred',
      says: ['Secret regcred does not exist'],
      evidence: 'pulls-with imagePullSecrets → Secret/regcred (not found)',
      fix: 'create secret docker-registry regcred --docker-server=registry.example.com',
    },
  },
  {
    id: 'S5',
    build: scene05,
    expected: {
      ruleId: 'image-pull',
      resource: { kind: 'Pod', name: 'web-' },
      object: 'Deployment/web',
      says: ['rate-limited'],
      evidence: '429 Too Many Requests',
      fix: 'create secret docker-registry regcred --docker-server=docker.io',
    },
  },
  {
    id: 'S6',
    build: scene06,
    expected: {
      ruleId: 'container-config-error',
      resource: { kind: 'ConfigMap', name: 'api-config' },
      object: 'ConfigMap/api-config',
      says: ['has no key CACHE_SIZE'],
      evidence: "couldn't find key CACHE_SIZE in ConfigMap",
      fix: 'patch configmap api-config --type=merge',
    },
  },
  {
    id: 'S7',
    build: scene07,
    expected: {
      ruleId: 'pending-unschedulable',
      resource: { kind: 'Pod', name: 'batch-' },
      object: 'Deployment/batch',
      says: ['insufficient cpu'],
      evidence: 'requests cpu 12 cores; the best node',
      fix: "lower the pod's cpu request",
    },
  },
  {
    id: 'S8',
    build: scene08,
    expected: {
      ruleId: 'pending-unschedulable',
      resource: { kind: 'Pod', name: 'trainer-' },
      object: 'Deployment/trainer',
      says: ['taint dedicated=gpu:NoSchedule not tolerated'],
      evidence: 'taint dedicated=gpu:NoSchedule on',
      fix: 'add a toleration to the pod',
    },
  },
  {
    id: 'S9',
    build: scene09,
    expected: {
      ruleId: 'missing-dependency',
      resource: { kind: 'StorageClass', name: 'fast-ssd' },
      object: 'PersistentVolumeClaim/db-data',
      says: ['StorageClass fast-ssd does not exist'],
      evidence: 'uses-storage-class → StorageClass/fast-ssd (not found)',
      fix: 'kubectl get storageclass',
    },
  },
  {
    id: 'S10',
    build: scene10,
    expected: {
      ruleId: 'probe-failure',
      resource: { kind: 'Pod', name: 'web-' },
      object: 'Deployment/web',
      says: ['readiness probe fails'],
      evidence: 'Readiness probe failed: HTTP probe failed with statuscode: 404',
      fix: 'readinessProbe/httpGet/path',
    },
  },
  {
    id: 'S11',
    build: scene11,
    expected: {
      ruleId: 'service-endpoints',
      resource: { kind: 'Service', name: 'web' },
      object: 'Service/web',
      says: ['selects app=web', 'pods are labelled app=webapp'],
      evidence: 'closest: 2 pod(s) labelled app=webapp',
      fix: 'make the selector match the pods (app=webapp)',
    },
  },
  {
    id: 'S12',
    build: scene12,
    expected: {
      ruleId: 'node-not-ready',
      resource: { kind: 'Node', name: 'analyze-s12-node' },
      object: 'Node/analyze-s12-node',
      says: ['is not ready (Ready=Unknown, NodeStatusUnknown)'],
      evidence: 'Kubelet stopped posting node status.',
      fix: 'kubectl drain analyze-s12-node',
    },
  },
  {
    id: 'S13',
    build: scene13,
    expected: {
      ruleId: 'pdb-no-disruptions',
      resource: { kind: 'PodDisruptionBudget', name: 'api-pdb' },
      object: 'PodDisruptionBudget/api-pdb',
      says: ['allows no disruptions even with all 3 pods healthy (minAvailable 3)'],
      evidence: 'disruptionsAllowed = 3 − 3 = 0',
      fix: '"maxUnavailable":1',
    },
  },
  {
    id: 'S14',
    build: scene14,
    expected: {
      ruleId: 'hpa-at-max',
      resource: { kind: 'HorizontalPodAutoscaler', name: 'api' },
      object: 'HorizontalPodAutoscaler/api',
      says: ['at its ceiling of 5 replicas', 'cpu utilization 142% (target 70%)'],
      evidence: 'ScalingLimited=True TooManyReplicas',
      fix: '"maxReplicas":11',
    },
  },
  {
    id: 'S15',
    build: scene15,
    expected: {
      ruleId: 'tls-expiring',
      resource: { kind: 'Secret', name: 'shop-tls' },
      object: 'Secret/shop-tls',
      says: ['expires in 2 days', 'Ingress shop serves it'],
      evidence: 'CN=shop.example.com',
      fix: 'create secret tls shop-tls',
    },
  },
  {
    id: 'S18',
    build: scene18,
    expected: {
      ruleId: 'container-config-error',
      resource: { kind: 'ConfigMap', name: 'api-config' },
      object: 'ConfigMap/api-config',
      says: ['has no key CACHE_SIZE'],
      evidence: "couldn't find key CACHE_SIZE in ConfigMap",
      fix: 'patch configmap api-config --type=merge',
    },
  },
  {
    id: 'config-file-typo',
    build: sceneConfigFileTypo,
    expected: {
      ruleId: 'crash-loop',
      resource: { kind: 'Pod', name: 'proxy-' },
      // nginx names the file it stopped at; the ConfigMap mounted there is what to change.
      object: 'ConfigMap/proxy-conf',
      says: ['container nginx keeps crashing'],
      evidence: 'unknown directive "servr_name" in /etc/nginx/conf.d/default.conf:3',
      fix: 'logs proxy-',
    },
  },
];

const CLUSTER_SCOPED = new Set(['StorageClass', 'Node']);

describe.concurrent('analyze on the real control plane', () => {
  test.for(CASES)(
    '$id: the root cause comes first',
    { timeout: 120_000 },
    async ({ id, build, expected }) => {
      const cluster = connectCluster();
      const ns = `analyze-${id.toLowerCase()}`;
      const scene = await build(cluster, ns);
      const target = `${scene.target.kind.toLowerCase()}/${scene.target.name}`;
      const result = await runCli(
        ['analyze', target, '-n', ns, '-o', 'json', '--kubeconfig', cluster.kubeconfigAdmin],
        { env: { NO_COLOR: '1' } },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const [first] = (JSON.parse(result.stdout) as AnalysisDocument).problems;
      expect(first?.rootCause.ruleId).toBe(expected.ruleId);
      expect(first?.rootCause.resource.kind).toBe(expected.resource.kind);
      // A StorageClass is cluster-scoped; everything else here lives in the scene's namespace.
      expect(first?.rootCause.resource.namespace).toBe(
        CLUSTER_SCOPED.has(expected.resource.kind) ? undefined : ns,
      );
      expect(first?.rootCause.resource.name.startsWith(expected.resource.name)).toBe(true);
      const [objectKind = ''] = expected.object.split('/');
      expect(first?.object).toBe(
        CLUSTER_SCOPED.has(objectKind) ? expected.object : `${ns}/${expected.object}`,
      );
      // The pods stay in the chain: it still ends at the object the cause was found on.
      for (const words of expected.says) expect(first?.rootCause.message).toContain(words);
      expect(first?.chain.at(-1)).toMatchObject({ kind: expected.resource.kind });
      expect(first?.rootCause.evidence.map((e) => e.text).join('\n')).toContain(expected.evidence);
      const fix = [first?.rootCause.fix?.summary ?? '', ...(first?.rootCause.fix?.commands ?? [])];
      expect(fix.join('\n')).toContain(expected.fix);
      // The text a person reads says the same: the root cause under its heading, and the fix.
      const text = await runCli(['analyze', target, '-n', ns, '--kubeconfig', cluster.kubeconfigAdmin], {
        env: { NO_COLOR: '1' },
      });
      expect(text.code).toBe(0);
      const rootSection = text.stdout.slice(
        text.stdout.indexOf('ROOT CAUSE'),
        text.stdout.indexOf('EVIDENCE'),
      );
      // Headed by the object to change.
      expect(rootSection).toContain(`1. [${first?.rootCause.severity ?? ''}] ${expected.object}:`);
      for (const words of expected.says) expect(rootSection).toContain(words);
      expect(text.stdout.slice(text.stdout.indexOf('SUGGESTED ACTIONS'))).toContain(expected.fix);
    },
  );
});
