import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, kindInfo } from '../../src/core/kinds.js';
import type { KubeObject } from '../../src/core/kube-object.js';
import { FilesSource } from '../../src/kube/files/files-source.js';
import { example, runCli } from './run-cli.js';

/**
 * An HTTP API server serving the example cluster the way kube-apiserver serves collections:
 * per kind, per namespace or across all, in pages of `limit`. It forbids Secrets, as RBAC does for
 * a read-only user, and records every request. (The real kube-apiserver runs in test/cluster.)
 */
let server: Server;
let dir: string;
let kubeconfig: string;
const requests: string[] = [];

beforeAll(async () => {
  const { snapshot } = await new FilesSource({ paths: [example] }).load({ kinds: KINDS });
  const objects = [...snapshot.all()];
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://api');
    const match = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(
      url.pathname,
    );
    const kind = KINDS.find((k) => k.plural === match?.[4] && k.group === (match[1] ?? ''));
    response.setHeader('content-type', 'application/json');
    if (match === null || kind === undefined) {
      response.statusCode = 404;
      response.end(
        '{"kind":"Status","code":404,"message":"the server could not find the requested resource"}',
      );
      return;
    }
    if (kind.kind === 'Secret') {
      response.statusCode = 403;
      response.end(
        JSON.stringify({
          kind: 'Status',
          code: 403,
          reason: 'Forbidden',
          message: `secrets is forbidden: User "smart-readonly" cannot list resource "secrets" in API group "" in the namespace "${match[3] ?? ''}"`,
        }),
      );
      return;
    }
    const namespace = match[3];
    const items = objects.filter(
      (o: KubeObject) =>
        o.kind === kind.kind && (namespace === undefined || o.metadata.namespace === namespace),
    );
    const limit = Number(url.searchParams.get('limit') ?? items.length);
    const start = Number(url.searchParams.get('continue') ?? 0);
    // List items carry no kind or apiVersion, as the API server sends them.
    const page = items.slice(start, start + limit).map((item) => {
      const bare: Record<string, unknown> = { ...item };
      delete bare.kind;
      delete bare.apiVersion;
      return bare;
    });
    const more = start + limit < items.length;
    response.end(
      JSON.stringify({
        kind: `${kind.kind}List`,
        apiVersion: kindInfo(kind.kind)?.version,
        metadata: { resourceVersion: '48300', ...(more ? { continue: String(start + limit) } : {}) },
        items: page,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'smart-live-'));
  kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
current-context: shop
clusters: [{ name: local, cluster: { server: "http://127.0.0.1:${String((server.address() as AddressInfo).port)}" } }]
users: [{ name: reader, user: { token: read-only-token } }]
contexts: [{ name: shop, context: { cluster: local, user: reader, namespace: shop } }]
`,
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('deps against a live API server', () => {
  it('lists each kind once (no request per object), reports Secrets as a data gap, and answers the same as from files', async () => {
    requests.length = 0;
    const live = await runCli(['deps', 'deploy/payments', '--kubeconfig', kubeconfig], {
      env: { NO_COLOR: '1' },
    });
    expect(live.code).toBe(0);
    // One list per kind the graph needs, namespaced kinds in the context's namespace.
    expect(requests).toHaveLength(new Set(requests).size);
    expect(requests).toContain('/api/v1/namespaces/shop/pods?limit=500');
    expect(requests).toContain('/api/v1/nodes?limit=500');
    expect(requests).toContain('/apis/apps/v1/namespaces/shop/deployments?limit=500');
    expect(requests.some((r) => r.includes('/pods/'))).toBe(false);
    expect(requests.some((r) => r.includes('/events'))).toBe(false);

    expect(live.stdout).toBe(
      [
        'Deployment/payments  failing (0/1 ready)',
        '└── owns → ReplicaSet/payments-7c9d8f6b4  failing (0/1 ready)',
        '    └── owns → Pod/payments-7c9d8f6b4-q8j2x  failing (ImagePullBackOff)',
        '        ├── runs-on → Node/worker-2  ready',
        '        ├── runs-as → ServiceAccount/payments  ready',
        // Secrets could not be read: the pull Secret is unknown, not missing.
        '        └── pulls-with → Secret/regcred  unknown (not read)',
        '',
        'DATA GAPS (the answer above is partial)',
        '  secrets in shop: forbidden (secrets is forbidden: User "smart-readonly" cannot list resource "secrets" in API group "" in the namespace "shop")',
        '    check: kubectl auth can-i list secrets -n shop',
        '',
      ].join('\n'),
    );
    const files = await runCli(['deps', 'deploy/payments', '--from', example]);
    expect(files.stdout.split('\n').slice(0, 5)).toEqual(live.stdout.split('\n').slice(0, 5));
    expect(files.stdout).toContain('pulls-with → Secret/regcred  missing');
  });

  it('analyze says the pull Secret was not read, never present (issue #16), where files say missing', async () => {
    const pull = (stdout: string): string[] => [
      ...new Set(stdout.match(/pull Secret regcred \([^)]*\): [^"]*/g) ?? []),
    ];
    const live = await runCli(['analyze', 'deploy/payments', '-o', 'json', '--kubeconfig', kubeconfig]);
    expect(live.code, live.stderr).toBe(0);
    expect(pull(live.stdout)).toEqual([
      'pull Secret regcred (serviceaccount:payments): not read (Secrets were not read in shop)',
    ]);
    const files = await runCli(['analyze', 'deploy/payments', '-n', 'shop', '-o', 'json', '--from', example]);
    expect(pull(files.stdout)).toEqual(['pull Secret regcred (serviceaccount:payments): missing']);
  });

  it('puts the gaps in the JSON document too', async () => {
    const result = await runCli(['deps', 'svc/db', '-o', 'json', '--kubeconfig', kubeconfig]);
    const document = JSON.parse(result.stdout) as { gaps: unknown[] };
    expect(document.gaps).toEqual([
      {
        resource: 'secrets',
        namespace: 'shop',
        reason: 'forbidden',
        message:
          'secrets is forbidden: User "smart-readonly" cannot list resource "secrets" in API group "" in the namespace "shop"',
        check: 'kubectl auth can-i list secrets -n shop',
      },
    ]);
  });

  it('reads events across all namespaces with -A', async () => {
    requests.length = 0;
    const result = await runCli(['events', '-A', '-o', 'json', '--kubeconfig', kubeconfig]);
    expect(result.code).toBe(0);
    expect(requests).toContain('/api/v1/events?limit=500');
    const document = JSON.parse(result.stdout) as { groups: { object: { name: string } }[] };
    expect(document.groups.map((g) => g.object.name)).toEqual(['payments', 'api', 'api']);
  });
});
