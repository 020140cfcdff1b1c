import { describe, expect, it } from 'vitest';
import type { Problem } from '../analyze/problem.js';
import type { Finding } from '../core/finding.js';
import { objectId, type ResourceRef } from '../core/resource-ref.js';
import { withinNamespace } from './namespace-scope.js';

const finding = (resource: ResourceRef, evidenceOn?: ResourceRef): Finding => ({
  ruleId: 'r',
  severity: 'critical',
  resource,
  message: `${resource.kind} ${resource.name}`,
  evidence: evidenceOn === undefined ? [] : [{ source: 'graph', resource: evidenceOn, text: 'x' }],
});
const problem = (rootCause: Finding, symptoms: Finding[] = []): Problem => ({
  rootCause,
  chain: [rootCause.resource],
  symptoms,
  contributing: [],
  alsoOn: [],
  score: { severity: 3, affected: symptoms.length, criticality: 1, total: 30 },
  object: objectId(rootCause.resource),
  topOwner: objectId(rootCause.resource),
});
const node = { kind: 'Node', name: 'worker-9' };
const web = { kind: 'Pod', namespace: 'shop', name: 'web-1' };
const db = { kind: 'Pod', namespace: 'data', name: 'db-0' };

describe('withinNamespace', () => {
  it('keeps what reaches the namespace, wherever it is rooted, and drops what does not', () => {
    const unrelatedNode = problem(finding(node));
    const nodeUnderWeb = problem(finding({ kind: 'Node', name: 'worker-2' }), [finding(web)]);
    const dbUnderCallers = problem(finding(db), [finding({ kind: 'Pod', namespace: 'shop', name: 'api-1' })]);
    const dbAlone = problem(finding({ kind: 'Pod', namespace: 'data', name: 'cache-0' }));
    const evidenced = problem(finding({ kind: 'Node', name: 'worker-3' }, web));
    const mine = problem(finding(web));
    const all = [unrelatedNode, nodeUnderWeb, dbUnderCallers, dbAlone, evidenced, mine];
    const findings = all.flatMap((p) => [p.rootCause, ...p.symptoms]);
    const scoped = withinNamespace(all, findings, 'shop');
    expect(scoped.problems).toEqual([nodeUnderWeb, dbUnderCallers, evidenced, mine]);
    expect(scoped.findings).not.toContain(unrelatedNode.rootCause);
    expect(scoped.findings).not.toContain(dbAlone.rootCause);
    expect(scoped.findings).toContain(dbUnderCallers.rootCause);
  });
});
