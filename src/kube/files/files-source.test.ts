import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KINDS, findKind } from '../../core/kinds.js';
import { FilesSource } from './files-source.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smart-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (path: string, value: unknown): string => {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, typeof value === 'string' ? value : JSON.stringify(value, null, 4));
  return full;
};
const list = (kind: string, items: unknown[]): object => ({
  kind: `${kind}List`,
  apiVersion: 'v1',
  metadata: {},
  items,
});

describe('FilesSource over a cluster-info dump directory', () => {
  beforeEach(() => {
    write(
      'nodes.json',
      list('Node', [
        {
          metadata: { name: 'worker-1' },
          status: {
            conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-11-20T03:11:40Z' }],
          },
        },
      ]),
    );
    // Items of typed lists as kubectl prints them: without kind.
    write(
      'shop/pods.json',
      list('Pod', [
        {
          metadata: { name: 'api-0', namespace: 'shop', creationTimestamp: '2026-11-20T03:04:02Z' },
          spec: { containers: [{ name: 'api' }] },
        },
      ]),
    );
    write('shop/replicationcontrollers.json', list('ReplicationController', []));
    write(
      'shop/api-0/logs.txt',
      '==== START logs for container api of pod shop/api-0 ====\nhello\n==== END logs for container api of pod shop/api-0 ====\n',
    );
    write('other/pods.json', list('Pod', [{ metadata: { name: 'web-0', namespace: 'other' } }]));
    write(
      'shop/secrets.json',
      list('Secret', [{ metadata: { name: 'db', namespace: 'shop' }, data: { password: 'aHVudGVyMg==' } }]),
    );
  });

  it('reads objects, restores kinds, keeps logs and learns coverage from the layout', async () => {
    const { snapshot, gaps } = await new FilesSource({ paths: [dir] }).load({ kinds: KINDS });
    expect(gaps).toEqual([]);
    expect(snapshot.get({ kind: 'Pod', namespace: 'shop', name: 'api-0' })).toMatchObject({
      kind: 'Pod',
      apiVersion: 'v1',
    });
    expect(snapshot.log('shop', 'api-0', 'api', false)?.text).toBe('hello');
    // An empty ReplicationControllerList in shop/ still says: shop has none.
    expect(snapshot.coverage.covers('ReplicationController', 'shop')).toBe(true);
    expect(snapshot.coverage.covers('ReplicationController', 'other')).toBe(false);
    expect(snapshot.coverage.covers('Node', undefined)).toBe(true);
    expect(snapshot.coverage.covers('ConfigMap', 'shop')).toBe(false);
    // The capture's moment is its newest timestamp.
    expect(snapshot.capturedAt.toISOString()).toBe('2026-11-20T03:11:40.000Z');
  });

  it('keeps only the kinds and namespace asked for', async () => {
    const { snapshot } = await new FilesSource({ paths: [dir] }).load({
      kinds: [findKind('pods')!],
      namespace: 'shop',
    });
    expect([...snapshot.all()].map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Pod/api-0']);
    expect(snapshot.log('shop', 'api-0', 'api', false)).toBeDefined();
  });

  it('never keeps a Secret value', async () => {
    const { snapshot } = await new FilesSource({ paths: [dir] }).load({ kinds: KINDS });
    expect(snapshot.get({ kind: 'Secret', namespace: 'shop', name: 'db' })).toMatchObject({
      data: { password: '' },
    });
    expect(JSON.stringify([...snapshot.all()])).not.toContain('aHVudGVyMg');
  });
});

describe('FilesSource over kubectl get output', () => {
  it('reads a JSON array, a List, YAML documents and stdin; later copies of an object win', async () => {
    const array = write('array.json', [
      { kind: 'ConfigMap', metadata: { name: 'a', namespace: 'x' }, data: { v: '1' } },
    ]);
    const yaml = write(
      'more.yaml',
      'kind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\ndata:\n  v: "2"\n---\nkind: Service\nmetadata:\n  name: s\n  namespace: x\n',
    );
    const stdin = JSON.stringify({
      kind: 'List',
      items: [{ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'x' } }],
    });
    const { snapshot } = await new FilesSource({ paths: [array, yaml, '-'], readStdin: () => stdin }).load({
      kinds: KINDS,
    });
    expect([...snapshot.all()].map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/a',
      'Pod/p',
      'Service/s',
    ]);
    expect(snapshot.get({ kind: 'ConfigMap', namespace: 'x', name: 'a' })).toMatchObject({
      data: { v: '2' },
    });
  });

  it('keeps chaos experiments of every namespace for -n: one elsewhere may select its pods', async () => {
    const podChaos = (name: string, namespace: string): object => ({
      apiVersion: 'chaos-mesh.org/v1alpha1',
      kind: 'PodChaos',
      metadata: { name, namespace },
      spec: { action: 'pod-failure', mode: 'all', selector: { namespaces: ['shop'] } },
    });
    const path = write('get.json', [
      podChaos('kill-shop', 'chaos-testing'),
      podChaos('elsewhere', 'lab'),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-0', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other-0', namespace: 'lab' } },
    ]);
    const { snapshot } = await new FilesSource({ paths: [path] }).load({
      kinds: [findKind('pods')!, findKind('podchaos')!],
      namespace: 'shop',
    });
    expect(
      [...snapshot.all()].map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
    ).toEqual(['PodChaos/chaos-testing/kill-shop', 'PodChaos/lab/elsewhere', 'Pod/shop/api-0']);
  });

  it('keeps Metrics API readings (kubectl get podmetrics) only when usage is asked for', async () => {
    const file = write('top.yaml', {
      kind: 'List',
      apiVersion: 'v1',
      items: [
        { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'worker-1', namespace: 'a' } },
        {
          kind: 'PodMetrics',
          apiVersion: 'metrics.k8s.io/v1beta1',
          metadata: { name: 'worker-1', namespace: 'a' },
          timestamp: '2026-11-20T03:11:50Z',
          window: '10.007s',
          containers: [{ name: 'worker', usage: { cpu: '2m', memory: '61440Ki' } }],
        },
      ],
    });
    const source = new FilesSource({ paths: [file] });
    const kinds = (result: Awaited<ReturnType<FilesSource['load']>>): string[] =>
      [...result.snapshot.all()].map((o) => o.kind);
    expect(kinds(await source.load({ kinds: KINDS }))).toEqual(['Pod']);
    expect(kinds(await source.load({ kinds: KINDS, usage: true }))).toEqual(['Pod', 'PodMetrics']);
  });

  it('infers the kind of objects written without one from their folder or the pod shape', async () => {
    write('config/pod/ns1/a.json', { metadata: { name: 'a', namespace: 'ns1' }, spec: { containers: [] } });
    write('configmaps/b.json', { metadata: { name: 'b', namespace: 'ns1' }, data: {} });
    write('loose/c.json', {
      metadata: { name: 'c', namespace: 'ns1' },
      spec: { containers: [{ name: 'x' }] },
      status: { phase: 'Running' },
    });
    const { snapshot } = await new FilesSource({ paths: [dir] }).load({ kinds: KINDS });
    expect([...snapshot.all()].map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/b',
      'Pod/a',
      'Pod/c',
    ]);
  });

  it('refuses a document is not a Kubernetes object, naming file and line', async () => {
    const file = write('odd.yaml', 'kind: Pod\nmetadata:\n  name: ok\n---\nhello: world\n');
    await expect(new FilesSource({ paths: [file] }).load({ kinds: KINDS })).rejects.toMatchObject({
      code: 'malformed-input',
      message: `${file}:5:1: a document is not a Kubernetes object (no kind or metadata.name); pass kubectl get -o json|yaml output`,
    });
  });

  it('says what to do about a missing path or a directory with nothing to read', async () => {
    await expect(
      new FilesSource({ paths: [join(dir, 'nope')] }).load({ kinds: KINDS }),
    ).rejects.toMatchObject({
      code: 'usage',
      message: `--from ${join(dir, 'nope')}: no such file or directory`,
    });
    mkdirSync(join(dir, 'empty'));
    write('empty/readme.md', '# nothing');
    await expect(
      new FilesSource({ paths: [join(dir, 'empty')] }).load({ kinds: KINDS }),
    ).rejects.toMatchObject({
      code: 'usage',
      message: `--from ${join(dir, 'empty')}: the directory holds no .json, .yaml or logs.txt files`,
    });
  });

  it('infers kinds only from the --from folder and below, and trusts a pod’s shape over a folder', async () => {
    // The user's own ~/deploy above the --from root says nothing about the objects.
    write('deploy/dump/loose.json', { metadata: { name: 'x', namespace: 'a' }, data: {} });
    await expect(
      new FilesSource({ paths: [join(dir, 'deploy', 'dump')] }).load({ kinds: KINDS }),
    ).rejects.toMatchObject({
      code: 'malformed-input',
    });
    // A pod spec is a pod, whatever the folder is called.
    write('jobs/p.json', { metadata: { name: 'p', namespace: 'a' }, spec: { containers: [{ name: 'c' }] } });
    const { snapshot } = await new FilesSource({ paths: [join(dir, 'jobs')] }).load({ kinds: KINDS });
    expect([...snapshot.all()].map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Pod/p']);
  });

  it('names the item of a list that is not a Kubernetes object', async () => {
    const file = write(
      'list.json',
      '{\n  "kind": "List",\n  "items": [\n    {"kind": "Pod", "metadata": {"name": "a"}},\n    {"oops": true}\n  ]\n}\n',
    );
    await expect(new FilesSource({ paths: [file] }).load({ kinds: KINDS })).rejects.toMatchObject({
      message: `${file}:1:1: item 2 of the list here is not a Kubernetes object (no kind or metadata.name); pass kubectl get -o json|yaml output`,
    });
  });
});

describe('FilesSource and kinds outside the request', () => {
  it('keeps, when asked, objects of other kinds that carry conditions (custom resources), as read where they are', async () => {
    write('objects.json', {
      kind: 'List',
      apiVersion: 'v1',
      items: [
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name: 'shop-tls', namespace: 'shop' },
          status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DoesNotExist' }] },
        },
        { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'red', namespace: 'shop' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-config', namespace: 'shop' } },
      ],
    });
    const source = new FilesSource({ paths: [dir] });
    const kinds = [findKind('configmaps')!];
    const asked = await source.load({ kinds, withConditions: true });
    expect([...asked.snapshot.all()].map((o) => o.kind).sort()).toEqual(['Certificate', 'ConfigMap']);
    expect(asked.snapshot.coverage.covers('Certificate', 'shop')).toBe(true);
    const notAsked = await source.load({ kinds });
    expect([...notAsked.snapshot.all()].map((o) => o.kind)).toEqual(['ConfigMap']);
  });
});
