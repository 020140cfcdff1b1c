/**
 * `kubectl smart analyze` on the real control plane: each scene is set the way kubelet, scheduler
 * and controllers show it, then the CLI (admin kubeconfig) must put the right root cause first.
 * Covers the scenes the analyzers of this build explain; the rest come with their analyzers.
 */
import { describe, expect, test } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import { scene02, scene03, scene04, scene05, scene06, scene07, scene08, scene09, scene11, scene15, scene18, type SceneBuilder } from './scenes/index.ts';

interface Expected {
  readonly ruleId: string;
  readonly resource: { readonly kind: string; readonly name: string };
  /** Substrings of the root cause's message. */
  readonly says: readonly string[];
}

const CASES: readonly { readonly id: string; readonly build: SceneBuilder; readonly expected: Expected }[] = [
  { id: 'S2', build: scene02, expected: { ruleId: 'out-of-memory', resource: { kind: 'Pod', name: 'worker-' }, says: ['killed for using more memory than its limit (64Mi)'] } },
  { id: 'S3', build: scene03, expected: { ruleId: 'image-pull', resource: { kind: 'Pod', name: 'api-' }, says: ['cannot be pulled from registry.example.com: not found'] } },
  { id: 'S4', build: scene04, expected: { ruleId: 'missing-dependency', resource: { kind: 'Secret', name: 'regcred' }, says: ['Secret regcred does not exist'] } },
  { id: 'S5', build: scene05, expected: { ruleId: 'image-pull', resource: { kind: 'Pod', name: 'web-' }, says: ['rate-limited'] } },
  { id: 'S6', build: scene06, expected: { ruleId: 'container-config-error', resource: { kind: 'ConfigMap', name: 'api-config' }, says: ['has no key CACHE_SIZE'] } },
  { id: 'S7', build: scene07, expected: { ruleId: 'pending-unschedulable', resource: { kind: 'Pod', name: 'batch-' }, says: ['insufficient cpu'] } },
  { id: 'S8', build: scene08, expected: { ruleId: 'pending-unschedulable', resource: { kind: 'Pod', name: 'trainer-' }, says: ['taint dedicated=gpu:NoSchedule not tolerated'] } },
  { id: 'S9', build: scene09, expected: { ruleId: 'missing-dependency', resource: { kind: 'StorageClass', name: 'fast-ssd' }, says: ['StorageClass fast-ssd does not exist'] } },
  { id: 'S11', build: scene11, expected: { ruleId: 'service-endpoints', resource: { kind: 'Service', name: 'web' }, says: ['selects app=web', 'pods are labelled app=webapp'] } },
  { id: 'S15', build: scene15, expected: { ruleId: 'tls-expiring', resource: { kind: 'Secret', name: 'shop-tls' }, says: ['expires in 2 days', 'Ingress shop serves it'] } },
  { id: 'S18', build: scene18, expected: { ruleId: 'container-config-error', resource: { kind: 'ConfigMap', name: 'api-config' }, says: ['has no key CACHE_SIZE'] } },
];

interface AnalysisJson {
  problems: { rootCause: { ruleId: string; resource: { kind: string; namespace?: string; name: string }; message: string }; chain: { kind: string; name: string }[] }[];
}

describe.concurrent('analyze on the real control plane', () => {
  test.for(CASES)('$id: the root cause comes first', { timeout: 120_000 }, async ({ id, build, expected }) => {
    const cluster = connectCluster();
    const ns = `analyze-${id.toLowerCase()}`;
    const scene = await build(cluster, ns);
    const target = `${scene.target.kind.toLowerCase()}/${scene.target.name}`;
    const result = await runCli(['analyze', target, '-n', ns, '-o', 'json', '--kubeconfig', cluster.kubeconfigAdmin], { env: { NO_COLOR: '1' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [first] = (JSON.parse(result.stdout) as AnalysisJson).problems;
    expect(first?.rootCause.ruleId).toBe(expected.ruleId);
    expect(first?.rootCause.resource.kind).toBe(expected.resource.kind);
    // A StorageClass is cluster-scoped; everything else here lives in the scene's namespace.
    expect(first?.rootCause.resource.namespace).toBe(expected.resource.kind === 'StorageClass' ? undefined : ns);
    expect(first?.rootCause.resource.name.startsWith(expected.resource.name)).toBe(true);
    for (const words of expected.says) expect(first?.rootCause.message).toContain(words);
    // The chain ends at the root cause's object.
    expect(first?.chain.at(-1)).toMatchObject({ kind: expected.resource.kind });
  });
});
