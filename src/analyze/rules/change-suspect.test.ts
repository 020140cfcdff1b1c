import { describe, expect, it } from 'vitest';
import type { Change } from '../../core/change.js';
import { ChangeHistory } from '../../core/change-history.js';
import type { Finding } from '../../core/finding.js';
import type { KubeObject } from '../../core/kube-object.js';
import { makeChange } from '../../memory/make-change.js';
import { analyze } from '../analyze.js';
import type { AnalyzerContext } from '../rule.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { copy, setIn } from '../../../test/support/memory-fixtures.js';
import { changeSuspect } from './change-suspect.js';

const NS = 'shop';
const ADMIN = { manager: 'kubectl-edit', operation: 'Update', user: 'kubernetes-admin' } as const;

/**
 * A change as the recorder stores it: makeChange over the object before and after the edit (the
 * field diff and summary), attributed to the admin as the audit log tells it.
 */
function recorded(at: string, before: KubeObject | undefined, after: KubeObject | undefined): Change {
  const change = makeChange({
    at,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  });
  if (change === undefined) throw new Error('no change');
  return after === undefined ? change : { ...change, actor: ADMIN };
}

/** Edits a copy of an object. */
function edited(object: KubeObject, edit: (copy: KubeObject) => void): KubeObject {
  const after = copy(object);
  edit(after);
  return after;
}

const container = { name: 'api', image: 'registry.example.com/api:1.4.2' };
const deployment = (spec: Record<string, unknown> = {}, replicas = 2): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'api',
    namespace: NS,
    uid: 'd-1',
    resourceVersion: '900',
    creationTimestamp: '2026-11-19T10:00:00Z',
  },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers: [container], ...spec } },
  },
  status: { replicas, readyReplicas: 0 },
});
const replicaSet = (name = 'api-7d4b9'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: NS,
    uid: `rs-${name}`,
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd-1', controller: true },
    ],
  },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api' } } },
});

type ContainerState = Record<string, unknown>;
const crashLoop = (reason = 'Error', exitCode = 1): ContainerState => ({
  ready: false,
  restartCount: 4,
  state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=api' } },
  lastState: { terminated: { exitCode, reason, finishedAt: '2026-11-20T03:10:00Z' } },
});
const pullBackOff: ContainerState = {
  ready: false,
  restartCount: 0,
  state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
};

/** A pod of the Deployment's ReplicaSet, made at `created`, its container in `state`. */
function pod(
  name: string,
  created: string,
  state: ContainerState,
  extra: {
    spec?: Record<string, unknown>;
    status?: Record<string, unknown>;
    image?: string;
    rs?: string;
  } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      uid: `p-${name}`,
      creationTimestamp: created,
      labels: { app: 'api' },
      ownerReferences: [
        {
          kind: 'ReplicaSet',
          name: extra.rs ?? 'api-7d4b9',
          uid: `rs-${extra.rs ?? 'api-7d4b9'}`,
          controller: true,
        },
      ],
    },
    spec: {
      nodeName: 'node-1',
      containers: [{ ...container, ...(extra.image === undefined ? {} : { image: extra.image }) }],
      ...extra.spec,
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: created }],
      containerStatuses: [{ name: 'api', ...state }],
      ...extra.status,
    },
  };
}

/** The kubelet's warning event about a pod, first seen at `first`. */
function podEvent(podName: string, reason: string, message: string, first: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${podName}.${reason}`, namespace: NS },
    involvedObject: { kind: 'Pod', namespace: NS, name: podName, fieldPath: 'spec.containers{api}' },
    type: 'Warning',
    reason,
    message,
    count: 5,
    firstTimestamp: first,
    lastTimestamp: '2026-11-20T03:11:00Z',
  };
}

const node: KubeObject = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', uid: 'n-1', labels: { 'kubernetes.io/hostname': 'node-1', pool: 'gpu' } },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};

function withHistory(objects: readonly KubeObject[], changes: readonly Change[]): AnalyzerContext {
  return { ...contextOf(objects), history: new ChangeHistory(changes) };
}

/** What the rule finds over a cluster with its recorded changes, each finding once. */
function suspects(objects: readonly KubeObject[], changes: readonly Change[]): Finding[] {
  const context = withHistory(objects, changes);
  const found = new Map<string, Finding>();
  for (const kind of changeSuspect.kinds)
    for (const object of context.snapshot.ofKind(kind))
      for (const finding of changeSuspect.detect(object, context))
        found.set(`${finding.resource.kind}/${finding.resource.name}|${finding.message}`, finding);
  return [...found.values()];
}

describe('change-suspect', () => {
  const before = deployment();
  const badImage = edited(before, (d) =>
    setIn(d, ['spec', 'template', 'spec', 'containers', 0, 'image'], 'registry.example.com/api:1.4.3-rc0'),
  );
  const imageChange = recorded('2026-11-20T03:02:10.363Z', before, badImage);

  it('names an image change made just before the new pods could not pull it, with who, the old image and the undo', () => {
    const failing = pod('api-7d4b9-x2x7q', '2026-11-20T03:02:11Z', pullBackOff, {
      image: 'registry.example.com/api:1.4.3-rc0',
    });
    const event = podEvent(
      'api-7d4b9-x2x7q',
      'Failed',
      'Failed to pull image "registry.example.com/api:1.4.3-rc0": not found',
      '2026-11-20T03:02:13Z',
    );
    expect(suspects([badImage, replicaSet(), failing, event, node], [imageChange])).toEqual([
      {
        ruleId: 'change-suspect',
        severity: 'critical',
        resource: { kind: 'Deployment', namespace: NS, name: 'api' },
        message:
          'Deployment api changed: containers[api].image "registry.example.com/api:1.4.2" → "registry.example.com/api:1.4.3-rc0" (by kubernetes-admin), 2s before Pod/api-7d4b9-x2x7q began to fail (api ImagePullBackOff)',
        evidence: [
          {
            source: 'history',
            resource: { kind: 'Deployment', namespace: NS, name: 'api' },
            text: '2026-11-20T03:02:10.363Z: image registry.example.com/api:1.4.2→registry.example.com/api:1.4.3-rc0 (by kubernetes-admin)',
          },
          {
            source: 'history',
            resource: { kind: 'Deployment', namespace: NS, name: 'api' },
            text: 'spec.template.spec.containers[api].image: "registry.example.com/api:1.4.2" → "registry.example.com/api:1.4.3-rc0"',
          },
          {
            source: 'graph',
            text: 'weighed 1.00 = distance 1.00 (Pod/api-7d4b9-x2x7q made by Deployment/api) × time 1.00 (2s before Pod/api-7d4b9-x2x7q began to fail) × fit 1.00 (image explains image)',
          },
          {
            source: 'status',
            resource: { kind: 'Pod', namespace: NS, name: 'api-7d4b9-x2x7q' },
            text: 'Pod/api-7d4b9-x2x7q api ImagePullBackOff, failing since 2026-11-20T03:02:13.000Z, 2s after the change',
          },
        ],
        fix: {
          summary: 'roll Deployment api back to before the change (or fix what it changed)',
          commands: [
            'kubectl -n shop rollout undo deployment/api',
            'kubectl -n shop set image deployment/api api=registry.example.com/api:1.4.2',
          ],
        },
        explains: [
          { kind: 'Deployment', namespace: NS, name: 'api' },
          { kind: 'Pod', namespace: NS, name: 'api-7d4b9-x2x7q' },
        ],
      },
    ]);
  });

  it('names an env change before a crash loop, and a memory limit lowered before OOM kills', () => {
    const withEnv = edited(before, (d) =>
      setIn(d, ['spec', 'template', 'spec', 'containers', 0, 'env'], [{ name: 'DB_HOST', value: 'db-old' }]),
    );
    const envChange = recorded('2026-11-20T03:02:10.000Z', before, withEnv);
    const crashing = pod('api-7d4b9-x2x7q', '2026-11-20T03:02:12Z', crashLoop());
    const [env] = suspects([withEnv, replicaSet(), crashing], [envChange]);
    expect(env?.message).toBe(
      'Deployment api changed: containers[api].env[DB_HOST] added {"name":"DB_HOST","value":"db-old"} (by kubernetes-admin), 2s before Pod/api-7d4b9-x2x7q began to fail (api CrashLoopBackOff)',
    );

    const limited = deployment();
    setIn(limited, ['spec', 'template', 'spec', 'containers', 0, 'resources'], {
      limits: { memory: '256Mi' },
      requests: { memory: '32Mi' },
    });
    const lowered = edited(limited, (d) =>
      setIn(d, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory'], '64Mi'),
    );
    const limitChange = recorded('2026-11-20T03:02:10.000Z', limited, lowered);
    const killed = pod('api-7d4b9-x2x7q', '2026-11-20T03:02:11Z', crashLoop('OOMKilled', 137));
    const [oom] = suspects([lowered, replicaSet(), killed], [limitChange]);
    expect(oom?.message).toBe(
      'Deployment api changed: containers[api].resources.limits.memory "256Mi" → "64Mi" (by kubernetes-admin), 1s before Pod/api-7d4b9-x2x7q began to fail (api OOMKilled)',
    );
    expect(oom?.evidence.find((e) => e.source === 'graph')?.text).toContain(
      'fit 1.00 (memory-limit explains oom)',
    );
    expect(oom?.fix?.commands).toContain(
      'kubectl -n shop set resources deployment/api -c api --limits=memory=256Mi',
    );
  });

  it('names a readiness probe change before the pods went unready and their Service lost its endpoints', () => {
    const probed = deployment({});
    setIn(probed, ['spec', 'template', 'spec', 'containers', 0, 'readinessProbe'], {
      httpGet: { path: '/healthz', port: 8080 },
    });
    const wrongPath = edited(probed, (d) =>
      setIn(d, ['spec', 'template', 'spec', 'containers', 0, 'readinessProbe', 'httpGet', 'path'], '/ready'),
    );
    const probeChange = recorded('2026-11-20T03:02:10.000Z', probed, wrongPath);
    const unready = pod(
      'api-7d4b9-x2x7q',
      '2026-11-20T03:02:11Z',
      { ready: false, restartCount: 0, state: { running: { startedAt: '2026-11-20T03:02:12Z' } } },
      {
        status: {
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-11-20T03:02:11Z' }],
        },
      },
    );
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: NS, uid: 's-1' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    const [finding] = suspects([wrongPath, replicaSet(), unready, service], [probeChange]);
    expect(finding?.message).toBe(
      'Deployment api changed: containers[api].readinessProbe.httpGet.path "/healthz" → "/ready" (by kubernetes-admin), 1s before Pod/api-7d4b9-x2x7q and Service/api began to fail (not ready; no ready endpoints)',
    );
    expect(finding?.explains?.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'Deployment/api',
      'Pod/api-7d4b9-x2x7q',
      'Service/api',
    ]);
  });

  it('names a Deployment scaled to zero when its Service has no endpoints and the pods calling it fail', () => {
    const scaledDown = edited(before, (d) => setIn(d, ['spec', 'replicas'], 0));
    const scale = recorded('2026-11-20T03:02:10.000Z', before, scaledDown);
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: NS, uid: 's-1' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80 }] },
    };
    const caller: KubeObject = {
      ...pod('web-5c8d-abcde', '2026-11-19T10:00:00Z', crashLoop(), {
        rs: 'web-5c8d',
        spec: {
          containers: [{ name: 'web', image: 'web:2.0', env: [{ name: 'API_URL', value: 'http://api:80' }] }],
        },
        status: { containerStatuses: [{ name: 'web', ...crashLoop() }] },
      }),
      metadata: {
        name: 'web-5c8d-abcde',
        namespace: NS,
        uid: 'p-web',
        creationTimestamp: '2026-11-19T10:00:00Z',
        labels: { app: 'web' },
      },
    };
    const event = podEvent(
      'web-5c8d-abcde',
      'BackOff',
      'Back-off restarting failed container',
      '2026-11-20T03:02:40Z',
    );
    // The graph has the Service, which selects no pod, depend on the Deployment its selector is
    // for (selects-workload), and the caller on the Service its env names (calls).
    const context = withHistory([scaledDown, service, caller, event], [scale]);
    const found = [service, caller].flatMap((object) => changeSuspect.detect(object as never, context));
    expect(new Set(found).size).toBe(1);
    expect(found[0]?.message).toBe(
      'Deployment api changed: replicas 2 → 0 (by kubernetes-admin), 30s before Pod/web-5c8d-abcde and Service/api began to fail (web CrashLoopBackOff; no ready endpoints)',
    );
    expect(found[0]?.fix).toEqual({
      summary: 'scale Deployment api back to 2 replicas',
      commands: ['kubectl -n shop scale deployment/api --replicas=2'],
    });
  });

  it('names a node tainted just before new pods could not be placed, but not for pods that tolerate it or go elsewhere', () => {
    const tainted = edited(node, (n) =>
      setIn(n, ['spec', 'taints'], [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
    );
    const taint = recorded('2026-11-20T03:02:10.000Z', node, tainted);
    const pendingPod = (name: string, spec: Record<string, unknown>): KubeObject => ({
      ...pod(name, '2026-11-20T03:02:20Z', {}, { spec: { nodeName: undefined, ...spec } }),
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message:
              "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
          },
        ],
      },
    });
    const kept = pendingPod('api-7d4b9-x2x7q', { nodeSelector: { pool: 'gpu' } });
    const [finding] = suspects([tainted, deployment(), replicaSet(), kept], [taint]);
    // Asked about the node itself (analyze node/node-1), the rule names its change too.
    const context = withHistory([tainted, deployment(), replicaSet(), kept], [taint]);
    expect(changeSuspect.detect(tainted, context)).toEqual([finding]);
    expect(finding?.message).toBe(
      'Node node-1 changed: taint dedicated=gpu:NoSchedule added (by kubernetes-admin), 10s before Pod/api-7d4b9-x2x7q began to fail (Pending: untolerated taint, node selector or affinity)',
    );
    expect(finding?.fix).toEqual({
      summary: 'remove the taint from node node-1, or let the pods tolerate it',
      commands: ['kubectl taint nodes node-1 dedicated:NoSchedule-'],
    });
    const tolerating = pendingPod('api-7d4b9-x2x7q', {
      nodeSelector: { pool: 'gpu' },
      tolerations: [{ key: 'dedicated', operator: 'Exists' }],
    });
    expect(suspects([tainted, tolerating], [taint])).toEqual([]);
    const elsewhere = pendingPod('api-7d4b9-x2x7q', { nodeSelector: { pool: 'cpu' } });
    expect(suspects([tainted, elsewhere], [taint])).toEqual([]);
  });

  it('names a NetworkPolicy created just before the pods it selects went unready, with the delete that undoes it', () => {
    const policy: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-all', namespace: NS, uid: 'np-1', resourceVersion: '950' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] },
    };
    const created = recorded('2026-11-20T03:02:10.000Z', undefined, policy);
    const unready = pod(
      'api-7d4b9-x2x7q',
      '2026-11-19T10:00:00Z',
      { ready: false, restartCount: 0, state: { running: { startedAt: '2026-11-19T10:00:05Z' } } },
      {
        status: {
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-11-20T03:02:31Z' }],
        },
      },
    );
    const [finding] = suspects([policy, deployment(), replicaSet(), unready], [created]);
    expect(finding?.message).toBe(
      'NetworkPolicy deny-all created (by kubernetes-admin), 21s before Pod/api-7d4b9-x2x7q began to fail (not ready)',
    );
    expect(finding?.evidence.map((e) => e.text)).toContain(
      'spec: added {"podSelector":{"matchLabels":{"app":"api"}},"policyTypes":["Ingress"]}',
    );
    expect(finding?.fix).toEqual({
      summary: "delete NetworkPolicy deny-all, or let the failing pods' traffic through it",
      commands: ['kubectl -n shop delete networkpolicy deny-all'],
    });
  });

  it('names a NetworkPolicy put in front of a Service whose callers then fail, though the pods behind it are fine', () => {
    const policy: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'api-ingress', namespace: NS, uid: 'np-2', resourceVersion: '951' },
      spec: {
        podSelector: { matchLabels: { app: 'api' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'admin' } } }] }],
      },
    };
    const created = recorded('2026-11-20T03:02:10.000Z', undefined, policy);
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: NS, uid: 's-1' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80 }] },
    };
    const serving = pod(
      'api-7d4b9-x2x7q',
      '2026-11-19T10:00:00Z',
      { ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-19T10:00:05Z' } } },
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    );
    const caller = (name: string): KubeObject => ({
      ...pod(
        name,
        '2026-11-19T10:00:00Z',
        {},
        {
          rs: 'web-5c8d',
          spec: {
            containers: [
              { name: 'web', image: 'web:2.0', env: [{ name: 'API_URL', value: 'http://api:80' }] },
            ],
          },
          status: {
            containerStatuses: [
              {
                name: 'web',
                ready: false,
                restartCount: 0,
                state: { running: { startedAt: '2026-11-19T10:00:05Z' } },
              },
            ],
            conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-11-20T03:02:40Z' }],
          },
        },
      ),
      metadata: {
        name,
        namespace: NS,
        uid: `p-${name}`,
        creationTimestamp: '2026-11-19T10:00:00Z',
        labels: { app: 'web' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5c8d', uid: 'rs-web-5c8d', controller: true }],
      },
    });
    const cluster = [
      policy,
      service,
      { ...deployment({}, 1), status: { replicas: 1, readyReplicas: 1 } },
      replicaSet(),
      serving,
      caller('web-5c8d-aaaaa'),
      caller('web-5c8d-bbbbb'),
      {
        ...deployment(),
        metadata: { name: 'web', namespace: NS, uid: 'd-web' },
        status: { replicas: 2, readyReplicas: 0 },
      },
      {
        ...replicaSet('web-5c8d'),
        metadata: {
          name: 'web-5c8d',
          namespace: NS,
          uid: 'rs-web-5c8d',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-web', controller: true },
          ],
        },
      },
    ];
    const findings = suspects(cluster, [created]);
    expect(findings.map((f) => f.message)).toEqual([
      'NetworkPolicy api-ingress created (by kubernetes-admin), 30s before 2 pods began to fail (not ready)',
    ]);
    expect(findings[0]?.evidence.find((e) => e.source === 'graph')?.text).toBe(
      'weighed 0.40 = distance 0.40 (3 hops: Pod/web-5c8d-aaaaa → Service/api → Pod/api-7d4b9-x2x7q → NetworkPolicy/api-ingress) × time 0.99 (30s before Pod/web-5c8d-aaaaa began to fail) × fit 1.00 (network-policy explains caller)',
    );
    // Read without a recording, the policy drops what the callers need; with one, it is the change
    // made 30s before they failed, and what the policy drops is said beside it.
    const { snapshot, graph } = contextOf(cluster);
    const { problems } = analyze(snapshot, graph, { history: new ChangeHistory([created]) });
    expect(
      problems.map((p) => [
        p.rootCause.ruleId,
        p.contributing.map((f) => f.ruleId),
        p.symptoms.map((f) => `${f.ruleId} ${f.resource.kind}/${f.resource.name}`),
      ]),
    ).toEqual([
      ['change-suspect', ['network-policy-blocks-callers'], ['workload-unavailable Deployment/web']],
    ]);
  });

  it("names a Service's selector change that left it with no endpoints, and puts the old selector back", () => {
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: NS, uid: 's-1' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80 }] },
    };
    const renamed = edited(service, (s) => setIn(s, ['spec', 'selector', 'app'], 'api-v2'));
    const change = recorded('2026-11-20T03:11:30.000Z', service, renamed);
    const healthy = pod('api-7d4b9-x2x7q', '2026-11-19T10:00:00Z', {
      ready: true,
      restartCount: 0,
      state: { running: { startedAt: '2026-11-19T10:00:05Z' } },
    });
    const [finding] = suspects([renamed, healthy], [change]);
    expect(finding?.message).toBe(
      'Service api changed: selector.app "api" → "api-v2" (by kubernetes-admin), 30s ago; Service/api fails now (no ready endpoints)',
    );
    expect(finding?.evidence.find((e) => e.source === 'graph')?.text).toBe(
      'weighed 0.99 = distance 1.00 (Service/api itself) × time 0.99 (30s before now; when Service/api began to fail is not known) × fit 1.00 (service-selector explains no-endpoints)',
    );
    expect(finding?.fix?.commands).toEqual([
      `kubectl -n shop patch service api --type=merge -p '{"spec":{"selector":{"app":"api"}}}'`,
    ]);
  });

  it('names a quota lowered just before the ReplicaSet was refused its pods', () => {
    const quota: KubeObject = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'pods', namespace: NS, uid: 'q-1' },
      spec: { hard: { pods: '10' } },
    };
    const lowered = edited(quota, (q) => setIn(q, ['spec', 'hard', 'pods'], '2'));
    const change = recorded('2026-11-20T03:02:10.000Z', quota, lowered);
    const refused: KubeObject = {
      ...replicaSet(),
      spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } },
      status: {
        replicas: 2,
        conditions: [
          {
            type: 'ReplicaFailure',
            status: 'True',
            reason: 'FailedCreate',
            message:
              'pods "api-7d4b9-abcde" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2',
            lastTransitionTime: '2026-11-20T03:02:15Z',
          },
        ],
      },
    };
    const findings = suspects([lowered, deployment({}, 3), refused], [change]);
    expect(findings.map((f) => f.message)).toEqual([
      'ResourceQuota pods changed: hard.pods "10" → "2" (by kubernetes-admin), 5s before ReplicaSet/api-7d4b9 began to fail (pods refused (FailedCreate))',
    ]);
    expect(findings[0]?.fix?.commands).toEqual([
      `kubectl -n shop patch resourcequota pods --type=merge -p '{"spec":{"hard":{"pods":"10"}}}'`,
    ]);
  });

  it('names a ConfigMap deleted before the pods referencing it could not start: the missing node of the graph', () => {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'api-config', namespace: NS, uid: 'cm-1' },
      data: { CACHE_SIZE: '512Mi' },
    };
    // The audit log names who deleted it (managedFields cannot).
    const deletion: Change = { ...recorded('2026-11-20T03:02:10.000Z', configMap, undefined), actor: ADMIN };
    const stuck = pod(
      'api-7d4b9-x2x7q',
      '2026-11-20T03:02:20Z',
      {
        ready: false,
        restartCount: 0,
        state: {
          waiting: { reason: 'CreateContainerConfigError', message: 'configmap "api-config" not found' },
        },
      },
      { spec: { containers: [{ ...container, envFrom: [{ configMapRef: { name: 'api-config' } }] }] } },
    );
    const findings = suspects([deployment(), replicaSet(), stuck], [deletion]);
    expect(findings.map((f) => [f.resource, f.message, f.fix])).toEqual([
      [
        { kind: 'ConfigMap', namespace: NS, name: 'api-config' },
        'ConfigMap api-config deleted (by kubernetes-admin), 10s before Pod/api-7d4b9-x2x7q began to fail (api CreateContainerConfigError)',
        {
          summary:
            're-create ConfigMap api-config as it was before it was deleted (the recording shows its last fields)',
          commands: ['kubectl smart why configmap/api-config -n shop --alpha-memory'],
        },
      ],
    ]);
  });

  it("names a Role's rules cut before the pods running as a ServiceAccount it is bound to began to crash", () => {
    const role: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'config-reader', namespace: NS, uid: 'r-1' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    };
    const cut = edited(role, (r) => setIn(r, ['rules', 0, 'verbs'], ['get']));
    const change = recorded('2026-11-20T03:02:10.000Z', role, cut);
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'api-config-reader', namespace: NS, uid: 'rb-1' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: NS }],
    };
    const account: KubeObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'api', namespace: NS },
    };
    const crashing = pod('api-7d4b9-x2x7q', '2026-11-19T10:00:00Z', crashLoop(), {
      spec: { serviceAccountName: 'api' },
    });
    const event = podEvent(
      'api-7d4b9-x2x7q',
      'BackOff',
      'Back-off restarting failed container',
      '2026-11-20T03:02:40Z',
    );
    const [finding] = suspects([cut, binding, account, crashing, event], [change]);
    expect(finding?.message).toBe(
      'Role config-reader changed: rules[0].verbs ["get","list","watch"] → ["get"] (by kubernetes-admin), 30s before Pod/api-7d4b9-x2x7q began to fail (api CrashLoopBackOff)',
    );
    expect(finding?.evidence.find((e) => e.source === 'graph')?.text).toContain(
      '3 hops: Pod/api-7d4b9-x2x7q → ServiceAccount/api → RoleBinding/api-config-reader → Role/config-reader',
    );
  });

  it('names no change that cannot explain the failure: unrelated, too long before, metadata only, a restart, or older than the pod', () => {
    const crashing = pod('api-7d4b9-x2x7q', '2026-11-20T03:02:12Z', crashLoop());
    const cluster = [badImage, replicaSet(), crashing, node];
    // Another app's image.
    const other = { ...deployment(), metadata: { ...deployment().metadata, name: 'other', uid: 'd-2' } };
    const otherChange = recorded(
      '2026-11-20T03:02:10.000Z',
      other,
      edited(other, (d) => setIn(d, ['spec', 'template', 'spec', 'containers', 0, 'image'], 'other:2')),
    );
    // A node label nothing selects on, under a pod that crashes.
    const relabelled = recorded(
      '2026-11-20T03:02:10.000Z',
      node,
      edited(node, (n) => setIn(n, ['metadata', 'labels', 'team'], 'data')),
    );
    expect(suspects([...cluster, other], [otherChange, relabelled])).toEqual([]);
    // The image changed seven hours before the pod began to fail.
    expect(suspects(cluster, [{ ...imageChange, at: '2026-11-19T20:02:10.000Z' }])).toEqual([]);
    // Annotations and labels of the Deployment itself, and a rollout restart.
    const annotated = edited(before, (d) => {
      setIn(d, ['metadata', 'annotations'], { 'deployment.kubernetes.io/revision': '7', team: 'cart' });
      setIn(d, ['metadata', 'labels'], { tier: 'backend' });
    });
    const restarted = edited(before, (d) =>
      setIn(
        d,
        ['spec', 'template', 'metadata', 'annotations', 'kubectl.kubernetes.io/restartedAt'],
        '2026-11-20T03:02:00Z',
      ),
    );
    expect(
      suspects(cluster, [
        recorded('2026-11-20T03:02:09.000Z', before, annotated),
        recorded('2026-11-20T03:02:10.000Z', before, restarted),
      ]),
    ).toEqual([]);
    // A pod made before the template changed does not run it.
    const older = pod('api-7d4b9-x2x7q', '2026-11-20T02:00:00Z', crashLoop());
    const event = podEvent(
      'api-7d4b9-x2x7q',
      'BackOff',
      'Back-off restarting failed container',
      '2026-11-20T03:05:00Z',
    );
    expect(suspects([badImage, replicaSet(), older, event], [imageChange])).toEqual([]);
  });

  it("leaves a ConfigMap edit that crashes its readers to recent-change, and shows a Secret's only as digests", () => {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'api-config', namespace: NS, uid: 'cm-1' },
      data: { CACHE_SIZE: '512Mi' },
    };
    const reader = (state: ContainerState, volumes: Record<string, unknown>): KubeObject =>
      pod('api-7d4b9-x2x7q', '2026-11-20T03:02:12Z', state, {
        spec: { volumes: [{ name: 'config', ...volumes }] },
        status: {
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2026-11-20T03:02:12Z' }],
        },
      });
    const cmEdit = recorded(
      '2026-11-20T03:02:10.000Z',
      configMap,
      edited(configMap, (c) => setIn(c, ['data', 'CACHE_SIZE'], 'lots')),
    );
    const crashingReader = reader(crashLoop(), { configMap: { name: 'api-config' } });
    expect(suspects([configMap, crashingReader], [cmEdit])).toEqual([]);
    const { problems } = analyze(
      contextOf([configMap, crashingReader]).snapshot,
      contextOf([configMap, crashingReader]).graph,
      {
        history: new ChangeHistory([cmEdit]),
      },
    );
    expect(problems.map((p) => p.rootCause.ruleId)).toEqual(['recent-change']);

    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'api-token', namespace: NS, uid: 'sec-1' },
      data: { token: Buffer.from('hunter2').toString('base64') },
    };
    const rotated = edited(secret, (s) =>
      setIn(s, ['data', 'token'], Buffer.from('swordfish').toString('base64')),
    );
    const secretEdit = makeChange({
      at: '2026-11-20T03:02:10.000Z',
      before: secret,
      after: rotated,
      secretKey: 'store-key',
    });
    const unreadyReader = reader(
      { ready: false, restartCount: 0, state: { running: { startedAt: '2026-11-20T03:02:12Z' } } },
      { secret: { secretName: 'api-token' } },
    );
    const [finding] = suspects([rotated, unreadyReader], [secretEdit!]);
    const text = JSON.stringify(finding);
    expect(finding?.message).toMatch(
      /^Secret api-token changed: data\.token "hmac:[0-9a-f]{16}" → "hmac:[0-9a-f]{16}"/,
    );
    for (const value of ['hunter2', 'swordfish', secret['data'] as never, rotated['data'] as never])
      expect(text).not.toContain(typeof value === 'string' ? value : JSON.stringify(value).slice(12, -2));
  });

  it('ranks the change above the crash loop, the unavailable Deployment and the Service it explains', () => {
    const crashing = pod('api-7d4b9-x2x7q', '2026-11-20T03:02:12Z', crashLoop());
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: NS, uid: 's-1' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80 }] },
    };
    const { snapshot, graph } = contextOf([badImage, replicaSet(), crashing, service, node]);
    const { problems } = analyze(snapshot, graph, { history: new ChangeHistory([imageChange]) });
    expect(
      problems.map((p) => [
        `${p.rootCause.ruleId} ${p.rootCause.resource.kind}/${p.rootCause.resource.name}`,
        p.symptoms.map((s) => `${s.ruleId} ${s.resource.kind}`).sort(),
        p.chain.map((r) => `${r.kind}/${r.name}`),
      ]),
    ).toEqual([
      [
        'change-suspect Deployment/api',
        ['crash-loop Pod', 'service-endpoints Service', 'workload-unavailable Deployment'],
        ['Service/api', 'Pod/api-7d4b9-x2x7q', 'Deployment/api'],
      ],
    ]);
    // Without a recording, the crash loop is the root cause, as before.
    expect(analyze(snapshot, graph).problems[0]?.rootCause.ruleId).toBe('crash-loop');
  });
});
