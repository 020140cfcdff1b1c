import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KINDS, findKind } from '../../core/kinds.js';
import type { Snapshot } from '../../core/snapshot.js';
import { parseDocumentStream } from './document-stream.js';
import { FilesSource } from './files-source.js';

// What `kubectl cluster-info dump` writes: typed lists whose items carry no kind, in the order
// nodes, then per namespace events, replication-controllers, services, daemonsets, deployments,
// replicasets, pods, then each pod's container logs (init containers first).

type Item = Record<string, unknown>;
const list = (kind: string, apiVersion: string, items: Item[]): Item => ({
  kind: `${kind}List`,
  apiVersion,
  metadata: { resourceVersion: '48500' },
  items,
});
const owner = (kind: string, name: string, uid: string): Item[] => [
  { apiVersion: 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true },
];

const node: Item = {
  metadata: {
    name: 'worker-1',
    uid: '6f1e2d3c-0000-4000-8000-000000000001',
    creationTimestamp: '2026-11-19T09:00:00Z',
    labels: { 'kubernetes.io/hostname': 'worker-1', 'kubernetes.io/os': 'linux' },
  },
  spec: { podCIDR: '10.244.1.0/24' },
  status: {
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        lastHeartbeatTime: '2026-11-20T03:11:40Z',
        lastTransitionTime: '2026-11-19T09:01:00Z',
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status',
      },
    ],
  },
};

const shop = {
  deployment: {
    metadata: {
      name: 'api',
      namespace: 'shop',
      uid: '6f1e2d3c-0000-4000-8000-000000000010',
      creationTimestamp: '2026-11-20T03:03:50Z',
      labels: { app: 'api' },
    },
    spec: { replicas: 1, selector: { matchLabels: { app: 'api' } } },
    status: { replicas: 1, unavailableReplicas: 1 },
  },
  replicaSet: {
    metadata: {
      name: 'api-7d9f8c',
      namespace: 'shop',
      uid: '6f1e2d3c-0000-4000-8000-000000000011',
      creationTimestamp: '2026-11-20T03:03:50Z',
      ownerReferences: owner('Deployment', 'api', '6f1e2d3c-0000-4000-8000-000000000010'),
    },
    spec: { replicas: 1 },
  },
  pod: {
    metadata: {
      name: 'api-7d9f8c-x2x9q',
      namespace: 'shop',
      uid: '6f1e2d3c-0000-4000-8000-000000000012',
      creationTimestamp: '2026-11-20T03:04:02Z',
      labels: { app: 'api', 'pod-template-hash': '7d9f8c' },
      ownerReferences: owner('ReplicaSet', 'api-7d9f8c', '6f1e2d3c-0000-4000-8000-000000000011'),
    },
    spec: {
      initContainers: [{ name: 'migrate', image: 'registry.example.com/api-migrate:1.15' }],
      containers: [{ name: 'api', image: 'registry.example.com/api:1.15' }],
      nodeName: 'worker-1',
    },
    status: { phase: 'Running' },
  },
  service: {
    metadata: { name: 'api', namespace: 'shop', uid: '6f1e2d3c-0000-4000-8000-000000000013' },
    spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
  },
  event: {
    metadata: {
      name: 'api-7d9f8c-x2x9q.17e1a3c4d5e6f7a8',
      namespace: 'shop',
      uid: '6f1e2d3c-0000-4000-8000-000000000014',
      creationTimestamp: '2026-11-20T03:04:10Z',
    },
    involvedObject: {
      kind: 'Pod',
      namespace: 'shop',
      name: 'api-7d9f8c-x2x9q',
      uid: '6f1e2d3c-0000-4000-8000-000000000012',
      apiVersion: 'v1',
      fieldPath: 'spec.containers{api}',
    },
    reason: 'BackOff',
    message:
      'Back-off restarting failed container api in pod api-7d9f8c-x2x9q_shop(6f1e2d3c-0000-4000-8000-000000000012)',
    source: { component: 'kubelet', host: 'worker-1' },
    firstTimestamp: '2026-11-20T03:04:10Z',
    lastTimestamp: '2026-11-20T03:11:42Z',
    count: 31,
    type: 'Warning',
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'worker-1',
  },
};

const kubeSystem = {
  daemonSet: {
    metadata: {
      name: 'kube-proxy',
      namespace: 'kube-system',
      uid: '6f1e2d3c-0000-4000-8000-000000000020',
      creationTimestamp: '2026-11-19T09:00:30Z',
    },
    spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } } },
  },
  pod: {
    metadata: {
      name: 'kube-proxy-7xk2p',
      namespace: 'kube-system',
      uid: '6f1e2d3c-0000-4000-8000-000000000021',
      creationTimestamp: '2026-11-19T09:01:05Z',
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: 'kube-proxy',
          uid: '6f1e2d3c-0000-4000-8000-000000000020',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.31.2' }],
      nodeName: 'worker-1',
    },
    status: { phase: 'Running' },
  },
};

const shopLists = [
  ['events', list('Event', 'v1', [shop.event])],
  ['replication-controllers', list('ReplicationController', 'v1', [])],
  ['services', list('Service', 'v1', [shop.service])],
  ['daemonsets', list('DaemonSet', 'apps/v1', [])],
  ['deployments', list('Deployment', 'apps/v1', [shop.deployment])],
  ['replicasets', list('ReplicaSet', 'apps/v1', [shop.replicaSet])],
  ['pods', list('Pod', 'v1', [shop.pod])],
] as const;
const kubeSystemLists = [
  ['events', list('Event', 'v1', [])],
  ['replication-controllers', list('ReplicationController', 'v1', [])],
  ['services', list('Service', 'v1', [])],
  ['daemonsets', list('DaemonSet', 'apps/v1', [kubeSystem.daemonSet])],
  ['deployments', list('Deployment', 'apps/v1', [])],
  ['replicasets', list('ReplicaSet', 'apps/v1', [])],
  ['pods', list('Pod', 'v1', [kubeSystem.pod])],
] as const;

const block = (container: string, pod: string, log: string): string =>
  `==== START logs for container ${container} of pod ${pod} ====\n${log}==== END logs for container ${container} of pod ${pod} ====\n`;
// The migration log ends with a newline; the api log does not, so its END marker follows the last
// line directly, as kubectl writes it.
const shopLogs =
  block('migrate', 'shop/api-7d9f8c-x2x9q', 'applying migration 0042_orders\nmigrations done\n') +
  block('api', 'shop/api-7d9f8c-x2x9q', 'starting api 1.15\npanic: invalid CACHE_SIZE "unlimited"');
const kubeSystemLogs = block(
  'kube-proxy',
  'kube-system/kube-proxy-7xk2p',
  'I1119 09:01:07.123456       1 server_linux.go:66] "Using iptables proxy"\n',
);

/** kubectl prints each object as 4-space indented JSON followed by a newline. */
const printed = (value: unknown): string => `${JSON.stringify(value, null, 4)}\n`;

const stdoutDump = [
  printed(list('Node', 'v1', [node])),
  ...shopLists.map(([, value]) => printed(value)),
  shopLogs,
  ...kubeSystemLists.map(([, value]) => printed(value)),
  kubeSystemLogs,
].join('');

const objectNames = (snapshot: Snapshot): string[] =>
  [...snapshot.all()].map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();

const everything = [
  'DaemonSet/kube-system/kube-proxy',
  'Deployment/shop/api',
  'Event/shop/api-7d9f8c-x2x9q.17e1a3c4d5e6f7a8',
  'Node//worker-1',
  'Pod/kube-system/kube-proxy-7xk2p',
  'Pod/shop/api-7d9f8c-x2x9q',
  'ReplicaSet/shop/api-7d9f8c',
  'Service/shop/api',
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smart-dump-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (path: string, text: string): string => {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
};

describe('kubectl cluster-info dump on stdout', () => {
  it('parses every list and every log block, with the line each list starts on', () => {
    const parsed = parseDocumentStream(stdoutDump, 'cluster-info.dump');
    const lines = stdoutDump.split('\n');
    const startLines = lines.flatMap((line, index) => (line === '{' ? [index + 1] : []));
    expect(parsed.documents.map((d) => [(d.value as { kind: string }).kind, d.line])).toEqual(
      [
        'NodeList',
        ...shopLists.map(([, value]) => value.kind as string),
        ...kubeSystemLists.map(([, value]) => value.kind as string),
      ].map((kind, index) => [kind, startLines[index]]),
    );
    expect(parsed.logs).toEqual([
      {
        namespace: 'shop',
        pod: 'api-7d9f8c-x2x9q',
        container: 'migrate',
        previous: false,
        text: 'applying migration 0042_orders\nmigrations done',
      },
      {
        namespace: 'shop',
        pod: 'api-7d9f8c-x2x9q',
        container: 'api',
        previous: false,
        text: 'starting api 1.15\npanic: invalid CACHE_SIZE "unlimited"',
      },
      {
        namespace: 'kube-system',
        pod: 'kube-proxy-7xk2p',
        container: 'kube-proxy',
        previous: false,
        text: 'I1119 09:01:07.123456       1 server_linux.go:66] "Using iptables proxy"',
      },
    ]);
  });

  it('keeps a log line that failed to be fetched as the log text', () => {
    const text =
      printed(list('Pod', 'v1', [])) +
      '==== START logs for container api of pod shop/api-7d9f8c-x2x9q ====\n' +
      'Request log error: container "api" in pod "api-7d9f8c-x2x9q" is waiting to start: trying and failing to pull image\n' +
      '==== END logs for container api of pod shop/api-7d9f8c-x2x9q ====\n';
    expect(parseDocumentStream(text, 'cluster-info.dump').logs).toEqual([
      {
        namespace: 'shop',
        pod: 'api-7d9f8c-x2x9q',
        container: 'api',
        previous: false,
        text: 'Request log error: container "api" in pod "api-7d9f8c-x2x9q" is waiting to start: trying and failing to pull image',
      },
    ]);
  });

  it('reads as a snapshot through FilesSource: objects with their kinds, logs, events, the capture time', async () => {
    const file = write('cluster-info.dump', stdoutDump);
    const { snapshot, gaps } = await new FilesSource({ paths: [file] }).load({ kinds: KINDS });
    expect(gaps).toEqual([]);
    expect(objectNames(snapshot)).toEqual(everything);
    expect(snapshot.get({ kind: 'Deployment', namespace: 'shop', name: 'api' })).toEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      ...shop.deployment,
    });
    expect(snapshot.log('shop', 'api-7d9f8c-x2x9q', 'api', false)?.text).toBe(
      'starting api 1.15\npanic: invalid CACHE_SIZE "unlimited"',
    );
    expect(snapshot.log('shop', 'api-7d9f8c-x2x9q', 'api', true)).toBeUndefined();
    expect(snapshot.events().map((e) => [e.reason, e.involved.name, e.count])).toEqual([
      ['BackOff', 'api-7d9f8c-x2x9q', 31],
    ]);
    // The newest timestamp anywhere in the dump: the event's lastTimestamp.
    expect(snapshot.capturedAt.toISOString()).toBe('2026-11-20T03:11:42.000Z');
    // An empty list in the dump still says the kind was read.
    expect(snapshot.coverage.covers('ReplicationController', 'shop')).toBe(true);
  });
});

describe('kubectl cluster-info dump --output-directory', () => {
  beforeEach(() => {
    write('nodes.json', printed(list('Node', 'v1', [node])));
    for (const [name, value] of shopLists) write(`shop/${name}.json`, printed(value));
    for (const [name, value] of kubeSystemLists) write(`kube-system/${name}.json`, printed(value));
    write('shop/api-7d9f8c-x2x9q/logs.txt', shopLogs);
    write('kube-system/kube-proxy-7xk2p/logs.txt', kubeSystemLogs);
  });

  it('reads every object, restoring each list item’s kind and apiVersion', async () => {
    const { snapshot } = await new FilesSource({ paths: [dir] }).load({ kinds: KINDS });
    expect(objectNames(snapshot)).toEqual(everything);
    expect(snapshot.get({ kind: 'Pod', namespace: 'shop', name: 'api-7d9f8c-x2x9q' })).toEqual({
      kind: 'Pod',
      apiVersion: 'v1',
      ...shop.pod,
    });
    expect(snapshot.get({ kind: 'Node', name: 'worker-1' })).toEqual({
      kind: 'Node',
      apiVersion: 'v1',
      ...node,
    });
    expect(snapshot.capturedAt.toISOString()).toBe('2026-11-20T03:11:42.000Z');
  });

  it('reads every container’s log from POD/logs.txt, init containers included', async () => {
    const { snapshot } = await new FilesSource({ paths: [dir] }).load({ kinds: KINDS });
    expect(snapshot.log('shop', 'api-7d9f8c-x2x9q', 'migrate', false)).toEqual({
      namespace: 'shop',
      pod: 'api-7d9f8c-x2x9q',
      container: 'migrate',
      previous: false,
      text: 'applying migration 0042_orders\nmigrations done',
    });
    expect(snapshot.log('shop', 'api-7d9f8c-x2x9q', 'api', false)?.text).toBe(
      'starting api 1.15\npanic: invalid CACHE_SIZE "unlimited"',
    );
    expect(snapshot.log('kube-system', 'kube-proxy-7xk2p', 'kube-proxy', false)?.text).toBe(
      'I1119 09:01:07.123456       1 server_linux.go:66] "Using iptables proxy"',
    );
  });

  it('counts a kind as read in a namespace whose directory holds its list, even an empty one', async () => {
    const { snapshot } = await new FilesSource({ paths: [dir] }).load({ kinds: KINDS });
    const covered = (kind: string, namespace: string | undefined): boolean =>
      snapshot.coverage.covers(kind, namespace);
    expect({
      replicationControllersInShop: covered('ReplicationController', 'shop'),
      daemonSetsInShop: covered('DaemonSet', 'shop'),
      deploymentsInKubeSystem: covered('Deployment', 'kube-system'),
      eventsInKubeSystem: covered('Event', 'kube-system'),
      podsInShop: covered('Pod', 'shop'),
      nodes: covered('Node', undefined),
      // Not dumped: no verdict about it.
      podsInDefault: covered('Pod', 'default'),
      replicationControllersInDefault: covered('ReplicationController', 'default'),
      configMapsInShop: covered('ConfigMap', 'shop'),
    }).toEqual({
      replicationControllersInShop: true,
      daemonSetsInShop: true,
      deploymentsInKubeSystem: true,
      eventsInKubeSystem: true,
      podsInShop: true,
      nodes: true,
      podsInDefault: false,
      replicationControllersInDefault: false,
      configMapsInShop: false,
    });
  });

  it('keeps only the namespace asked for, with cluster-scoped objects and that namespace’s logs', async () => {
    const { snapshot } = await new FilesSource({ paths: [dir] }).load({
      kinds: KINDS,
      namespace: 'kube-system',
    });
    expect(objectNames(snapshot)).toEqual([
      'DaemonSet/kube-system/kube-proxy',
      'Node//worker-1',
      'Pod/kube-system/kube-proxy-7xk2p',
    ]);
    expect([...snapshot.logs()].map((log) => `${log.namespace}/${log.pod}/${log.container}`)).toEqual([
      'kube-system/kube-proxy-7xk2p/kube-proxy',
    ]);
    expect(snapshot.events()).toEqual([]);
  });

  it('keeps only the kinds asked for, and claims to have read no other', async () => {
    const { snapshot } = await new FilesSource({ paths: [dir] }).load({
      kinds: [findKind('pods')!, findKind('events')!],
    });
    expect(objectNames(snapshot)).toEqual([
      'Event/shop/api-7d9f8c-x2x9q.17e1a3c4d5e6f7a8',
      'Pod/kube-system/kube-proxy-7xk2p',
      'Pod/shop/api-7d9f8c-x2x9q',
    ]);
    expect([snapshot.coverage.covers('Pod', 'shop'), snapshot.coverage.covers('Deployment', 'shop')]).toEqual(
      [true, false],
    );
  });

  it('reads the files once, however many loads follow', async () => {
    const source = new FilesSource({ paths: [dir] });
    await source.load({ kinds: KINDS });
    rmSync(join(dir, 'shop'), { recursive: true, force: true });
    const { snapshot } = await source.load({ kinds: KINDS, namespace: 'shop' });
    expect(snapshot.get({ kind: 'Pod', namespace: 'shop', name: 'api-7d9f8c-x2x9q' })?.kind).toBe('Pod');
  });
});
