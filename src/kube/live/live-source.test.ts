import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { findKind, type KindInfo } from '../../core/kinds.js';
import { LiveSource } from './live-source.js';
import { HttpStatusError, RequestTimeoutError, type KubeTransport } from './transport.js';

const kind = (name: string): KindInfo => findKind(name)!;

interface Request {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

/**
 * An API server in memory: collections by path, served in pages of `limit` with a continue token,
 * as the real one does. Records every request and the most requests ever in flight at once.
 */
class FakeApiServer implements KubeTransport {
  readonly server = 'https://fake.invalid:6443';
  readonly requests: Request[] = [];
  maxInFlight = 0;
  #inFlight = 0;
  readonly #collections: Map<string, unknown[]>;
  readonly #failures = new Map<string, () => Error>();
  readonly #expireContinueOnce = new Map<string, () => void>();

  constructor(collections: Record<string, unknown[]>) {
    this.#collections = new Map(Object.entries(collections));
  }

  failWith(path: string, error: () => Error): this {
    this.#failures.set(path, error);
    return this;
  }

  /** The first continue token on `path` has expired (410); `meanwhile` changes what the list starts over on. */
  expireFirstContinue(path: string, meanwhile?: () => void): this {
    this.#expireContinueOnce.set(path, meanwhile ?? (() => undefined));
    return this;
  }

  /** A document served as it is (an API group's discovery document), not as a list. */
  serveDocument(path: string, document: unknown): this {
    this.#documents.set(path, document);
    return this;
  }

  readonly #documents = new Map<string, unknown>();

  async getJson(path: string, query: Readonly<Record<string, string>>): Promise<unknown> {
    this.requests.push({ path, query: { ...query } });
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const failure = this.#failures.get(path);
      if (failure !== undefined) throw failure();
      if (this.#documents.has(path)) return this.#documents.get(path);
      const expire = this.#expireContinueOnce.get(path);
      if (query.continue !== undefined && expire !== undefined) {
        this.#expireContinueOnce.delete(path);
        expire();
        throw new HttpStatusError(
          410,
          JSON.stringify({
            kind: 'Status',
            code: 410,
            reason: 'Expired',
            message: 'The provided continue parameter is too old',
          }),
          path,
        );
      }
      const items = this.#collections.get(path);
      if (items === undefined)
        throw new HttpStatusError(
          404,
          '{"kind":"Status","message":"the server could not find the requested resource","code":404}',
          path,
        );
      const limit = Number(query.limit ?? items.length);
      const start = Number(query.continue ?? 0);
      const next = start + limit;
      return {
        kind: 'List',
        metadata: { resourceVersion: '100', ...(next < items.length ? { continue: String(next) } : {}) },
        items: items.slice(start, next),
      };
    } finally {
      this.#inFlight--;
    }
  }

  getText(path: string, query: Readonly<Record<string, string>>): Promise<string> {
    this.requests.push({ path, query: { ...query } });
    const failure = this.#failures.get(path);
    if (failure !== undefined) return Promise.reject(failure());
    return Promise.resolve(`log of ${path} ${query.previous === 'true' ? 'previous' : 'current'}\n`);
  }

  /** Watches answered in order: the lines each streams before it ends, and what changes as it ends. */
  readonly watches: { lines: string[]; afterwards?: () => void; fail?: () => Error }[] = [];

  streamLines(
    path: string,
    query: Readonly<Record<string, string>>,
    onLine: (line: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    this.requests.push({ path, query: { ...query } });
    const watch = this.watches.shift();
    if (watch === undefined) {
      // No more scripted watches: hang until the follower stops.
      return new Promise((resolve) => {
        signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
      });
    }
    for (const line of watch.lines) onLine(line);
    watch.afterwards?.();
    return watch.fail === undefined ? Promise.resolve() : Promise.reject(watch.fail());
  }

  setCollection(path: string, items: unknown[]): void {
    this.#collections.set(path, items);
  }

  sendJson(method: string, path: string): Promise<unknown> {
    return Promise.reject(new Error(`the live source never writes, but was asked to ${method} ${path}`));
  }

  close(): void {
    // Nothing to release.
  }
}

const pod = (name: string, namespace = 'shop'): object => ({
  metadata: { name, namespace, uid: `uid-${name}` },
  spec: {},
  status: { phase: 'Running' },
});

/** The API server's answer to a read the credentials may not make. */
const forbidden = (path: string, message: string): HttpStatusError =>
  new HttpStatusError(403, JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message }), path);

describe('LiveSource request pattern', () => {
  it('lists each kind once, page by page, in the namespace asked, and restores kind and apiVersion', async () => {
    const api = new FakeApiServer({
      '/api/v1/namespaces/shop/pods': [pod('a'), pod('b'), pod('c'), pod('d'), pod('e')],
      '/apis/apps/v1/namespaces/shop/deployments': [{ metadata: { name: 'api', namespace: 'shop' } }],
      '/api/v1/nodes': [{ metadata: { name: 'worker-1' } }],
    });
    const source = new LiveSource({
      transport: api,
      defaultNamespace: 'default',
      pageSize: 2,
      concurrency: 1,
    });
    const { snapshot, gaps } = await source.load({
      kinds: [kind('pods'), kind('deploy'), kind('nodes')],
      namespace: 'shop',
    });

    expect(api.requests).toEqual([
      { path: '/api/v1/namespaces/shop/pods', query: { limit: '2' } },
      { path: '/api/v1/namespaces/shop/pods', query: { limit: '2', continue: '2' } },
      { path: '/api/v1/namespaces/shop/pods', query: { limit: '2', continue: '4' } },
      { path: '/apis/apps/v1/namespaces/shop/deployments', query: { limit: '2' } },
      // Nodes are cluster-scoped: listed cluster-wide even with -n.
      { path: '/api/v1/nodes', query: { limit: '2' } },
    ]);
    expect(gaps).toEqual([]);
    expect(snapshot.ofKind('Pod').map((p) => p.metadata.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(snapshot.get({ kind: 'Deployment', namespace: 'shop', name: 'api' })).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'shop' },
    });
    expect(snapshot.coverage.covers('Pod', 'shop')).toBe(true);
    expect(snapshot.coverage.covers('Pod', 'other')).toBe(false);
    expect(snapshot.coverage.covers('Node', undefined)).toBe(true);
  });

  it('lists across all namespaces with one request per kind when no namespace is given', async () => {
    const api = new FakeApiServer({ '/api/v1/pods': [pod('a', 'x'), pod('b', 'y')] });
    const { snapshot } = await new LiveSource({ transport: api, defaultNamespace: 'default' }).load({
      kinds: [kind('pods')],
    });
    expect(api.requests).toEqual([{ path: '/api/v1/pods', query: { limit: '500' } }]);
    expect(snapshot.coverage.covers('Pod', 'anything')).toBe(true);
  });

  it('keeps at most `concurrency` lists in flight', async () => {
    const kinds = [
      'pods',
      'services',
      'configmaps',
      'secrets',
      'deploy',
      'rs',
      'sts',
      'ds',
      'jobs',
      'cronjobs',
    ].map(kind);
    const collections = Object.fromEntries(
      kinds.map((k) => [`${k.group === '' ? '/api/v1' : `/apis/${k.group}/${k.version}`}/${k.plural}`, []]),
    );
    const api = new FakeApiServer(collections);
    await new LiveSource({ transport: api, defaultNamespace: 'default', concurrency: 3 }).load({ kinds });
    expect(api.requests).toHaveLength(10);
    expect(api.maxInFlight).toBe(3);
  });

  it('turns 403, 404 and a timeout on one kind into data gaps and answers with the rest', async () => {
    const api = new FakeApiServer({ '/api/v1/namespaces/shop/pods': [pod('a')] })
      .failWith('/api/v1/namespaces/shop/secrets', () =>
        forbidden(
          '/api/v1/namespaces/shop/secrets',
          'secrets is forbidden: User "smart-readonly" cannot list resource "secrets" in API group "" in the namespace "shop"',
        ),
      )
      .failWith(
        '/api/v1/namespaces/shop/configmaps',
        () => new RequestTimeoutError('/api/v1/namespaces/shop/configmaps', 30000),
      );
    const { snapshot, gaps } = await new LiveSource({
      transport: api,
      defaultNamespace: 'default',
      concurrency: 1,
    }).load({
      kinds: [kind('pods'), kind('secrets'), kind('configmaps'), kind('runtimeclasses')],
      namespace: 'shop',
    });
    expect(gaps).toEqual([
      {
        resource: 'secrets',
        namespace: 'shop',
        reason: 'forbidden',
        message:
          'secrets is forbidden: User "smart-readonly" cannot list resource "secrets" in API group "" in the namespace "shop"',
        check: 'kubectl auth can-i list secrets -n shop',
      },
      {
        resource: 'configmaps',
        namespace: 'shop',
        reason: 'timeout',
        message: '/api/v1/namespaces/shop/configmaps: no answer within 30000 ms',
        check: 'kubectl auth can-i list configmaps -n shop',
      },
      {
        resource: 'runtimeclasses.node.k8s.io',
        reason: 'not-served',
        message: 'the API server does not serve runtimeclasses.node.k8s.io',
        check: 'kubectl api-resources | grep runtimeclasses',
      },
    ]);
    expect(snapshot.ofKind('Pod')).toHaveLength(1);
    expect(snapshot.coverage.covers('Secret', 'shop')).toBe(false);
  });

  describe('kinds a CRD defines (optional), read where the cluster serves them', () => {
    const podChaos = kind('podchaos.chaos-mesh.org');
    const engines = kind('chaosengines.litmuschaos.io');
    const everywhere = (resource: string, group: string): string => `/apis/${group}/v1alpha1/${resource}`;
    const inShop = (resource: string, group: string): string =>
      `/apis/${group}/v1alpha1/namespaces/shop/${resource}`;
    const denied = (resource: string, group: string, namespace?: string) => () =>
      forbidden(
        namespace === undefined ? everywhere(resource, group) : inShop(resource, group),
        `${resource}.${group} is forbidden: User "smart-readonly" cannot list resource "${resource}" in API group "${group}" ${namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`}`,
      );
    const experiment = (name: string, namespace: string): object => ({ metadata: { name, namespace } });

    it('reads one that is served across namespaces, even for -n (an experiment elsewhere may select its pods)', async () => {
      const api = new FakeApiServer({
        [everywhere('podchaos', 'chaos-mesh.org')]: [
          experiment('kill-db', 'chaos-testing'),
          experiment('slow-api', 'shop'),
        ],
      });
      const { snapshot, gaps } = await new LiveSource({ transport: api, defaultNamespace: 'shop' }).load({
        kinds: [podChaos],
        namespace: 'shop',
      });
      expect(gaps).toEqual([]);
      expect(api.requests.map((r) => r.path)).toEqual([everywhere('podchaos', 'chaos-mesh.org')]);
      expect(
        snapshot.ofKind('PodChaos').map((o) => `${o.apiVersion ?? ''} ${o.metadata.namespace ?? ''}`),
      ).toEqual(['chaos-mesh.org/v1alpha1 chaos-testing', 'chaos-mesh.org/v1alpha1 shop']);
      expect(snapshot.coverage.covers('PodChaos', 'chaos-testing')).toBe(true);
    });

    it('lists it in the namespace asked when the user may not list it across namespaces', async () => {
      const api = new FakeApiServer({
        [inShop('podchaos', 'chaos-mesh.org')]: [experiment('slow-api', 'shop')],
      }).failWith(everywhere('podchaos', 'chaos-mesh.org'), denied('podchaos', 'chaos-mesh.org'));
      const { snapshot, gaps } = await new LiveSource({ transport: api, defaultNamespace: 'shop' }).load({
        kinds: [podChaos],
        namespace: 'shop',
      });
      expect(gaps).toEqual([]);
      expect(snapshot.ofKind('PodChaos').map((o) => o.metadata.name)).toEqual(['slow-api']);
      expect(snapshot.coverage.covers('PodChaos', 'shop')).toBe(true);
      expect(snapshot.coverage.covers('PodChaos', 'chaos-testing')).toBe(false);
    });

    it('skips one the server does not serve (404) without a gap, and leaves it unknown', async () => {
      const api = new FakeApiServer({ '/api/v1/namespaces/shop/pods': [pod('a')] });
      const { snapshot, gaps } = await new LiveSource({ transport: api, defaultNamespace: 'shop' }).load({
        kinds: [kind('pods'), podChaos, engines],
        namespace: 'shop',
      });
      expect(gaps).toEqual([]);
      expect(snapshot.coverage.covers('PodChaos', 'shop')).toBe(false);
      expect(snapshot.coverage.covers('ChaosEngine', 'shop')).toBe(false);
      // No discovery needed: the 404 says it.
      expect(api.requests.map((r) => r.path).sort()).toEqual(
        [
          '/api/v1/namespaces/shop/pods',
          everywhere('chaosengines', 'litmuschaos.io'),
          everywhere('podchaos', 'chaos-mesh.org'),
        ].sort(),
      );
    });

    it('asks discovery, once per group, whether a forbidden one is served: not served is no gap', async () => {
      const api = new FakeApiServer({})
        .failWith(everywhere('podchaos', 'chaos-mesh.org'), denied('podchaos', 'chaos-mesh.org'))
        .failWith(everywhere('networkchaos', 'chaos-mesh.org'), denied('networkchaos', 'chaos-mesh.org'))
        .failWith(everywhere('chaosengines', 'litmuschaos.io'), denied('chaosengines', 'litmuschaos.io'))
        // Litmus is installed, but without engines (a group serving other kinds).
        .serveDocument('/apis/litmuschaos.io/v1alpha1', {
          kind: 'APIResourceList',
          groupVersion: 'litmuschaos.io/v1alpha1',
          resources: [{ name: 'chaosexperiments', namespaced: true, kind: 'ChaosExperiment' }],
        });
      const { gaps } = await new LiveSource({
        transport: api,
        defaultNamespace: 'shop',
        concurrency: 1,
      }).load({ kinds: [podChaos, kind('networkchaos.chaos-mesh.org'), engines] });
      expect(gaps).toEqual([]);
      expect(api.requests.map((r) => r.path)).toEqual([
        everywhere('podchaos', 'chaos-mesh.org'),
        '/apis/chaos-mesh.org/v1alpha1',
        everywhere('networkchaos', 'chaos-mesh.org'),
        everywhere('chaosengines', 'litmuschaos.io'),
        '/apis/litmuschaos.io/v1alpha1',
      ]);
    });

    it('reports a forbidden one that is served as a gap, as for any kind', async () => {
      const api = new FakeApiServer({})
        .failWith(everywhere('podchaos', 'chaos-mesh.org'), denied('podchaos', 'chaos-mesh.org'))
        .failWith(inShop('podchaos', 'chaos-mesh.org'), denied('podchaos', 'chaos-mesh.org', 'shop'))
        .serveDocument('/apis/chaos-mesh.org/v1alpha1', {
          kind: 'APIResourceList',
          groupVersion: 'chaos-mesh.org/v1alpha1',
          resources: [{ name: 'podchaos', namespaced: true, kind: 'PodChaos' }],
        });
      const { gaps } = await new LiveSource({ transport: api, defaultNamespace: 'shop' }).load({
        kinds: [podChaos],
        namespace: 'shop',
      });
      expect(gaps).toEqual([
        {
          resource: 'podchaos.chaos-mesh.org',
          namespace: 'shop',
          reason: 'forbidden',
          message:
            'podchaos.chaos-mesh.org is forbidden: User "smart-readonly" cannot list resource "podchaos" in API group "chaos-mesh.org" in the namespace "shop"',
          check: 'kubectl auth can-i list podchaos.chaos-mesh.org -n shop',
        },
      ]);
    });

    it('still reports a built-in kind the server does not serve', async () => {
      const { gaps } = await new LiveSource({
        transport: new FakeApiServer({}),
        defaultNamespace: 'shop',
      }).load({
        kinds: [kind('runtimeclasses')],
      });
      expect(gaps.map((gap) => gap.reason)).toEqual(['not-served']);
    });
  });

  it('ends the command when the credentials are rejected or the server cannot be reached', async () => {
    const rejected = new FakeApiServer({}).failWith(
      '/api/v1/pods',
      () => new HttpStatusError(401, '{"message":"Unauthorized"}', '/api/v1/pods'),
    );
    await expect(
      new LiveSource({ transport: rejected, defaultNamespace: 'default' }).load({ kinds: [kind('pods')] }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
      message:
        'the API server at https://fake.invalid:6443 rejected the credentials (401); refresh them or pick another --context',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const down = new FakeApiServer({}).failWith('/api/v1/pods', () => refused);
    const error: unknown = await new LiveSource({ transport: down, defaultNamespace: 'default' })
      .load({ kinds: [kind('pods')] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'unreachable' });
  });

  it('starts a list over when its continue token expires, so pages from two moments never mix', async () => {
    const api = new FakeApiServer({ '/api/v1/pods': [pod('a'), pod('b'), pod('c')] });
    // While the first page was read, a was deleted and d created: the list that counts is the second.
    api.expireFirstContinue('/api/v1/pods', () => {
      api.setCollection('/api/v1/pods', [pod('b'), pod('c'), pod('d')]);
    });
    const { snapshot } = await new LiveSource({
      transport: api,
      defaultNamespace: 'default',
      pageSize: 2,
    }).load({ kinds: [kind('pods')] });
    expect(api.requests.map((r) => r.query.continue ?? 'first')).toEqual(['first', '2', 'first', '2']);
    expect(snapshot.ofKind('Pod').map((p) => p.metadata.name)).toEqual(['b', 'c', 'd']);
  });

  it('never keeps a Secret value: keys stay, values and the last-applied copy go', async () => {
    const api = new FakeApiServer({
      '/api/v1/namespaces/shop/secrets': [
        {
          metadata: {
            name: 'db',
            namespace: 'shop',
            annotations: {
              'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}',
              team: 'payments',
            },
          },
          type: 'Opaque',
          data: { password: 'aHVudGVyMg==' },
        },
      ],
    });
    const { snapshot } = await new LiveSource({ transport: api, defaultNamespace: 'default' }).load({
      kinds: [kind('secrets')],
      namespace: 'shop',
    });
    const secret = snapshot.get({ kind: 'Secret', namespace: 'shop', name: 'db' });
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop', annotations: { team: 'payments' } },
      type: 'Opaque',
      data: { password: '' },
    });
    expect(JSON.stringify(secret)).not.toContain('aHVudGVyMg');
  });

  it('follows events from the list, and after 410 Gone relists and reports only what changed in the gap', async () => {
    const event = (uid: string, resourceVersion: string, reason: string): object => ({
      metadata: { name: `api-0.${uid}`, namespace: 'shop', uid, resourceVersion },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'api-0' },
      type: 'Warning',
      reason,
      message: reason,
      count: 1,
    });
    const api = new FakeApiServer({ '/api/v1/namespaces/shop/events': [event('e1', '10', 'Old')] });
    api.watches.push({
      lines: [
        JSON.stringify({ type: 'ADDED', object: event('e2', '11', 'BackOff') }),
        JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            code: 410,
            reason: 'Expired',
            message: 'too old resource version: 11 (20)',
          },
        }),
      ],
      // While the watch is gone: e3 is new, e2 is unchanged (already reported), e1 was updated.
      afterwards: () => {
        api.setCollection('/api/v1/namespaces/shop/events', [
          event('e1', '15', 'Old'),
          event('e2', '11', 'BackOff'),
          event('e3', '18', 'Unhealthy'),
        ]);
      },
    });
    const source = new LiveSource({ transport: api, defaultNamespace: 'shop' });
    const controller = new AbortController();
    const reported: string[] = [];
    const following = source.followEvents({
      namespace: 'shop',
      signal: controller.signal,
      onEvent: (record) => {
        reported.push(record.reason);
        if (record.reason === 'Unhealthy') controller.abort();
      },
    });
    // While the watch is gone: e3 is new, e2 is unchanged (already reported), e1 was updated.
    await new Promise((resolve) => setTimeout(resolve, 20));
    api.setCollection('/api/v1/namespaces/shop/events', [
      event('e1', '15', 'Old'),
      event('e2', '11', 'BackOff'),
      event('e3', '18', 'Unhealthy'),
    ]);
    await following;
    expect(reported).toEqual(['BackOff', 'Old', 'Unhealthy']);
    expect(
      api.requests.map((r) =>
        r.query.watch === undefined ? 'list' : `watch@${r.query.resourceVersion ?? ''}`,
      ),
    ).toEqual(['list', 'watch@100', 'list']);
  });

  it('fetches logs of failing containers only, previous too when restarted, and turns a 403 into one gap', async () => {
    const status = (name: string, state: object, restartCount = 0, lastState: object = {}): object => ({
      name,
      state,
      restartCount,
      lastState,
    });
    const api = new FakeApiServer({
      '/api/v1/namespaces/shop/pods': [
        {
          metadata: { name: 'ok', namespace: 'shop' },
          status: { containerStatuses: [status('app', { running: {} })] },
        },
        {
          metadata: { name: 'crashy', namespace: 'shop' },
          status: {
            containerStatuses: [
              status('app', { waiting: { reason: 'CrashLoopBackOff' } }, 4, { terminated: { exitCode: 1 } }),
              status('sidecar', { running: {} }),
            ],
          },
        },
        {
          metadata: { name: 'failed', namespace: 'shop' },
          status: { containerStatuses: [status('job', { terminated: { exitCode: 2 } })] },
        },
      ],
    });
    const source = new LiveSource({ transport: api, defaultNamespace: 'shop', concurrency: 1 });
    const { snapshot, gaps } = await source.load({
      kinds: [kind('pods')],
      namespace: 'shop',
      logs: { tailLines: 50 },
    });
    expect(gaps).toEqual([]);
    expect(api.requests.filter((r) => r.path.endsWith('/log'))).toEqual([
      { path: '/api/v1/namespaces/shop/pods/crashy/log', query: { container: 'app', tailLines: '50' } },
      {
        path: '/api/v1/namespaces/shop/pods/crashy/log',
        query: { container: 'app', tailLines: '50', previous: 'true' },
      },
      { path: '/api/v1/namespaces/shop/pods/failed/log', query: { container: 'job', tailLines: '50' } },
    ]);
    expect(snapshot.log('shop', 'crashy', 'app', true)?.text).toBe(
      'log of /api/v1/namespaces/shop/pods/crashy/log previous\n',
    );

    const forbidden = new FakeApiServer({
      '/api/v1/namespaces/shop/pods': [
        {
          metadata: { name: 'crashy', namespace: 'shop' },
          status: { containerStatuses: [status('app', { waiting: { reason: 'CrashLoopBackOff' } }, 2)] },
        },
      ],
    }).failWith(
      '/api/v1/namespaces/shop/pods/crashy/log',
      () =>
        new HttpStatusError(
          403,
          '{"message":"pods \\"crashy\\" is forbidden: User \\"bob\\" cannot get resource \\"pods/log\\""}',
          'log',
        ),
    );
    const result = await new LiveSource({ transport: forbidden, defaultNamespace: 'shop' }).load({
      kinds: [kind('pods')],
      namespace: 'shop',
      logs: { tailLines: 20 },
    });
    expect(result.gaps).toEqual([
      {
        resource: 'pods/log',
        namespace: 'shop',
        reason: 'forbidden',
        message: 'pods "crashy" is forbidden: User "bob" cannot get resource "pods/log"',
        check: 'kubectl auth can-i get pods --subresource=log -n shop',
      },
    ]);
  });
  it('reads the usage of pods with an OOM-killed container only, in one list, and says when no metrics-server serves it', async () => {
    const oomPod = (name: string, namespace: string): object => ({
      metadata: { name, namespace },
      status: {
        containerStatuses: [
          {
            name: 'worker',
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          },
        ],
      },
    });
    const usage = (name: string, namespace: string): object => ({
      metadata: { name, namespace },
      timestamp: '2026-11-20T03:11:50Z',
      window: '10.007s',
      containers: [{ name: 'worker', usage: { cpu: '1m', memory: '61440Ki' } }],
    });
    const api = new FakeApiServer({
      '/api/v1/pods': [oomPod('worker-1', 'shop'), oomPod('batch-1', 'jobs'), pod('ok', 'shop')],
      '/apis/metrics.k8s.io/v1beta1/pods': [
        usage('worker-1', 'shop'),
        usage('batch-1', 'jobs'),
        usage('ok', 'shop'),
      ],
    });
    const source = new LiveSource({ transport: api, defaultNamespace: 'shop' });
    const { snapshot, gaps } = await source.load({ kinds: [kind('pods')], usage: true });
    expect(gaps).toEqual([]);
    expect(api.requests.map((r) => r.path)).toEqual(['/api/v1/pods', '/apis/metrics.k8s.io/v1beta1/pods']);
    expect(
      snapshot.ofKind('PodMetrics').map((m) => `${m.metadata.namespace ?? ''}/${m.metadata.name}`),
    ).toEqual(['shop/worker-1', 'jobs/batch-1']);
    expect(snapshot.get({ kind: 'PodMetrics', namespace: 'shop', name: 'worker-1' })?.apiVersion).toBe(
      'metrics.k8s.io/v1beta1',
    );

    // Nothing OOM-killed: the Metrics API is not asked.
    const healthy = new FakeApiServer({ '/api/v1/namespaces/shop/pods': [pod('ok')] });
    await new LiveSource({ transport: healthy, defaultNamespace: 'shop' }).load({
      kinds: [kind('pods')],
      namespace: 'shop',
      usage: true,
    });
    expect(healthy.requests.map((r) => r.path)).toEqual(['/api/v1/namespaces/shop/pods']);

    // No metrics-server: the API group is not served (404), or its APIService has no backend (503).
    const withoutMetrics = new FakeApiServer({
      '/api/v1/namespaces/shop/pods': [oomPod('worker-1', 'shop')],
    });
    const missing = await new LiveSource({ transport: withoutMetrics, defaultNamespace: 'shop' }).load({
      kinds: [kind('pods')],
      namespace: 'shop',
      usage: true,
    });
    expect(missing.gaps).toEqual([
      {
        resource: 'pods.metrics.k8s.io',
        namespace: 'shop',
        reason: 'not-served',
        message:
          'the Metrics API is not served (no metrics-server): what OOM-killed containers use now is unknown',
        check: 'kubectl get apiservice v1beta1.metrics.k8s.io',
      },
    ]);
    expect(missing.snapshot.ofKind('Pod')).toHaveLength(1);
    const down = new FakeApiServer({ '/api/v1/namespaces/shop/pods': [oomPod('worker-1', 'shop')] }).failWith(
      '/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods',
      () =>
        new HttpStatusError(503, '{"kind":"Status","code":503,"message":"service unavailable"}', 'metrics'),
    );
    const unavailable = await new LiveSource({ transport: down, defaultNamespace: 'shop' }).load({
      kinds: [kind('pods')],
      namespace: 'shop',
      usage: true,
    });
    expect(unavailable.gaps).toEqual([
      {
        resource: 'pods.metrics.k8s.io',
        namespace: 'shop',
        reason: 'error',
        message:
          'the Metrics API did not answer (HTTP 503: service unavailable): what OOM-killed containers use now is unknown',
        check: 'kubectl get apiservice v1beta1.metrics.k8s.io',
      },
    ]);
  });

  it('follows a kind from a saved version: changes, deletions and bookmarks, through a dropped connection, with Secrets redacted (blanked if the redaction fails)', async () => {
    const secret = (name: string, rv: string): object => ({
      metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: rv },
      data: { password: 'aHVudGVyMg==' },
    });
    const api = new FakeApiServer({ '/api/v1/namespaces/shop/secrets': [] });
    api.watches.push(
      {
        lines: [JSON.stringify({ type: 'MODIFIED', object: secret('db', '51') })],
        fail: () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      },
      {
        lines: [
          JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '60' } } }),
          JSON.stringify({ type: 'ADDED', object: secret('broken', '61') }),
          JSON.stringify({ type: 'DELETED', object: secret('db', '62') }),
        ],
      },
    );
    const source = new LiveSource({ transport: api, defaultNamespace: 'shop' });
    const controller = new AbortController();
    const seen: string[] = [];
    await source.watchKind(
      kind('secrets'),
      {
        namespace: 'shop',
        resumeFrom: '50',
        signal: controller.signal,
        redact: (object) => {
          if (object.metadata.name === 'broken') throw new Error('cannot digest');
          return { ...object, data: { password: 'hmac:0123456789abcdef' } };
        },
      },
      {
        onListPage: () => seen.push('list'),
        onListEnd: () => seen.push('listed'),
        onChange: (type, object) => {
          seen.push(`${type} ${object.kind} ${object.metadata.name} ${JSON.stringify(object['data'])}`);
          if (type === 'DELETED') controller.abort();
        },
        onProgress: (version) => seen.push(`progress ${version}`),
      },
    );
    expect(seen).toEqual([
      'MODIFIED Secret db {"password":"hmac:0123456789abcdef"}',
      'progress 60',
      'ADDED Secret broken {"password":""}',
      'DELETED Secret db {"password":"hmac:0123456789abcdef"}',
    ]);
    // No list: it resumed from 50, then after the dropped connection from the last version it saw.
    expect(
      api.requests.map(
        (r) => `${r.query.watch === undefined ? 'list' : 'watch'}@${r.query.resourceVersion ?? ''}`,
      ),
    ).toEqual(['watch@50', 'watch@51']);
  });

  it('hands a followed kind on page by page as it is listed, then the version its watch starts from', async () => {
    const api = new FakeApiServer({ '/api/v1/namespaces/shop/pods': [pod('a'), pod('b'), pod('c')] });
    api.watches.push({
      lines: [
        JSON.stringify({
          type: 'ADDED',
          object: { ...pod('d'), metadata: { name: 'd', namespace: 'shop', resourceVersion: '101' } },
        }),
      ],
    });
    const source = new LiveSource({ transport: api, defaultNamespace: 'shop', pageSize: 2 });
    const controller = new AbortController();
    const seen: string[] = [];
    await source.watchKind(
      kind('pods'),
      { namespace: 'shop', signal: controller.signal },
      {
        onListPage: (objects) => seen.push(`page ${objects.map((o) => o.metadata.name).join(',')}`),
        onListEnd: (version) => seen.push(`listed @${version}`),
        onChange: (type, object) => {
          seen.push(`${type} ${object.metadata.name}`);
          controller.abort();
        },
        onProgress: () => undefined,
      },
    );
    expect(seen).toEqual(['page a,b', 'page c', 'listed @100', 'ADDED d']);
    expect(
      api.requests.map((r) =>
        r.query.watch === undefined ? 'list' : `watch@${r.query.resourceVersion ?? ''}`,
      ),
    ).toEqual(['list', 'list', 'watch@100']);
  });

  it('ends a follow the server forbids with one line naming the resource and how to check', async () => {
    const path = '/api/v1/secrets';
    const api = new FakeApiServer({}).failWith(path, () =>
      forbidden(
        path,
        'secrets is forbidden: User "smart-readonly" cannot list resource "secrets" in API group "" at the cluster scope',
      ),
    );
    const error = await new LiveSource({ transport: api, defaultNamespace: 'shop' })
      .watchKind(
        kind('secrets'),
        { signal: new AbortController().signal },
        {
          onListPage: () => undefined,
          onListEnd: () => undefined,
          onChange: () => undefined,
          onProgress: () => undefined,
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unauthorized');
    expect((error as AppError).message).toBe(
      'cannot watch secrets in all namespaces: secrets is forbidden: User "smart-readonly" cannot list resource "secrets" in API group "" at the cluster scope; check with kubectl auth can-i watch secrets -A, or leave it out with --kinds',
    );
  });

  it('ends a watch whose handler throws, with that error', async () => {
    const api = new FakeApiServer({ '/api/v1/namespaces/shop/pods': [pod('a')] });
    api.watches.push({
      lines: [
        JSON.stringify({
          type: 'ADDED',
          object: { ...pod('b'), metadata: { name: 'b', resourceVersion: '101' } },
        }),
      ],
    });
    const source = new LiveSource({ transport: api, defaultNamespace: 'shop' });
    const error = await source
      .watchKind(
        kind('pods'),
        { namespace: 'shop', signal: new AbortController().signal },
        {
          onListPage: () => undefined,
          onListEnd: () => undefined,
          onChange: () => {
            throw new Error('the store is full');
          },
          onProgress: () => undefined,
        },
      )
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('the store is full');
  });
});
