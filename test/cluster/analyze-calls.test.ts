/**
 * Root cause across workloads on the real control plane: what a pod dials is a dependency. A
 * crash-looping database ranks above its louder crash-looping callers (same namespace, and another
 * one that `analyze -n` must follow; an unrelated noisy failure beside it), and callers that stay
 * Running and Ready while their logs fail get the failure only they see. For `-n`, `-A` and TYPE/NAME, as admin and as the read-only user.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import { sceneCallersFailing, sceneDatabaseDown, type CallerFailure } from './scenes/calls.ts';
import type { AnalysisDocument } from '../../src/cli/render/analysis-document.ts';

/** What `analyze -o json` prints. */
type Problem = AnalysisDocument['problems'][number];
type Finding = AnalysisDocument['findings'][number];
type Ref = Finding['resource'];

const cluster = connectCluster();
const users = [
  { user: 'admin', kubeconfig: cluster.kubeconfigAdmin },
  { user: 'read-only', kubeconfig: cluster.kubeconfigReadOnly },
] as const;

async function problems(args: readonly string[], kubeconfig: string): Promise<Problem[]> {
  const result = await runCli(['analyze', ...args, '-o', 'json', '--kubeconfig', kubeconfig]);
  expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  expect([0, 1]).toContain(result.code);
  return (JSON.parse(result.stdout) as { problems: Problem[] }).problems;
}

/** The problem that holds `name`'s pods (as root, sibling or symptom): where a workload's failure is explained. */
function problemOf(all: readonly Problem[], namespace: string, name: string): Problem | undefined {
  const mine = (ref: Ref): boolean => ref.namespace === namespace && ref.name.startsWith(`${name}-`);
  return all.find(
    (p) => mine(p.rootCause.resource) || p.alsoOn.some(mine) || p.symptoms.some((f) => mine(f.resource)),
  );
}

describe.each([
  {
    where: 'the same namespace',
    ns: 'calls-db-down',
    dbNs: 'calls-db-down',
    how: 'CrashLoopBackOff',
    rule: 'crash-loop',
  },
  {
    where: 'another namespace',
    ns: 'calls-api',
    dbNs: 'calls-data',
    how: 'CrashLoopBackOff',
    rule: 'crash-loop',
  },
  {
    where: 'the same namespace, OOM-killed',
    ns: 'calls-db-oom',
    dbNs: 'calls-db-oom',
    how: 'OOMKilled',
    rule: 'out-of-memory',
  },
] as const)(
  'a database down in $where, its three callers crash-looping louder',
  ({ ns, dbNs, how, rule }) => {
    beforeAll(async () => {
      await sceneDatabaseDown(cluster, ns, dbNs, how);
    }, 180_000);

    test.for(
      users.flatMap(({ user, kubeconfig }) =>
        [['-n', ns], ['-A'], ['deploy/api', '-n', ns]].map((args) => ({ user, kubeconfig, args })),
      ),
    )(
      '$user, $args: the database is the root cause, the callers hang under it',
      async ({ kubeconfig, args }) => {
        const all = await problems(args, kubeconfig);
        const problem = problemOf(all, ns, 'api');
        expect(problem?.rootCause.ruleId).toBe(rule);
        expect(problem?.rootCause.resource).toMatchObject({ kind: 'Pod', namespace: dbNs });
        expect(problem?.rootCause.resource.name).toMatch(/^db-/);
        // The callers' own crash loops, linked by what their logs say: the link's evidence.
        const callers =
          problem?.symptoms.filter(
            (f) => f.resource.namespace === ns && f.resource.name.startsWith('api-'),
          ) ?? [];
        expect(callers.map((f) => f.ruleId)).toContain('crash-loop');
        const link = callers.find((f) => f.ruleId === 'dependency-unreachable');
        expect(link?.message).toContain(
          dbNs === ns ? 'cannot reach Service/db' : `cannot reach Service/${dbNs}/db`,
        );
        expect(link?.evidence.map((e) => e.text).join('\n')).toContain('connection refused');
        expect(problem?.chain.map((r) => `${r.kind}/${r.name}`)).toContain('Service/db');
        if (!args.includes('-A'))
          expect(all[0], JSON.stringify(all.map((p) => [p.rootCause.ruleId, p.rootCause.message]))).toBe(
            problem,
          );
      },
    );
  },
);

const CALLER_CASES: readonly { failure: CallerFailure; ruleId: string; resource: string; says: string }[] = [
  {
    failure: 'service-deleted',
    ruleId: 'missing-dependency',
    resource: 'Service/search',
    says: 'Service search does not exist',
  },
  {
    failure: 'scaled-to-zero',
    ruleId: 'service-endpoints',
    resource: 'Service/cache',
    says: 'Deployment cache is scaled to 0 replicas',
  },
  {
    failure: 'port-unserved',
    ruleId: 'call-port-unserved',
    resource: 'Pod/web-',
    says: 'on port 6380, which the Service does not serve',
  },
  {
    failure: 'dns-policy-default',
    ruleId: 'dns-policy-cluster-names',
    resource: 'Pod/web-',
    says: "dnsPolicy Default resolves names with the node's resolver",
  },
  {
    failure: 'policy-deny-all',
    ruleId: 'network-policy-blocks-callers',
    resource: 'NetworkPolicy/deny-all',
    says: 'drops the traffic of 2 caller(s) of Service/postgres: it allows no ingress',
  },
  {
    failure: 'credentials-rejected',
    ruleId: 'dependency-rejects-credentials',
    resource: 'Pod/web-',
    says: 'rejects the credentials container web presents (from Secret db-credentials)',
  },
];

describe.each(CALLER_CASES)(
  'callers Running and Ready, logs failing: $failure',
  ({ failure, ruleId, resource, says }) => {
    const ns = `calls-${failure}`;
    beforeAll(async () => {
      await sceneCallersFailing(cluster, ns, failure);
    }, 120_000);

    test.for(
      users.flatMap(({ user, kubeconfig }) =>
        [['-n', ns], ['-A'], ['deploy/web', '-n', ns]].map((args) => ({ user, kubeconfig, args })),
      ),
    )('$user, $args: the failure only callers see is found, and first', async ({ kubeconfig, args }) => {
      const all = await problems(args, kubeconfig);
      const problem = all.find((p) => p.rootCause.resource.namespace === ns && p.rootCause.ruleId === ruleId);
      expect(problem, JSON.stringify(all.map((p) => p.rootCause.message))).toBeDefined();
      expect(`${problem?.rootCause.resource.kind ?? ''}/${problem?.rootCause.resource.name ?? ''}`).toContain(
        resource,
      );
      expect(problem?.rootCause.message).toContain(says);
      if (!args.includes('-A'))
        expect(all[0], JSON.stringify(all.map((p) => [p.rootCause.ruleId, p.rootCause.message]))).toBe(
          problem,
        );
    });
  },
);
