/**
 * `analyze` as the read-only user on the real API server, counted by the API server's own audit
 * log: one list per kind, logs of failing containers only, and what it may not read as data gaps.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { readAuditEvents } from './audit-log.ts';
import { connectCluster } from './harness.ts';
import { scene01 } from './scenes/index.ts';
import { createAll, deployment, waitFor, waitPods } from './scenes/util.ts';

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

    // The API server writes an event once its response is complete, so the last ones can trail
    // analyze's exit: read until its lists and its log reads are there.
    const readRequests = () =>
      readAuditEvents(cluster.auditLogPath, '"smart-readonly"').filter(
        (e) =>
          e.stage === 'ResponseComplete' &&
          e.user.username === 'smart-readonly' &&
          e.requestReceivedTimestamp >= started,
      );
    const requests = await waitFor(
      "analyze's requests in the audit log",
      () => {
        const seen = readRequests();
        const whole = seen.filter((e) => e.verb === 'list').length > 20 && seen.some((e) => e.verb === 'get');
        return Promise.resolve(whole ? seen : undefined);
      },
      15_000,
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
