/**
 * Unknown is unknown (DESIGN.md §7.11, issue #16 item 4): no rule says an object it refers to is
 * present or missing when its kind was not read. With Secrets unread (the read-only user, the
 * agent, files without them) image-pull said `pull Secret regcred (…): present` of a Secret that
 * did not exist.
 *
 * Two checks. The sweep runs every registered rule over the example and the real captures once
 * per referenced kind, that kind unread, and fails on any text that says an object of it is there
 * or not: it needs nothing from a new rule's author. The table gives each rule's own scenario:
 * the kind read gives the right answer (missing, and present where the rule says so), the kind
 * unread gives no claim; a rule without an entry fails, so a new rule must say which it is.
 */
import { describe, expect, it } from 'vitest';
import { Coverage } from '../core/coverage.js';
import { KINDS, type KnownKind } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ResourceRef } from '../core/resource-ref.js';
import { Snapshot } from '../core/snapshot.js';
import { buildGraph } from '../graph/build-graph.js';
import { RULES } from './registry.js';
import { runRules, type AnalyzerContext, type AnyRule } from './rule.js';
import { ruleCluster } from '../../test/support/rule-cluster.js';

const NOW = new Date('2026-11-20T03:12:00Z');

/** A context over objects with every kind read but `unread`, whose objects are left out too. */
function contextWithout(objects: readonly KubeObject[], unread: ReadonlySet<string>): AnalyzerContext {
  const coverage = new Coverage();
  for (const kind of KINDS) if (!unread.has(kind.kind)) coverage.add(kind.kind);
  const snapshot = new Snapshot({
    objects: objects.filter((object) => !unread.has(object.kind)),
    coverage,
    capturedAt: NOW,
  });
  return { snapshot, graph: buildGraph(snapshot), now: NOW };
}

/** Every line a reader sees of what the rules found: messages, evidence, fix summaries. */
function textsOf(rules: readonly AnyRule[], context: AnalyzerContext): { ruleId: string; text: string }[] {
  return runRules(rules, context).findings.flatMap((finding) =>
    [finding.message, ...finding.evidence.map((item) => item.text), finding.fix?.summary ?? ''].map(
      (text) => ({ ruleId: finding.ruleId, text }),
    ),
  );
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words that say an object is there or not (`point it at one that exists` is advice, not a claim). */
const CLAIM = String.raw`(present|missing|not found|does not exist|no longer exists|(?<!one that )exists)`;

/**
 * The text says `ref` is present or missing: `Secret regcred does not exist`, `pull Secret
 * regcred (imagePullSecrets): present`, `… → ConfigMap/app-config (not found)`, `scales
 * Deployment/api, which does not exist`. `not read (…)` is what it should say instead.
 */
function claimsAbout(text: string, ref: ResourceRef): boolean {
  const name = `${escape(ref.kind)}[ /](?:${escape(ref.namespace ?? '')}/)?${escape(ref.name)}\\b`;
  return new RegExp(`${name}[^;]{0,60}?\\b${CLAIM}\\b`).test(text) && !/\bwere not read\b/.test(text);
}

describe('no rule calls an object of a kind not read present or missing', () => {
  it('the sweep: every rule, over the example and the captures, each referenced kind unread in turn', async () => {
    const objects = await ruleCluster();
    const full = contextWithout(objects, new Set());
    // The objects something refers to, by kind: what a rule might say is there or not.
    const referenced = new Map<string, ResourceRef[]>();
    for (const edge of full.graph.edges()) {
      const node = full.graph.nodeByKey(edge.to);
      if (node === undefined || node.presence === 'external' || node.presence === 'unknown') continue;
      const list = referenced.get(node.ref.kind) ?? [];
      list.push(node.ref);
      referenced.set(node.ref.kind, list);
    }
    // The example's story needs these to be referenced, or the sweep would prove little.
    expect([...referenced.keys()]).toEqual(
      expect.arrayContaining(['Secret', 'ConfigMap', 'Node', 'Pod', 'Service', 'ServiceAccount']),
    );
    const claims: string[] = [];
    for (const [kind, refs] of referenced) {
      for (const { ruleId, text } of textsOf(RULES, contextWithout(objects, new Set([kind]))))
        for (const ref of refs) if (claimsAbout(text, ref)) claims.push(`${kind} unread: ${ruleId}: ${text}`);
    }
    expect(claims).toEqual([]);
  });

  it('the sweep would catch image-pull’s old `present` (the check itself is sound)', () => {
    expect(
      claimsAbout('pull Secret regcred (imagePullSecrets): present', { kind: 'Secret', name: 'regcred' }),
    ).toBe(true);
    expect(
      claimsAbout('pull Secret regcred (imagePullSecrets): not read (Secrets were not read in shop)', {
        kind: 'Secret',
        name: 'regcred',
      }),
    ).toBe(false);
    expect(
      claimsAbout('Pod/web volume:cfg → ConfigMap/app-config (not found)', {
        kind: 'ConfigMap',
        namespace: 'shop',
        name: 'app-config',
      }),
    ).toBe(true);
  });
});

/**
 * One rule's statement about an object it refers to: the cluster without that object, what the
 * rule says with its kind read (the right answer: it is missing), what it says with the kind
 * unread (at most that it was not read), and, with the object there, that it no longer says
 * missing (and says present, where the rule says so).
 */
interface Scenario {
  readonly what: string;
  /** The kind left unread. */
  readonly kind: KnownKind;
  /** The object referred to, when the statement is about one (not "no pod carries it"). */
  readonly ref?: ResourceRef;
  /** The cluster, without the referred-to object. */
  readonly objects: readonly KubeObject[];
  /** Said when its kind was read and it is not there; never said when the kind was not read. */
  readonly missing?: RegExp;
  /** Said when its kind was not read (a `not read (…)`), if the rule mentions it at all then. */
  readonly unread?: RegExp;
  /** The object, and what is said with it there (never `missing`). */
  readonly present?: { readonly object: KubeObject; readonly says?: RegExp };
}

/** A rule that says nothing of whether the objects it refers to are there, and why. */
interface NoStatement {
  readonly none: string;
}

const NS = 'shop';
const meta = (name: string, extra: object = {}): KubeObject['metadata'] => ({
  name,
  namespace: NS,
  uid: `uid-${name}`,
  creationTimestamp: '2026-11-20T02:58:00Z',
  ...extra,
});
const waitingPod = (name: string, reason: string, message: string, spec: object = {}): KubeObject => ({
  kind: 'Pod',
  metadata: meta(name, {
    labels: { app: name },
    ownerReferences: [{ kind: 'ReplicaSet', name: `${name}-rs`, uid: `uid-${name}-rs`, controller: true }],
  }),
  spec: {
    nodeName: 'worker-1',
    containers: [{ name: 'app', image: 'registry.example.com/shop/app:9.9' }],
    ...spec,
  },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containerStatuses: [
      {
        name: 'app',
        ready: false,
        restartCount: 0,
        state: { waiting: { reason, ...(message === '' ? {} : { message }) } },
      },
    ],
  },
});
const event = (kind: string, name: string, reason: string, message: string, count = 7): KubeObject => ({
  kind: 'Event',
  apiVersion: 'v1',
  metadata: { name: `${name}.${reason.toLowerCase()}`, namespace: NS },
  involvedObject: { kind, namespace: NS, name, uid: `uid-${name}` },
  type: 'Warning',
  reason,
  message,
  count,
  firstTimestamp: '2026-11-20T02:58:05Z',
  lastTimestamp: '2026-11-20T03:10:12Z',
});
const configMap = (name: string): KubeObject => ({ kind: 'ConfigMap', metadata: meta(name), data: {} });
const service = (name: string, spec: object): KubeObject => ({ kind: 'Service', metadata: meta(name), spec });
const readyPod = (name: string, labels: Record<string, string>): KubeObject => ({
  kind: 'Pod',
  metadata: meta(name, { labels }),
  spec: { nodeName: 'worker-1', containers: [{ name: 'app' }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

const pullPod = waitingPod(
  'payments',
  'ErrImagePull',
  'pull access denied, repository does not exist or may require authorization',
  { imagePullSecrets: [{ name: 'regcred' }] },
);
const volumePod = (
  name: string,
  configMapName: string,
  reason = 'ContainerCreating',
  message = '',
): KubeObject =>
  waitingPod(name, reason, message, {
    volumes: [{ name: 'config', configMap: { name: configMapName } }],
  });
const releasedVolume: KubeObject = {
  kind: 'PersistentVolume',
  metadata: { name: 'nfs-testing', uid: 'uid-pv' },
  spec: {
    capacity: { storage: '100Gi' },
    accessModes: ['ReadWriteMany'],
    persistentVolumeReclaimPolicy: 'Retain',
    storageClassName: '',
    nfs: { server: '192.168.1.20', path: '/k8s/testing' },
    claimRef: { kind: 'PersistentVolumeClaim', namespace: NS, name: 'testing-storage', uid: 'uid-old-claim' },
  },
  status: { phase: 'Released', lastPhaseTransitionTime: '2026-11-19T22:40:00Z' },
};
const guardWebhook: KubeObject = {
  kind: 'ValidatingWebhookConfiguration',
  apiVersion: 'admissionregistration.k8s.io/v1',
  metadata: { name: 'guard', uid: 'uid-vwc' },
  webhooks: [
    {
      name: 'pods.guard.example.com',
      clientConfig: { service: { namespace: NS, name: 'guard', port: 443 } },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
      failurePolicy: 'Fail',
    },
  ],
};
const sts: KubeObject = {
  kind: 'StatefulSet',
  metadata: meta('db'),
  spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } } },
  status: { replicas: 0, readyReplicas: 0 },
};

/**
 * Every registered rule: the statements it makes about objects it refers to, or why it makes
 * none. A rule missing here fails the test below: its author says which it is.
 */
const TABLE: Readonly<Record<string, readonly Scenario[] | NoStatement>> = {
  'image-pull': [
    {
      what: 'an unauthorized pull names the pod’s pull Secret',
      kind: 'Secret',
      ref: { kind: 'Secret', namespace: NS, name: 'regcred' },
      objects: [pullPod],
      missing: /^pull Secret regcred \(imagePullSecrets\): missing$/,
      unread: /^pull Secret regcred \(imagePullSecrets\): not read \(Secrets were not read in shop\)$/,
      present: {
        object: { kind: 'Secret', metadata: meta('regcred'), type: 'kubernetes.io/dockerconfigjson' },
        says: /^pull Secret regcred \(imagePullSecrets\): present$/,
      },
    },
  ],
  'missing-dependency': [
    {
      what: 'a pod mounts a ConfigMap',
      kind: 'ConfigMap',
      ref: { kind: 'ConfigMap', namespace: NS, name: 'app-config' },
      objects: [volumePod('api', 'app-config')],
      missing: /^ConfigMap app-config does not exist, and pods reference it$/,
      present: { object: configMap('app-config') },
    },
  ],
  'container-config-error': [
    {
      what: 'the kubelet cannot find the ConfigMap a container needs',
      kind: 'ConfigMap',
      ref: { kind: 'ConfigMap', namespace: NS, name: 'app-config' },
      objects: [
        waitingPod('api', 'CreateContainerConfigError', 'configmap "app-config" not found', {
          containers: [
            {
              name: 'app',
              envFrom: [{ configMapRef: { name: 'app-config' } }],
            },
          ],
        }),
      ],
      missing: /^ConfigMap app-config does not exist, and pods need it/,
      unread:
        /^ConfigMap app-config was not found by the kubelet \(ConfigMaps were not read in shop\), and pods need it/,
    },
  ],
  'pod-stuck-creating': [
    {
      what: 'a volume’s ConfigMap the kubelet cannot find',
      kind: 'ConfigMap',
      ref: { kind: 'ConfigMap', namespace: NS, name: 'app-config' },
      objects: [
        volumePod('api', 'app-config'),
        event(
          'Pod',
          'api',
          'FailedMount',
          'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
        ),
      ],
      missing: /needs ConfigMap app-config, which does not exist/,
      unread:
        /needs ConfigMap app-config, which the kubelet did not find \(ConfigMaps were not read in shop\)/,
      present: { object: configMap('app-config') },
    },
  ],
  'hpa-at-max': [
    {
      what: 'an HPA’s scale target',
      kind: 'Deployment',
      ref: { kind: 'Deployment', namespace: NS, name: 'api' },
      objects: [
        {
          kind: 'HorizontalPodAutoscaler',
          apiVersion: 'autoscaling/v2',
          metadata: meta('api'),
          spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
            minReplicas: 1,
            maxReplicas: 5,
          },
          status: { currentReplicas: 0, desiredReplicas: 0 },
        },
      ],
      missing: /scales Deployment\/api, which does not exist/,
      present: {
        object: {
          kind: 'Deployment',
          metadata: meta('api'),
          spec: { replicas: 2 },
          status: { replicas: 2, readyReplicas: 2 },
        },
      },
    },
  ],
  'pvc-pending': [
    {
      what: 'a claim names the volume to bind',
      kind: 'PersistentVolume',
      ref: { kind: 'PersistentVolume', name: 'nfs-pv-09' },
      objects: [
        {
          kind: 'PersistentVolumeClaim',
          metadata: meta('data'),
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '10Gi' } },
            storageClassName: '',
            volumeName: 'nfs-pv-09',
          },
          status: { phase: 'Pending' },
        },
      ],
      missing: /asks for PersistentVolume nfs-pv-09, which does not exist/,
      present: {
        object: {
          kind: 'PersistentVolume',
          metadata: { name: 'nfs-pv-09', uid: 'uid-pv-09' },
          spec: {
            capacity: { storage: '10Gi' },
            accessModes: ['ReadWriteOnce'],
            storageClassName: '',
            persistentVolumeReclaimPolicy: 'Retain',
          },
          status: { phase: 'Available' },
        },
      },
    },
  ],
  'pending-unschedulable': [
    {
      what: 'a pod waits on an unbound claim',
      kind: 'PersistentVolumeClaim',
      ref: { kind: 'PersistentVolumeClaim', namespace: NS, name: 'db-data' },
      objects: [
        {
          kind: 'Pod',
          metadata: meta('db-0'),
          spec: {
            containers: [{ name: 'db' }],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'db-data' } }],
          },
          status: {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message:
                  '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
              },
            ],
          },
        },
      ],
      missing: /^PersistentVolumeClaim db-data: does not exist$/,
      unread: /^PersistentVolumeClaim db-data: not read \(PersistentVolumeClaims were not read in shop\)$/,
      present: {
        object: {
          kind: 'PersistentVolumeClaim',
          metadata: meta('db-data'),
          spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'] },
          status: { phase: 'Pending' },
        },
        says: /^PersistentVolumeClaim db-data: Pending, StorageClass standard/,
      },
    },
  ],
  'pod-stuck-terminating': [
    {
      what: 'a deleted pod’s node',
      kind: 'Node',
      ref: { kind: 'Node', name: 'worker-3' },
      objects: [
        {
          kind: 'Pod',
          metadata: meta('db-0', {
            deletionTimestamp: '2026-11-20T02:30:30Z',
            deletionGracePeriodSeconds: 30,
            ownerReferences: [{ kind: 'StatefulSet', name: 'db', uid: 'uid-db', controller: true }],
          }),
          spec: { nodeName: 'worker-3', terminationGracePeriodSeconds: 30, containers: [{ name: 'db' }] },
          status: {
            phase: 'Running',
            containerStatuses: [
              { name: 'db', ready: true, state: { running: { startedAt: '2026-11-18T09:00:00Z' } } },
            ],
          },
        },
      ],
      missing: /its node worker-3 no longer exists/,
      present: {
        object: {
          kind: 'Node',
          metadata: { name: 'worker-3' },
          status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
        },
      },
    },
  ],
  'statefulset-governing-service': [
    {
      what: 'a StatefulSet’s governing Service',
      kind: 'Service',
      ref: { kind: 'Service', namespace: NS, name: 'db' },
      objects: [sts],
      missing: /governing Service db does not exist/,
      present: { object: service('db', { clusterIP: 'None', selector: { app: 'db' } }) },
    },
  ],
  'webhook-backend-unready': [
    {
      what: 'a webhook’s Service',
      kind: 'Service',
      ref: { kind: 'Service', namespace: NS, name: 'guard' },
      objects: [guardWebhook],
      missing: /calls Service shop\/guard, which does not exist/,
      present: { object: service('guard', { ports: [{ port: 443 }] }) },
    },
    {
      what: 'the pods of a webhook’s Service (its health)',
      kind: 'Pod',
      objects: [guardWebhook, service('guard', { selector: { app: 'guard' }, ports: [{ port: 443 }] })],
      missing: /calls Service shop\/guard, which selects no pods/,
      present: { object: readyPod('guard-1', { app: 'guard' }) },
    },
  ],
  'replicaset-failed-create': [
    {
      what: 'the StatefulSet controller cannot find the pods’ ServiceAccount',
      kind: 'ServiceAccount',
      ref: { kind: 'ServiceAccount', namespace: NS, name: 'db' },
      objects: [
        sts,
        event(
          'StatefulSet',
          'db',
          'FailedCreate',
          'create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: error looking up service account shop/db: serviceaccount "db" not found',
          9,
        ),
      ],
      missing: /ServiceAccount db does not exist/,
      unread: /the controller found no ServiceAccount db \(ServiceAccounts were not read in shop\)/,
      present: {
        object: { kind: 'ServiceAccount', metadata: meta('db') },
        says: /the controller found no ServiceAccount db \(it exists now/,
      },
    },
  ],
  'pv-unusable': [
    {
      what: 'a Released volume’s claim, recreated',
      kind: 'PersistentVolumeClaim',
      ref: { kind: 'PersistentVolumeClaim', namespace: NS, name: 'testing-storage' },
      objects: [releasedVolume],
      present: {
        object: {
          kind: 'PersistentVolumeClaim',
          metadata: meta('testing-storage', { uid: 'uid-new-claim' }),
          spec: { storageClassName: '', volumeName: 'nfs-testing', accessModes: ['ReadWriteMany'] },
          status: { phase: 'Pending' },
        },
        says: /PersistentVolumeClaim shop\/testing-storage exists again/,
      },
    },
  ],
  'service-endpoints': [
    {
      what: 'a Service’s selector and the pods read',
      kind: 'Pod',
      objects: [service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] })],
      missing: /selects app=web, which no pod carries/,
      present: { object: readyPod('web-1', { app: 'web' }) },
    },
  ],
  'network-policy-selects-nothing': [
    {
      what: 'a NetworkPolicy’s podSelector and the pods read',
      kind: 'Pod',
      objects: [
        {
          kind: 'NetworkPolicy',
          apiVersion: 'networking.k8s.io/v1',
          metadata: meta('web-ingress'),
          spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [] },
        },
      ],
      missing: /which no pod in shop carries/,
      present: { object: readyPod('web-1', { app: 'web' }) },
    },
  ],
  'recent-change': { none: 'reports changes recorded or seen in status: what changed, not what is there' },
  'change-suspect': {
    none: 'ranks changes against failures of objects it found (present), never of absent ones',
  },
  'chaos-experiment': { none: 'names the pods an experiment faults, which the graph found' },
  'container-create-error': {
    none: 'reads the runtime’s own words about a container; names no other object',
  },
  'crash-loop': { none: 'a container’s exits and logs; refers to no other object' },
  'init-container-failure': { none: 'an init container’s exits; refers to no other object' },
  'dependency-rejects-credentials': {
    none: 'quotes what a dependency answered (logs); names the Secret the pod reads it from, whether read or not',
  },
  'out-of-memory': { none: 'a container’s kills and usage; refers to no other object' },
  'probe-failure': { none: 'a container’s probes; refers to no other object' },
  'restart-flapping': { none: 'a container’s restarts; refers to no other object' },
  'pod-evicted': {
    none: 'the kubelet’s eviction message and the node found; says nothing of a node not found',
  },
  'node-not-ready': { none: 'a node’s own conditions; lists pods found bound to it' },
  'job-failed': { none: 'a Job’s own status and the pods found' },
  'cronjob-problem': { none: 'a CronJob’s own status and the Jobs found; its counts come from its status' },
  'daemonset-misscheduled': { none: 'nodes and pods found; says nothing of nodes not read' },
  'workload-unavailable': { none: 'a workload’s own status counts' },
  'service-target-port': { none: 'compares ports of Services and pods found (present only)' },
  'call-port-unserved': { none: 'compares a call’s port with a Service found (present only)' },
  'dns-policy-cluster-names': { none: 'a pod’s own dnsPolicy and the names it dials' },
  'dependency-unreachable': {
    none: 'what a pod’s logs say of a call; the dependency’s state is other rules’ findings',
  },
  'network-policy-blocks-callers': {
    none: 'judges the callers and Services found; a namespace not read matches no namespaceSelector, and no finding says it is missing',
  },
  'pdb-no-disruptions': { none: 'a PodDisruptionBudget’s own status counts' },
  'quota-near-limit': { none: 'a quota’s own status, and the pods found that use it' },
  'missing-requests-limits': { none: 'a container’s own spec' },
  'deprecated-api': { none: 'an object’s own apiVersion' },
  'tls-expiring': { none: 'a certificate’s own dates' },
  'naked-pod': { none: 'a pod’s own ownerReferences' },
};

describe('each rule, with the kind of what it refers to read and unread', () => {
  it('every registered rule is in the table, and the table names no rule that is not', () => {
    const ids = RULES.map((rule) => rule.id).sort();
    expect(Object.keys(TABLE).sort()).toEqual(ids);
  });

  const scenarios = Object.entries(TABLE).flatMap(([ruleId, entry]) =>
    'none' in entry ? [] : entry.map((scenario) => ({ ruleId, ...scenario })),
  );
  it.each(scenarios)('$ruleId: $what', (scenario) => {
    const rule = RULES.find((r) => r.id === scenario.ruleId);
    if (rule === undefined) throw new Error(`no rule ${scenario.ruleId}`);
    const says = (objects: readonly KubeObject[], unread: ReadonlySet<string>): string[] =>
      textsOf([rule], contextWithout(objects, unread)).map((line) => line.text);
    const matches = (texts: readonly string[], pattern: RegExp | undefined): boolean =>
      pattern !== undefined && texts.some((text) => pattern.test(text));
    if (scenario.missing === undefined && scenario.present?.says === undefined)
      throw new Error('a scenario shows at least one statement: missing, or present');

    const read = says(scenario.objects, new Set());
    if (scenario.missing !== undefined)
      expect(read, 'kind read, object absent').toContainEqual(expect.stringMatching(scenario.missing));

    const unread = says(scenario.objects, new Set([scenario.kind]));
    expect(matches(unread, scenario.missing), `kind unread: ${unread.join(' | ')}`).toBe(false);
    if (scenario.ref !== undefined) {
      const ref = scenario.ref;
      expect(unread.filter((text) => claimsAbout(text, ref))).toEqual([]);
    }
    if (scenario.unread !== undefined) expect(unread).toContainEqual(expect.stringMatching(scenario.unread));
    if (scenario.present?.says !== undefined)
      expect(matches(unread, scenario.present.says), 'present, said of a kind not read').toBe(false);

    if (scenario.present !== undefined) {
      const there = says([...scenario.objects, scenario.present.object], new Set());
      expect(matches(there, scenario.missing), `object there: ${there.join(' | ')}`).toBe(false);
      if (scenario.present.says !== undefined)
        expect(there).toContainEqual(expect.stringMatching(scenario.present.says));
    }
  });
});
