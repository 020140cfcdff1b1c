import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { KINDS } from '../core/kinds.js';
import { formatRef } from '../core/resource-ref.js';
import { buildGraph } from '../graph/build-graph.js';
import { FilesSource } from '../kube/files/files-source.js';
import { analyze } from './analyze.js';
import { rankFindings } from './rank.js';
import { DependencyGraph } from '../graph/dependency-graph.js';
import { contextOf } from '../../test/support/analyzer-context.js';

const example = fileURLToPath(new URL('../../examples/shop-outage', import.meta.url));

async function exampleGraph(): Promise<{
  graph: ReturnType<typeof buildGraph>;
  snapshot: Awaited<ReturnType<FilesSource['load']>>['snapshot'];
}> {
  const { snapshot } = await new FilesSource({ paths: [example] }).load({ kinds: KINDS });
  return { snapshot, graph: buildGraph(snapshot) };
}

describe('rankFindings', () => {
  it('names one root cause per outage, with its chain from the Ingress down, and never chains the two', async () => {
    const { snapshot, graph } = await exampleGraph();
    const { problems } = analyze(snapshot, graph);
    expect(
      problems.map((p) => ({
        root: `${p.rootCause.ruleId} ${formatRef(p.rootCause.resource)}`,
        chain: p.chain.map((r) => formatRef(r)),
        symptoms: p.symptoms.map((f) => `${f.ruleId} ${formatRef(f.resource)}`),
        contributing: p.contributing.map((f) => `${f.ruleId} ${formatRef(f.resource)}`),
        score: p.score,
      })),
    ).toEqual([
      {
        root: 'container-config-error ConfigMap/api-config',
        chain: ['Ingress/shop', 'Service/api', 'Pod/api-6f7d9c8b5d-2xk9p', 'ConfigMap/api-config'],
        symptoms: ['workload-unavailable Deployment/api', 'service-endpoints Service/api'],
        // Both fail because the pods they watch cannot start: they sit on top of this root.
        contributing: [
          'hpa-at-max HorizontalPodAutoscaler/api',
          'pdb-no-disruptions PodDisruptionBudget/api',
        ],
        // Deployment, Service, three pods and the Ingress.
        score: { severity: 3, affected: 6, criticality: 1, total: 47 },
      },
      {
        root: 'missing-dependency Secret/regcred',
        chain: ['Ingress/shop', 'Service/payments', 'Pod/payments-7c9d8f6b4-q8j2x', 'Secret/regcred'],
        symptoms: [
          'image-pull Pod/payments-7c9d8f6b4-q8j2x',
          'workload-unavailable Deployment/payments',
          'service-endpoints Service/payments',
        ],
        contributing: [],
        score: { severity: 3, affected: 4, criticality: 1, total: 43 },
      },
    ]);
  });

  it('folds a cause that sits on top of a higher-ranked one into it as a contributing factor', async () => {
    const { graph } = await exampleGraph();
    const finding = (ruleId: string, kind: string, name: string, severity: Finding['severity']): Finding => ({
      ruleId,
      severity,
      resource: { kind, namespace: 'shop', name },
      message: `${ruleId} on ${name}`,
      evidence: [],
    });
    const configError = finding('container-config-error', 'ConfigMap', 'api-config', 'critical');
    const unavailable = finding('workload-unavailable', 'Deployment', 'api', 'critical');
    // The HPA depends on the Deployment, which depends on the ConfigMap: related, but not explained by it.
    const hpa = finding('hpa-metrics', 'HorizontalPodAutoscaler', 'api', 'warning');
    const problems = rankFindings([configError, unavailable, hpa], graph, new Set(['workload-unavailable']));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.rootCause).toBe(configError);
    expect(problems[0]?.symptoms).toEqual([unavailable]);
    expect(problems[0]?.contributing).toEqual([hpa]);
  });

  it('weights impact by the criticality label, and guesses nothing when it is absent', async () => {
    const { graph } = await exampleGraph();
    const missing: Finding = {
      ruleId: 'missing-dependency',
      severity: 'critical',
      resource: { kind: 'Secret', namespace: 'shop', name: 'regcred' },
      message: 'm',
      evidence: [],
    };
    expect(rankFindings([missing], graph, new Set())[0]?.score.criticality).toBe(1);
  });

  it('makes one problem of sibling pods failing the same way, naming every pod', async () => {
    const { graph } = await exampleGraph();
    const crash = (pod: string, message = 'container api keeps crashing'): Finding => ({
      ruleId: 'crash-loop',
      severity: 'critical',
      resource: { kind: 'Pod', namespace: 'shop', name: pod },
      message,
      evidence: [],
    });
    const unavailable: Finding = {
      ruleId: 'workload-unavailable',
      severity: 'critical',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'api' },
      message: 'Deployment api has 0 of 3 pods ready',
      evidence: [],
    };
    // Read at different restarts: the counts drift apart with the moment, the failure is one.
    const findings = [
      crash('api-6f7d9c8b5d-w4z8r', 'container api keeps crashing, 7 restarts'),
      crash('api-6f7d9c8b5d-2xk9p', 'container api keeps crashing, 6 restarts'),
      crash('api-6f7d9c8b5d-7fmnq', 'container api is killed for using more memory than its limit'),
      unavailable,
    ];
    const problems = rankFindings(findings, graph, new Set(['workload-unavailable']));
    expect(
      problems.map((p) => ({
        root: `${p.rootCause.resource.name}: ${p.rootCause.message}`,
        alsoOn: p.alsoOn.map((r) => r.name),
        symptoms: p.symptoms.map((f) => f.ruleId),
      })),
    ).toEqual([
      {
        root: 'api-6f7d9c8b5d-2xk9p: container api keeps crashing, 6 restarts',
        alsoOn: ['api-6f7d9c8b5d-w4z8r'],
        symptoms: ['workload-unavailable'],
      },
      // A different failure on a sibling stays its own problem.
      {
        root: 'api-6f7d9c8b5d-7fmnq: container api is killed for using more memory than its limit',
        alsoOn: [],
        symptoms: ['workload-unavailable'],
      },
    ]);
    // The merged problem counts the sibling as affected: it outranks the single pod's.
    expect(problems[0]!.score.affected).toBe(problems[1]!.score.affected + 1);
  });

  it('never lists a pod as also on itself: the same finding twice on it is one, with both evidences', async () => {
    const { graph } = await exampleGraph();
    const crash = (pod: string, text: string): Finding => ({
      ruleId: 'crash-loop',
      severity: 'critical',
      resource: { kind: 'Pod', namespace: 'shop', name: pod },
      message: 'container api keeps crashing',
      evidence: [{ source: 'status', text }],
    });
    const problems = rankFindings(
      [
        crash('api-6f7d9c8b5d-2xk9p', 'exit code 1'),
        crash('api-6f7d9c8b5d-2xk9p', 'previous log: panic'),
        crash('api-6f7d9c8b5d-w4z8r', 'exit code 1'),
        crash('api-6f7d9c8b5d-w4z8r', 'exit code 1'),
      ],
      graph,
      new Set(),
    );
    expect(
      problems.map((p) => ({
        root: p.rootCause.resource.name,
        evidence: p.rootCause.evidence.map((e) => e.text),
        alsoOn: p.alsoOn.map((r) => r.name),
        affected: p.score.affected,
      })),
    ).toEqual([
      {
        root: 'api-6f7d9c8b5d-2xk9p',
        evidence: ['exit code 1', 'previous log: panic'],
        alsoOn: ['api-6f7d9c8b5d-w4z8r'],
        affected: rankFindings([crash('api-6f7d9c8b5d-2xk9p', 'x')], graph, new Set())[0]!.score.affected + 1,
      },
    ]);
  });

  it('puts pods that wait on a node outside the graph under that node, as bad as they are', () => {
    const { graph } = contextOf([
      { kind: 'Node', metadata: { name: 'n1' } },
      { kind: 'Pod', metadata: { name: 'batch-0', namespace: 'jobs' } },
    ]);
    const cordoned: Finding = {
      ruleId: 'node-not-ready',
      severity: 'info',
      resource: { kind: 'Node', name: 'n1' },
      message: 'node n1 is cordoned',
      evidence: [],
    };
    const pending: Finding = {
      ruleId: 'pending-unschedulable',
      severity: 'critical',
      resource: { kind: 'Pod', namespace: 'jobs', name: 'batch-0' },
      message: 'pod cannot be scheduled: nodes are cordoned',
      evidence: [],
      waitsOn: [{ kind: 'Node', name: 'n1' }],
    };
    const problems = rankFindings([pending, cordoned], graph, new Set(['pending-unschedulable']));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.rootCause).toBe(cordoned);
    expect(problems[0]?.symptoms).toEqual([pending]);
    expect(problems[0]?.score.severity).toBe(3);
    // Without the link nothing chains them: two problems.
    const unlinked: Finding = { ...pending, waitsOn: [] };
    expect(rankFindings([unlinked, cordoned], graph, new Set(['pending-unschedulable']))).toHaveLength(2);
  });

  it("puts what a recorded change names under it where the graph has no path: a Deployment's template and its pods", async () => {
    const { graph } = await exampleGraph();
    const finding = (ruleId: string, kind: string, name: string, extra: Partial<Finding> = {}): Finding => ({
      ruleId,
      severity: 'critical',
      resource: { kind, namespace: 'shop', name },
      message: `${ruleId} on ${name}`,
      evidence: [],
      ...extra,
    });
    const pod = finding('crash-loop', 'Pod', 'api-6f7d9c8b5d-2xk9p');
    const unavailable = finding('workload-unavailable', 'Deployment', 'api');
    const unrelated = finding('crash-loop', 'Pod', 'payments-7c9d8f6b4-q8j2x');
    const change = finding('change-suspect', 'Deployment', 'api', {
      explains: [
        { kind: 'Deployment', namespace: 'shop', name: 'api' },
        { kind: 'Pod', namespace: 'shop', name: 'api-6f7d9c8b5d-2xk9p' },
      ],
    });
    const problems = rankFindings(
      [pod, unavailable, unrelated, change],
      graph,
      new Set(['workload-unavailable']),
      new Set(['change-suspect']),
    );
    expect(
      problems.map((p) => [
        `${p.rootCause.ruleId} ${p.rootCause.resource.name}`,
        p.symptoms.map((f) => `${f.ruleId} ${f.resource.name}`),
        p.chain.map((r) => formatRef(r)),
      ]),
    ).toEqual([
      [
        'change-suspect api',
        ['crash-loop api-6f7d9c8b5d-2xk9p', 'workload-unavailable api'],
        // The most visible object is the changed Deployment itself.
        ['Deployment/api'],
      ],
      // From where people meet it: the Ingress and the Service in front of the pod, whether or not
      // their status shows the pod failing yet.
      [
        'crash-loop payments-7c9d8f6b4-q8j2x',
        [],
        ['Ingress/shop', 'Service/payments', 'Pod/payments-7c9d8f6b4-q8j2x'],
      ],
    ]);
    // Named by a finding that is no recorded change, nothing moves.
    const claim = { ...change, ruleId: 'hpa-at-max' };
    // (The pod stays a root cause; the claim, on the Deployment above it, is a factor beside it.)
    const unmoved = rankFindings([pod, claim], graph, new Set(), new Set(['change-suspect']));
    expect(unmoved.map((p) => [p.rootCause.ruleId, p.symptoms, p.contributing.map((f) => f.ruleId)])).toEqual(
      [['crash-loop', [], ['hpa-at-max']]],
    );
  });
});

describe('rankFindings through calls a caller was seen failing', () => {
  const crash = (kind: string, name: string, message: string): Finding => ({
    ruleId: 'crash-loop',
    severity: 'critical',
    resource: { kind, namespace: 'app', name },
    message,
    evidence: [],
  });
  function cascade(observed: boolean, dbCriticality?: string): ReturnType<typeof rankFindings> {
    const graph = new DependencyGraph();
    const key = (kind: string, name: string): string => `${kind}/app/${name}`;
    for (const [kind, name] of [
      ['ReplicaSet', 'api-7c9f'],
      ['Pod', 'api-7c9f-a'],
      ['Pod', 'api-7c9f-b'],
      ['Service', 'db'],
      ['Pod', 'db-0'],
    ] as const)
      graph.addNode({
        key: key(kind, name),
        ref: { kind, namespace: 'app', name },
        presence: 'present',
        ...(name === 'db-0' && dbCriticality !== undefined
          ? {
              object: {
                kind,
                metadata: {
                  name,
                  namespace: 'app',
                  labels: { 'ops.kubectl-smart.io/criticality': dbCriticality },
                },
              },
            }
          : {}),
      });
    for (const pod of ['api-7c9f-a', 'api-7c9f-b']) {
      graph.addEdge(key('ReplicaSet', 'api-7c9f'), key('Pod', pod), 'owns');
      graph.addEdge(key('Pod', pod), key('Service', 'db'), 'calls', {
        via: observed ? 'log' : 'env:DB_HOST',
        ...(observed
          ? {
              observed: {
                failure: 'refused',
                count: 12,
                line: 'dial tcp 10.96.0.20:5432: connect: connection refused',
                previous: true,
              },
            }
          : {}),
      });
    }
    graph.addEdge(key('Service', 'db'), key('Pod', 'db-0'), 'selects');
    // The callers are louder: two pods crash-looping against one database pod.
    return rankFindings(
      [
        crash('Pod', 'api-7c9f-a', 'container api keeps crashing'),
        crash('Pod', 'api-7c9f-b', 'container api keeps crashing'),
        crash('Pod', 'db-0', 'container postgres keeps crashing'),
      ],
      graph,
      new Set(),
    );
  }

  it('puts the dependency first and its callers under it when their logs saw it fail', () => {
    const [first, ...rest] = cascade(true);
    expect(formatRef(first?.rootCause.resource ?? { kind: '', name: '' })).toBe('Pod/db-0');
    expect(first?.symptoms.map((f) => f.resource.name)).toEqual(['api-7c9f-a', 'api-7c9f-b']);
    // From the Service in front of the database: the callers reach it there.
    expect(first?.chain.map((r) => formatRef(r))).toEqual(['Service/db', 'Pod/db-0']);
    expect(rest).toEqual([]);
  });

  it('keeps a configured but unobserved call from explaining a crash: no evidence, no link', () => {
    const problems = cascade(false);
    expect(problems.map((p) => p.rootCause.resource.name)).toEqual(['api-7c9f-a', 'db-0']);
    // Nor does it make the caller's crash a contributing factor of the database's, ranked first.
    const dbFirst = cascade(false, 'high');
    expect(dbFirst.map((p) => [p.rootCause.resource.name, p.contributing.length])).toEqual([
      ['db-0', 0],
      ['api-7c9f-a', 0],
    ]);
  });

  it('keeps a second root cause on the same object as a contributing factor, not lost', async () => {
    const { graph } = await exampleGraph();
    const on = (ruleId: string): Finding => ({
      ruleId,
      severity: 'critical',
      resource: { kind: 'ConfigMap', namespace: 'shop', name: 'api-config' },
      message: `${ruleId} on api-config`,
      evidence: [],
    });
    const [first, second] = [on('container-config-error'), on('missing-dependency')];
    const problems = rankFindings([first, second], graph, new Set());
    expect(problems.map((p) => [p.rootCause.ruleId, p.contributing.map((f) => f.ruleId), p.alsoOn])).toEqual([
      ['container-config-error', ['missing-dependency'], []],
    ]);
  });
});

describe('rankFindings between equal scores', () => {
  it('puts first the problem whose callers’ logs saw more failures', () => {
    const graph = new DependencyGraph();
    const node = (kind: string, name: string): string => {
      const key = `${kind}/app/${name}`;
      graph.addNode({
        key,
        ref: { kind, namespace: 'app', name },
        presence: kind === 'Service' ? 'missing' : 'present',
      });
      return key;
    };
    for (const [caller, service, count] of [
      ['web-1', 'a-search', 3],
      ['web-2', 'b-search', 30],
    ] as const)
      graph.addEdge(node('Pod', caller), node('Service', service), 'calls', {
        via: 'log',
        observed: {
          failure: 'dns',
          count,
          line: `dial tcp: lookup ${service}: no such host`,
          previous: false,
        },
      });
    const missing = (service: string, caller: string): Finding => ({
      ruleId: 'missing-dependency',
      severity: 'warning',
      resource: { kind: 'Service', namespace: 'app', name: service },
      message: `Service ${service} does not exist, and pods reference it`,
      evidence: [
        { source: 'graph', resource: { kind: 'Pod', namespace: 'app', name: caller }, text: 'calls' },
      ],
    });
    const unreachable = (caller: string): Finding => ({
      ruleId: 'dependency-unreachable',
      severity: 'warning',
      resource: { kind: 'Pod', namespace: 'app', name: caller },
      message: 'container web cannot reach its search',
      evidence: [],
    });
    const problems = rankFindings(
      [
        missing('a-search', 'web-1'),
        missing('b-search', 'web-2'),
        unreachable('web-1'),
        unreachable('web-2'),
      ],
      graph,
      new Set(['dependency-unreachable']),
    );
    expect(problems.map((p) => [p.rootCause.resource.name, p.score.total])).toEqual([
      ['b-search', problems[0]?.score.total],
      ['a-search', problems[0]?.score.total],
    ]);
  });
});

describe('rankFindings ties', () => {
  it('orders problems that tie by kind, namespace, name and rule, whatever order they were found in', () => {
    const graph = new DependencyGraph();
    const finding = (kind: string, namespace: string, name: string, ruleId: string): Finding => {
      const key = `${kind}/${namespace}/${name}`;
      if (graph.nodeByKey(key) === undefined)
        graph.addNode({ key, ref: { kind, namespace, name }, presence: 'present' });
      return { ruleId, severity: 'warning', resource: { kind, namespace, name }, message: 'm', evidence: [] };
    };
    const findings = [
      finding('Pod', 'b', 'x', 'r1'),
      finding('Pod', 'a', 'y', 'r1'),
      finding('Pod', 'a', 'x', 'r2'),
      finding('Pod', 'a', 'x', 'r1'),
      finding('Node', '', 'n', 'r1'),
    ];
    const order = (list: readonly Finding[]): string[] =>
      rankFindings(list, graph, new Set()).map(
        (p) =>
          `${p.rootCause.resource.kind}/${p.rootCause.resource.namespace}/${p.rootCause.resource.name} ${p.rootCause.ruleId}`,
      );
    const expected = ['Node//n r1', 'Pod/a/x r1', 'Pod/a/y r1', 'Pod/b/x r1'];
    // A second root on one object joins the first as a contributing factor: r2 under r1.
    expect(order(findings)).toEqual(expected);
    expect(order([...findings].reverse())).toEqual(expected);
  });
});
