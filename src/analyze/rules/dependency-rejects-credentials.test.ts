import { describe, expect, it } from 'vitest';
import { callerLog, callerPod, clusterService, readyPod } from '../../../test/support/callers.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { analyze } from '../analyze.js';
import { dependencyRejectsCredentials } from './dependency-rejects-credentials.js';

const at = new Date('2026-11-20T03:12:00Z');
const postgres = clusterService('postgres', 'app', [{ port: 5432 }]);
const api = callerPod({
  env: [
    { name: 'DB_HOST', value: 'postgres' },
    { name: 'DB_USER', value: 'app' },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
  ],
});
// lib/pq's wording (test/fixtures/connection-errors: lib/pq#244): it names no host.
const rejected = callerLog([
  'level=error msg="query failed" err="pq: password authentication failed for user \\"app\\""',
  'level=error msg="query failed" err="pq: password authentication failed for user \\"app\\""',
]);

describe('dependency-rejects-credentials', () => {
  it('names the dependency that rejects the credentials, and the Secret they come from', () => {
    const [finding, ...others] = dependencyRejectsCredentials.detect(
      api,
      contextOf([api, postgres], at, [rejected]),
    );
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'critical',
      message: 'Service/postgres rejects the credentials container api presents (from Secret db-credentials)',
      fix: { commands: ['kubectl -n app describe secret db-credentials'] },
    });
    expect(finding?.evidence.map((e) => e.text)).toEqual([
      expect.stringMatching(/^container api, current log, auth 2 times: .*password authentication failed/),
      'env DB_PASSWORD ← Secret/db-credentials key password',
    ]);
  });

  it('is a root cause of its own: the dependency answers, what it is given is wrong', () => {
    const context = contextOf([api, postgres, readyPod('postgres-0', 'app', 'postgres')], at, [rejected]);
    expect(analyze(context.snapshot, context.graph).problems[0]?.rootCause.ruleId).toBe(
      'dependency-rejects-credentials',
    );
  });

  it('says nothing of refused connections, or when the logs hold no rejection', () => {
    const refused = callerLog(['dial tcp 10.96.0.9:5432: connect: connection refused']);
    expect(
      dependencyRejectsCredentials.detect(api as never, contextOf([api, postgres], at, [refused])),
    ).toEqual([]);
    expect(dependencyRejectsCredentials.detect(api as never, contextOf([api, postgres], at))).toEqual([]);
  });
});
