/**
 * Fault injection as the root cause, on the real control plane. Without Chaos Mesh's CRDs the
 * chaos kinds are not served: `analyze` says nothing of them (no data gap). With the PodChaos CRD
 * installed and an active pod-failure, kept in a namespace of its own, selecting the `db` pods,
 * which then crash-loop, the experiment is the first root cause and the pods' failures rank under it, apart from an unrelated
 * image pull failure: for the namespace, across all of them, and for the Deployment, as admin and
 * as the read-only user (whose ClusterRole, the chart's, may read the chaos kinds).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import {
  createPodFailure,
  installPodChaosCrd,
  removePodChaosCrd,
  sceneChaosWorkloads,
} from './scenes/chaos-pod-failure.ts';
import type { AnalysisDocument } from '../../src/cli/render/analysis-document.ts';

/** What `analyze -o json` prints. */
type Analysis = AnalysisDocument;
type Problem = AnalysisDocument['problems'][number];

const ns = 'analyze-chaos';
/** Where the experiment is kept: not the namespace it faults, so `-n` must read experiments elsewhere. */
const lab = 'analyze-chaos-lab';
const cluster = connectCluster();
const users = [
  { user: 'admin', kubeconfig: cluster.kubeconfigAdmin },
  { user: 'read-only', kubeconfig: cluster.kubeconfigReadOnly },
];
const scopes = [['-n', ns], ['-A'], ['deploy/db', '-n', ns]];
const cases = users.flatMap((u) => scopes.map((args) => ({ ...u, args })));

async function analyze(
  args: readonly string[],
  kubeconfig: string,
): Promise<{ analysis: Analysis; stderr: string }> {
  const result = await runCli(['analyze', ...args, '-o', 'json', '--kubeconfig', kubeconfig]);
  expect(result.code, result.stderr).toBe(0);
  return { analysis: JSON.parse(result.stdout) as Analysis, stderr: result.stderr };
}

/** How a gap would name a chaos kind (`podchaos.chaos-mesh.org`, `chaosengines.litmuschaos.io`). */
const CHAOS_RESOURCES = /chaos-mesh\.org|litmuschaos\.io/;
const chaosGaps = (gaps: Analysis['gaps']): Analysis['gaps'] =>
  gaps.filter((gap) => CHAOS_RESOURCES.test(`${gap.resource} ${gap.message}`));

/** The problems rooted in the test's namespaces (across all namespaces, other tests' scenes rank too). */
const ours = (problems: readonly Problem[]): Problem[] =>
  problems.filter((p) => [ns, lab].includes(p.rootCause.resource.namespace ?? ''));

beforeAll(async () => {
  await removePodChaosCrd(cluster, ns);
  await sceneChaosWorkloads(cluster, ns);
}, 180_000);

afterAll(async () => {
  await removePodChaosCrd(cluster, ns);
}, 90_000);

describe('without Chaos Mesh installed', () => {
  test.for(cases)(
    '$user, $args: the chaos kinds are not served, and no gap says so',
    async ({ kubeconfig, args }) => {
      const { analysis, stderr } = await analyze(args, kubeconfig);
      expect(chaosGaps(analysis.gaps)).toEqual([]);
      expect(stderr).not.toMatch(CHAOS_RESOURCES);
      expect(analysis.findings.map((f) => f.ruleId)).not.toContain('chaos-experiment');
      // What does fail is found as before: web cannot pull its image.
      const causes = ours(analysis.problems).map((p) => `${p.rootCause.ruleId} ${p.rootCause.resource.name}`);
      if (!args.includes('deploy/db'))
        expect(
          causes.some((c) => c.startsWith('image-pull web-')),
          JSON.stringify(causes),
        ).toBe(true);
    },
  );
});

describe('with an active PodChaos whose pods crash-loop', () => {
  beforeAll(async () => {
    await installPodChaosCrd(cluster, ns);
    await createPodFailure(cluster, ns, lab);
  }, 120_000);

  test.for(cases)(
    '$user, $args: the experiment is the first root cause, the db pods under it',
    async ({ kubeconfig, args }) => {
      const { analysis } = await analyze(args, kubeconfig);
      const scoped = args.includes('-A') ? ours(analysis.problems) : analysis.problems;
      const [first, ...rest] = scoped;
      expect(first?.rootCause).toMatchObject({
        ruleId: 'chaos-experiment',
        severity: 'critical',
        resource: { kind: 'PodChaos', namespace: lab, name: 'db-pod-failure' },
        message:
          'Chaos Mesh is injecting PodChaos pod-failure (mode all) into pods it selects: 3 of 3 failing',
      });
      const evidence = first?.rootCause.evidence.map((e) => e.text) ?? [];
      expect(evidence).toContain('PodChaos pod-failure, mode all, duration 1h');
      expect(evidence).toContain('selects selector:app=db,namespace:analyze-chaos');
      expect(evidence.some((text) => text.startsWith('written by kubectl-client-side-apply'))).toBe(true);
      // Each pod as it is at the moment read: back-off, running briefly, or just exited.
      const failingPods = (first?.rootCause.evidence ?? []).filter(
        (e) =>
          e.resource?.kind === 'Pod' && e.resource.name.startsWith('db-') && e.text.startsWith('failing: '),
      );
      expect(failingPods, JSON.stringify(evidence)).toHaveLength(3);
      expect(first?.chain[0]).toEqual({ kind: 'Deployment', namespace: ns, name: 'db' });
      expect(first?.chain.at(-1)).toEqual({ kind: 'PodChaos', namespace: lab, name: 'db-pod-failure' });
      const symptoms = first?.symptoms.map((s) => `${s.ruleId} ${s.resource.kind}/${s.resource.name}`) ?? [];
      // Each pod's own finding as read at that moment (crash-loop while in back-off, none while it runs).
      expect(
        symptoms.some((s) => s.startsWith('crash-loop Pod/db-')),
        JSON.stringify(symptoms),
      ).toBe(true);
      expect(symptoms).toContain('workload-unavailable Deployment/db');
      // No db pod is a cause of its own; the unrelated image pull failure is, apart.
      const causes = rest.map((p) => `${p.rootCause.ruleId} ${p.rootCause.resource.name}`);
      expect(causes.some((c) => c.includes(' db-'))).toBe(false);
      if (!args.includes('deploy/db')) expect(causes.some((c) => c.startsWith('image-pull web-'))).toBe(true);
      expect(chaosGaps(analysis.gaps)).toEqual([]);
    },
  );

  test('deps shows the experiment upstream of the db pods', async () => {
    const pods = await runCli(
      ['deps', 'deploy/db', '-n', ns, '--depth', '3', '--kubeconfig', cluster.kubeconfigReadOnly],
      { env: { NO_COLOR: '1' } },
    );
    expect(pods.code, pods.stderr).toBe(0);
    expect(pods.stdout).toMatch(
      /disrupted-by → PodChaos\/db-pod-failure -n analyze-chaos-lab {2}degraded \(injecting PodChaos pod-failure \(3 targets\)\)/,
    );
    expect(pods.stdout + pods.stderr).not.toMatch(CHAOS_RESOURCES);
  });
});
