/**
 * The live source against the real kube-apiserver of the test control plane: paginated lists,
 * data gaps for what the read-only user may not read, logs through the API server, and the CLI
 * end to end. (The request pattern in isolation is tested against a fake in src/kube/live.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { KINDS, findKind } from '../../src/core/kinds.js';
import { createHttpTransport } from '../../src/kube/live/http-transport.js';
import { loadKubeConfig } from '../../src/kube/live/kubeconfig.js';
import { LiveSource } from '../../src/kube/live/live-source.js';
import type { KubeTransport } from '../../src/kube/live/transport.js';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster, type ClusterHandle } from './harness.ts';

const NS = 'live-source';
let cluster: ClusterHandle;

/** A transport that counts what it is asked, to check the request pattern on the real server. */
async function countingTransport(kubeconfig: string): Promise<{ transport: KubeTransport; paths: string[] }> {
  const inner = await createHttpTransport(loadKubeConfig({ kubeconfig }), {
    timeoutMs: 20_000,
    maxSockets: 6,
  });
  const paths: string[] = [];
  return {
    paths,
    transport: {
      ...inner,
      server: inner.server,
      getJson: (path, query) => {
        paths.push(`${path}?${new URLSearchParams(query).toString()}`);
        return inner.getJson(path, query);
      },
    },
  };
}

async function created(response: Promise<{ status: number; text: string }>): Promise<void> {
  const { status, text } = await response;
  if (status >= 300) throw new Error(`create failed: ${String(status)} ${text}`);
}

beforeAll(async () => {
  cluster = connectCluster();
  await created(
    cluster.admin.request('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS },
    }),
  );
  // 130 ConfigMaps (plus the kube-root-ca.crt one the controller adds) and a Secret.
  await Promise.all(
    Array.from({ length: 130 }, (_, i) =>
      created(
        cluster.admin.request('POST', `/api/v1/namespaces/${NS}/configmaps`, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `cm-${String(i).padStart(3, '0')}`, labels: { batch: 'pagination' } },
          data: { index: String(i) },
        }),
      ),
    ),
  );
  await created(
    cluster.admin.request('POST', `/api/v1/namespaces/${NS}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      stringData: { password: 'correct-horse-battery-staple' },
    }),
  );
});

describe('LiveSource on the real API server', () => {
  it('lists page by page with limit and continue, one list per kind', async () => {
    const { transport, paths } = await countingTransport(cluster.kubeconfigAdmin);
    const source = new LiveSource({ transport, defaultNamespace: 'default', pageSize: 50 });
    const { snapshot, gaps } = await source.load({
      kinds: [findKind('configmaps')!, findKind('secrets')!],
      namespace: NS,
    });
    source.close();
    expect(gaps).toEqual([]);
    const configMaps = snapshot
      .ofKind('ConfigMap')
      .filter((cm) => cm.metadata.labels?.batch === 'pagination');
    expect(configMaps).toHaveLength(130);
    expect(new Set(configMaps.map((cm) => cm.metadata.name)).size).toBe(130);
    const configMapRequests = paths.filter((p) => p.startsWith(`/api/v1/namespaces/${NS}/configmaps?`));
    // 131 objects in pages of 50: three requests, the later two carrying the server's continue token.
    expect(configMapRequests).toHaveLength(3);
    expect(configMapRequests[0]).toBe(`/api/v1/namespaces/${NS}/configmaps?limit=50`);
    expect(configMapRequests.slice(1).every((p) => p.includes('&continue='))).toBe(true);
    // The admin may read the Secret, but its value never reaches the snapshot.
    expect(snapshot.get({ kind: 'Secret', namespace: NS, name: 'db' })).toMatchObject({
      data: { password: '' },
    });
    expect(JSON.stringify([...snapshot.all()])).not.toContain('Y29ycmVjdC1ob3JzZ');
  });

  it('turns what the read-only user may not read into data gaps, and reads the rest', async () => {
    const { transport } = await countingTransport(cluster.kubeconfigReadOnly);
    const source = new LiveSource({ transport, defaultNamespace: 'default' });
    const { snapshot, gaps } = await source.load({ kinds: KINDS, namespace: NS });
    source.close();
    expect(gaps).toContainEqual({
      resource: 'secrets',
      namespace: NS,
      reason: 'forbidden',
      message: `secrets is forbidden: User "smart-readonly" cannot list resource "secrets" in API group "" in the namespace "${NS}"`,
      check: `kubectl auth can-i list secrets -n ${NS}`,
    });
    expect(gaps.every((gap) => gap.reason === 'forbidden')).toBe(true);
    expect(snapshot.ofKind('ConfigMap', NS).length).toBeGreaterThanOrEqual(130);
    expect(snapshot.ofKind('Node').length).toBeGreaterThan(0);
    expect(snapshot.coverage.covers('Secret', NS)).toBe(false);
  });

  it('reads current and previous logs through the API server', async () => {
    await created(
      cluster.admin.request('POST', `/api/v1/namespaces/${NS}/pods`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'logger' },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1.0' }] },
      }),
    );
    await cluster.setPodLogs(NS, 'logger', {
      container: 'app',
      current: 'starting\nready\n',
      previous: 'panic: invalid CACHE_SIZE "unlimited"\n',
    });
    const transport = await createHttpTransport(loadKubeConfig({ kubeconfig: cluster.kubeconfigReadOnly }), {
      timeoutMs: 20_000,
      maxSockets: 2,
    });
    const path = `/api/v1/namespaces/${NS}/pods/logger/log`;
    let current = '';
    for (let attempt = 0; attempt < 60 && !current.includes('ready'); attempt++) {
      current = await transport.getText(path, { container: 'app' }).catch(() => '');
      if (!current.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(current).toBe('starting\nready\n');
    expect(await transport.getText(path, { container: 'app', previous: 'true' })).toBe(
      'panic: invalid CACHE_SIZE "unlimited"\n',
    );
    transport.close();
  });
});

describe('the read-only user', () => {
  it('can write nothing: every write verb answers 403', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm-000', namespace: NS },
      data: { index: 'changed' },
    };
    const attempts: [string, string, unknown, string?][] = [
      ['POST', `/api/v1/namespaces/${NS}/configmaps`, { ...body, metadata: { name: 'new' } }],
      ['PUT', `/api/v1/namespaces/${NS}/configmaps/cm-000`, body],
      [
        'PATCH',
        `/api/v1/namespaces/${NS}/configmaps/cm-000`,
        { data: { index: 'x' } },
        'application/merge-patch+json',
      ],
      ['DELETE', `/api/v1/namespaces/${NS}/configmaps/cm-000`, undefined],
      ['DELETE', `/api/v1/namespaces/${NS}/configmaps`, undefined],
      [
        'POST',
        `/api/v1/namespaces/${NS}/pods`,
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'x' },
          spec: { containers: [{ name: 'a', image: 'a' }] },
        },
      ],
      [
        'POST',
        `/api/v1/namespaces/${NS}/pods/logger/eviction`,
        { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'logger', namespace: NS } },
      ],
      [
        'PATCH',
        '/api/v1/nodes/kwok-node-0',
        { spec: { unschedulable: true } },
        'application/merge-patch+json',
      ],
      [
        'POST',
        '/apis/apps/v1/namespaces/default/deployments',
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } },
      ],
      [
        'POST',
        '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' } },
      ],
    ];
    const statuses = await Promise.all(
      attempts.map(async ([method, path, payload, contentType]) => {
        const response = await cluster.readOnly.request(
          method,
          path,
          payload,
          contentType === undefined ? {} : { contentType },
        );
        return `${method} ${path} → ${String(response.status)}`;
      }),
    );
    expect(statuses).toEqual(attempts.map(([method, path]) => `${method} ${path} → 403`));
  });
});

describe('kubectl smart against the real API server', () => {
  it('draws deps with the read-only kubeconfig and reports Secrets as a data gap', async () => {
    await created(
      cluster.admin.request('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              containers: [
                {
                  name: 'web',
                  image: 'registry.example/web:1.0',
                  envFrom: [{ configMapRef: { name: 'cm-001' } }, { secretRef: { name: 'db' } }],
                },
              ],
            },
          },
        },
      }),
    );
    let result = { code: -1 as number | null, stdout: '', stderr: '' };
    for (let attempt = 0; attempt < 60; attempt++) {
      result = await runCli(
        ['deps', 'deploy/web', '-n', NS, '--depth', '2', '--kubeconfig', cluster.kubeconfigReadOnly],
        { env: { NO_COLOR: '1' } },
      );
      if (result.stdout.startsWith('Deployment/web  ready')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Deployment/web  ready');
    expect(lines[1]).toMatch(/^└── owns → ReplicaSet\/web-[a-z0-9]+ {2}ready$/);
    expect(lines.filter((line) => /owns → Pod\/web-[a-z0-9]+-[a-z0-9]{5} {2}ready$/.test(line))).toHaveLength(
      2,
    );
    expect(result.stdout).toContain('DATA GAPS (the answer above is partial)');
    expect(result.stdout).toContain(`check: kubectl auth can-i list secrets -n ${NS}`);
  });
});
