import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findKind } from '../../core/kinds.js';
import { createHttpTransport } from './http-transport.js';
import { loadKubeConfig } from './kubeconfig.js';
import { LiveSource } from './live-source.js';
import { HttpStatusError, RequestTimeoutError } from './transport.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let handler: Handler;
let dir: string;
let kubeconfigPath: string;

beforeEach(async () => {
  server = createServer((request, response) => {
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  dir = mkdtempSync(join(tmpdir(), 'smart-transport-'));
  kubeconfigPath = join(dir, 'config');
  writeFileSync(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: test',
      'clusters: [{ name: local, cluster: { server: "http://127.0.0.1:' + String(port) + '" } }]',
      'users: [{ name: tester, user: { token: test-token-123 } }]',
      'contexts: [{ name: test, context: { cluster: local, user: tester, namespace: shop } }]',
    ].join('\n'),
  );
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const transportFor = async (timeoutMs = 5000): Promise<ReturnType<typeof createHttpTransport>> =>
  createHttpTransport(loadKubeConfig({ kubeconfig: kubeconfigPath }), { timeoutMs, maxSockets: 2 });

describe('createHttpTransport over a real HTTP connection', () => {
  it('sends the kubeconfig token and the query, and parses the JSON body', async () => {
    const seen: { url?: string; auth?: string } = {};
    handler = (request, response) => {
      seen.url = request.url;
      seen.auth = request.headers.authorization;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ kind: 'PodList', items: [] }));
    };
    const transport = await transportFor();
    expect(
      await transport.getJson('/api/v1/namespaces/shop/pods', { limit: '500', continue: 'abc=' }),
    ).toEqual({ kind: 'PodList', items: [] });
    expect(seen).toEqual({
      url: '/api/v1/namespaces/shop/pods?limit=500&continue=abc%3D',
      auth: 'Bearer test-token-123',
    });
    transport.close();
  });

  it('raises the status and the Status message on a non-2xx answer', async () => {
    handler = (_request, response) => {
      response.statusCode = 403;
      response.end(
        JSON.stringify({
          kind: 'Status',
          code: 403,
          message: 'pods is forbidden: User "bob" cannot list resource "pods"',
        }),
      );
    };
    const transport = await transportFor();
    const error = await transport.getJson('/api/v1/pods', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({
      status: 403,
      message: '/api/v1/pods: HTTP 403: pods is forbidden: User "bob" cannot list resource "pods"',
    });
    transport.close();
  });

  it('writes a JSON body with PUT and POST, and a 409 comes back as the status', async () => {
    const seen: { method?: string; type?: string; auth?: string; body: string }[] = [];
    handler = (request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push({
          ...(request.method === undefined ? {} : { method: request.method }),
          ...(request.headers['content-type'] === undefined ? {} : { type: request.headers['content-type'] }),
          ...(request.headers.authorization === undefined ? {} : { auth: request.headers.authorization }),
          body,
        });
        if (request.method === 'PUT') {
          response.statusCode = 409;
          response.end(
            JSON.stringify({
              kind: 'Status',
              code: 409,
              reason: 'Conflict',
              message: 'the object has been modified',
            }),
          );
          return;
        }
        response.statusCode = 201;
        response.end(body);
      });
    };
    const transport = await transportFor();
    const lease = { kind: 'Lease', metadata: { name: 'agent' }, spec: { holderIdentity: 'a' } };
    expect(
      await transport.sendJson('POST', '/apis/coordination.k8s.io/v1/namespaces/ops/leases', lease),
    ).toEqual(lease);
    const conflict = await transport
      .sendJson('PUT', '/apis/coordination.k8s.io/v1/namespaces/ops/leases/agent', lease)
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(HttpStatusError);
    expect(conflict).toMatchObject({ status: 409 });
    expect(seen).toEqual([
      {
        method: 'POST',
        type: 'application/json',
        auth: 'Bearer test-token-123',
        body: JSON.stringify(lease),
      },
      { method: 'PUT', type: 'application/json', auth: 'Bearer test-token-123', body: JSON.stringify(lease) },
    ]);
    transport.close();
  });

  it('gives up on a request that does not answer in time', async () => {
    handler = () => {
      // Never answers.
    };
    const transport = await transportFor(100);
    await expect(transport.getJson('/api/v1/pods', {})).rejects.toBeInstanceOf(RequestTimeoutError);
    transport.close();
  });

  it('streams a watch line by line until aborted', async () => {
    handler = (_request, response) => {
      response.write('{"type":"ADDED","object":{"n":1}}\n{"type":"MOD');
      setTimeout(() => response.write('IFIED","object":{"n":2}}\n'), 20);
    };
    const transport = await transportFor();
    const controller = new AbortController();
    const lines: string[] = [];
    await transport.streamLines(
      '/api/v1/events',
      { watch: 'true' },
      (line) => {
        lines.push(line);
        if (lines.length === 2) controller.abort();
      },
      controller.signal,
    );
    expect(lines).toEqual(['{"type":"ADDED","object":{"n":1}}', '{"type":"MODIFIED","object":{"n":2}}']);
    transport.close();
  });

  it('carries a paginated list through LiveSource end to end', async () => {
    const requests: string[] = [];
    handler = (request, response) => {
      requests.push(request.url ?? '');
      const url = new URL(request.url ?? '/', 'http://x');
      const page = url.searchParams.get('continue') === null ? 0 : 1;
      response.end(
        JSON.stringify({
          kind: 'PodList',
          metadata: page === 0 ? { continue: 'next' } : {},
          items: [{ metadata: { name: `pod-${String(page)}`, namespace: 'shop' } }],
        }),
      );
    };
    const loaded = loadKubeConfig({ kubeconfig: kubeconfigPath });
    const transport = await createHttpTransport(loaded, { timeoutMs: 5000, maxSockets: 2 });
    const source = new LiveSource({ transport, defaultNamespace: loaded.namespace });
    const { snapshot } = await source.load({
      kinds: [findKind('pods')!],
      namespace: source.defaultNamespace,
    });
    source.close();
    expect(requests).toEqual([
      '/api/v1/namespaces/shop/pods?limit=500',
      '/api/v1/namespaces/shop/pods?limit=500&continue=next',
    ]);
    expect(snapshot.ofKind('Pod').map((p) => p.metadata.name)).toEqual(['pod-0', 'pod-1']);
  });
});

describe('loadKubeConfig', () => {
  it('takes the namespace of the context, and switches context with --context', () => {
    expect(loadKubeConfig({ kubeconfig: kubeconfigPath })).toMatchObject({
      contextName: 'test',
      namespace: 'shop',
    });
    expect(() => loadKubeConfig({ kubeconfig: kubeconfigPath, context: 'prod' })).toThrow(
      'context "prod" is not in the kubeconfig (known: test)',
    );
  });

  it('says what to do when there is no kubeconfig at all', () => {
    const empty = mkdtempSync(join(tmpdir(), 'smart-home-'));
    try {
      expect(() => loadKubeConfig({ env: { HOME: empty } })).toThrow(
        'no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster; pass --kubeconfig FILE, or --from DIR to read files',
      );
      expect(() => loadKubeConfig({ kubeconfig: join(empty, 'nope') })).toThrow(
        `--kubeconfig ${join(empty, 'nope')}: no such file`,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads KUBECONFIG from the environment it is given, merging files with the first one winning', () => {
    expect(loadKubeConfig({ env: { KUBECONFIG: kubeconfigPath, HOME: dir } }).contextName).toBe('test');
    const second = join(dir, 'second');
    writeFileSync(
      second,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: prod',
        'clusters: [{ name: local, cluster: { server: "https://other.example:6443" } }, { name: prod, cluster: { server: "https://prod.example:6443" } }]',
        'users: [{ name: tester, user: { token: other } }]',
        'contexts: [{ name: prod, context: { cluster: prod, user: tester } }]',
      ].join('\n'),
    );
    const merged = loadKubeConfig({ env: { KUBECONFIG: `${kubeconfigPath}:${second}`, HOME: dir } });
    expect(merged.contextName).toBe('test');
    expect(merged.cluster.server).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(merged.user).toEqual({ token: 'test-token-123' });
    expect(merged.contexts).toEqual(['test', 'prod']);
    expect(
      loadKubeConfig({ env: { KUBECONFIG: `${kubeconfigPath}:${second}`, HOME: dir }, context: 'prod' })
        .namespace,
    ).toBe('default');
  });
});
