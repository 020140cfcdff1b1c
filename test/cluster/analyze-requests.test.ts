/**
 * `analyze` as the read-only user on the real API server, counted by the API server's own audit
 * log: one list per kind, logs of failing containers only, and what it may not read as data gaps.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import { scene01 } from './scenes/index.ts';
import { createAll, deployment, waitPods } from './scenes/util.ts';

interface AuditEvent {
  stage: string;
  verb: string;
  user: { username: string };
  requestURI: string;
  requestReceivedTimestamp: string;
  objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string };
}

describe('analyze with the read-only kubeconfig', () => {
  it('reads each kind once, fetches logs of failing containers only, and reports Secrets as a gap', async () => {
    const cluster = connectCluster();
    const ns = 'analyze-requests';
    await scene01(cluster, ns);
    // A healthy Deployment beside the crashing one: its logs must never be read.
    await createAll(cluster.admin, [
      deployment(ns, 'web', {
        replicas: 2,
        containers: [{ name: 'web', image: 'registry.example.com/web:1.0' }],
      }),
    ]);
    const healthyPods = await waitPods(
      cluster.admin,
      ns,
      'app=web',
      (ps) => ps.length === 2 && ps.every((p) => p.status?.phase === 'Running'),
      'web Running',
    );
    const healthy = new Set(healthyPods.map((p) => p.metadata.name));
    const started = new Date().toISOString();

    const result = await runCli(
      ['analyze', '-n', ns, '-o', 'json', '--kubeconfig', cluster.kubeconfigReadOnly],
      { env: { NO_COLOR: '1' } },
    );
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      gaps: { resource: string; reason: string }[];
      problems: { rootCause: { ruleId: string; message: string; evidence: { text: string }[] } }[];
    };
    expect(document.gaps).toContainEqual(
      expect.objectContaining({ resource: 'secrets', reason: 'forbidden' }),
    );
    // The crash loop is found, with the log line that says why: logs were read as the read-only user.
    const crashes = document.problems.filter((p) => p.rootCause.ruleId === 'crash-loop');
    expect(crashes.length).toBeGreaterThan(0);
    expect(crashes.some((p) => p.rootCause.evidence.some((e) => e.text.includes('invalid CACHE_SIZE')))).toBe(
      true,
    );

    await new Promise((resolve) => setTimeout(resolve, 1500)); // the audit log is written asynchronously
    const requests = readFileSync(cluster.auditLogPath, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"smart-readonly"'))
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter(
        (e) =>
          e.stage === 'ResponseComplete' &&
          e.user.username === 'smart-readonly' &&
          e.requestReceivedTimestamp >= started,
      );
    const lists = requests
      .filter((e) => e.verb === 'list')
      .map((e) => `${e.objectRef?.resource ?? ''}@${e.objectRef?.namespace ?? '*'}`);
    expect(lists.length).toBeGreaterThan(20);
    expect(new Set(lists).size).toBe(lists.length);
    const gets = requests.filter((e) => e.verb === 'get');
    expect(gets.every((e) => e.objectRef?.resource === 'pods' && e.objectRef.subresource === 'log')).toBe(
      true,
    );
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.filter((e) => healthy.has(e.objectRef?.name ?? ''))).toEqual([]);
  });
});
