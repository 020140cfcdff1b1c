/**
 * A namespace at its pod quota on the real control plane: `analyze` reads ResourceQuotas because
 * its rules say they need them (they were once left out of what analyze read, and the quota rule
 * never fired). As admin and as the read-only user, for the namespace and for the workload.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import { sceneQuotaExhausted } from './scenes/quota-exhausted.ts';
import type { AnalysisDocument } from '../../src/cli/render/analysis-document.ts';

const ns = 'analyze-quota';

beforeAll(async () => {
  await sceneQuotaExhausted(connectCluster(), ns);
}, 120_000);

describe('analyze a namespace at its quota', () => {
  const cluster = connectCluster();
  test.for([
    { user: 'admin', kubeconfig: cluster.kubeconfigAdmin, args: ['-n', ns] },
    { user: 'read-only', kubeconfig: cluster.kubeconfigReadOnly, args: ['-n', ns] },
    { user: 'admin', kubeconfig: cluster.kubeconfigAdmin, args: ['deploy/worker', '-n', ns] },
  ])(
    '$user, $args: the quota is used up, the root of the refused ReplicaSet that cites it',
    async ({ kubeconfig, args }) => {
      const result = await runCli(['analyze', ...args, '-o', 'json', '--kubeconfig', kubeconfig]);
      expect(result.code).toBe(0);
      const { findings, problems } = JSON.parse(result.stdout) as AnalysisDocument;
      const quota = findings.find((f) => f.ruleId === 'quota-near-limit');
      expect(quota).toMatchObject({
        severity: 'critical',
        resource: { kind: 'ResourceQuota', namespace: ns, name: 'pods' },
      });
      expect(quota?.message).toContain('pods 2 of 2');
      const refused = findings.find((f) => f.ruleId === 'replicaset-failed-create');
      expect(refused?.resource.kind).toBe('ReplicaSet');
      expect(refused?.message).toContain('ResourceQuota pods is used up');
      expect(refused?.evidence.map((e) => e.text)).toContain('pods used 2 of hard 2');
      // One problem, at the level of the fix: the quota, with the refused ReplicaSet under it.
      const [first] = problems;
      expect(first?.object).toBe(`${ns}/ResourceQuota/pods`);
      expect(first?.rootCause.ruleId).toBe('quota-near-limit');
      expect(first?.symptoms.map((f) => f.ruleId)).toContain('replicaset-failed-create');
      expect(problems.filter((p) => p.object === `${ns}/ResourceQuota/pods`)).toHaveLength(1);
    },
  );
});
