/**
 * `analyze --from` over a namespace at its pod quota (test/fixtures/quota-exhausted): the quota
 * rule fires and the refused ReplicaSet cites the quota, because what analyze reads is derived
 * from its rules (ResourceQuota was once left out, and both stayed silent).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const from = fileURLToPath(new URL('../fixtures/quota-exhausted', import.meta.url));

interface Finding {
  ruleId: string;
  severity: string;
  resource: { kind: string; namespace?: string; name: string };
  message: string;
  evidence: { source: string; text: string }[];
}

describe('analyze --from a namespace at its quota', () => {
  it('reports the used-up quota and names it in the refused ReplicaSet’s evidence', async () => {
    const result = await runCli(['analyze', '-n', 'batch', '--from', from, '-o', 'json']);
    expect(result.code).toBe(0);
    const { findings } = JSON.parse(result.stdout) as { findings: Finding[] };
    expect(findings.find((f) => f.ruleId === 'quota-near-limit')).toMatchObject({
      severity: 'critical',
      resource: { kind: 'ResourceQuota', namespace: 'batch', name: 'pods' },
      message: 'ResourceQuota pods is used up: pods 4 of 4; new pods that need more of pods are refused',
      evidence: [
        { source: 'status', text: 'pods used 4 of hard 4 (100%)' },
        { source: 'spec', text: 'most pods: Deployment/web (4 pods)' },
      ],
    });
    const refused = findings.find((f) => f.ruleId === 'replicaset-failed-create');
    expect(refused?.resource).toEqual({ kind: 'ReplicaSet', namespace: 'batch', name: 'worker-5d8f7c9b6' });
    expect(refused?.evidence).toContainEqual({
      source: 'status',
      text: 'pods used 4 of hard 4',
      resource: { kind: 'ResourceQuota', namespace: 'batch', name: 'pods' },
    });
  });

  it('follows the refusal to the quota when asked about the workload, and deps shows the edge', async () => {
    const result = await runCli(['analyze', 'deploy/worker', '-n', 'batch', '--from', from, '-o', 'json']);
    expect(result.code).toBe(0);
    const { findings } = JSON.parse(result.stdout) as { findings: Finding[] };
    expect(findings.map((f) => f.ruleId)).toContain('quota-near-limit');
    const deps = await runCli(['deps', 'rs/worker-5d8f7c9b6', '-n', 'batch', '--from', from]);
    expect(deps.stdout).toBe(
      [
        'ReplicaSet/worker-5d8f7c9b6  failing (0/2 ready)',
        '└── limited-by → ResourceQuota/pods  degraded (used up: pods 4/4)',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 with --fail-on critical', async () => {
    const result = await runCli(['analyze', '-n', 'batch', '--from', from, '--fail-on', 'critical']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ResourceQuota/pods: ResourceQuota pods is used up');
  });
});
