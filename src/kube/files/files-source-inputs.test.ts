import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KINDS } from '../../core/kinds.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { Snapshot } from '../../core/snapshot.js';
import { FilesSource } from './files-source.js';
import { realdataPath } from '../../../test/support/realdata.js';

const EVENTS = 'events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json';
const IMAGE_PULL_PODS = 'pods/troubleshoot_errimagepull_podlist.json';
const PENDING_PODS = 'pods/troubleshoot_pending-unschedulable-insufficient-gpu_podlist.json';
const INSIGHTS_POD = 'pods/insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json';
const DEPLOYMENTS =
  'deployments/troubleshoot_deployments_kube-system_coredns_metrics-server_managedFields.json';
const FIX = 'fix the file or pass a kubectl get -o json|yaml output';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'smart-inputs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const place = (path: string, text: string): string => {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
};
const placeRealdata = (path: string, realdata: string): string => {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  copyFileSync(realdataPath(realdata), full);
  return full;
};
const parsedRealdata = (path: string): unknown =>
  JSON.parse(readFileSync(realdataPath(path), 'utf8')) as unknown;
const load = async (paths: string[], namespace?: string): Promise<Snapshot> =>
  (await new FilesSource({ paths }).load({ kinds: KINDS, ...(namespace === undefined ? {} : { namespace }) }))
    .snapshot;
const names = (snapshot: Snapshot): string[] =>
  [...snapshot.all()].map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();

describe('FilesSource over real captures', () => {
  it('reads kubectl get -o json output of pods and events; the capture time is the newest timestamp', async () => {
    const snapshot = await load([
      placeRealdata('pods.json', IMAGE_PULL_PODS),
      placeRealdata('events.json', EVENTS),
    ]);
    const pod = (parsedRealdata(IMAGE_PULL_PODS) as { items: KubeObject[] }).items[0]!;
    expect(
      snapshot.get({ kind: 'Pod', namespace: 'message-image-pull-fail', name: pod.metadata.name }),
    ).toEqual(pod);
    expect(snapshot.ofKind('Event')).toHaveLength(17);
    expect(snapshot.events()).toHaveLength(17);
    // Newest: lastTimestamp of the ImagePullBackOff events.
    expect(snapshot.capturedAt.toISOString()).toBe('2023-07-11T05:36:25.000Z');
  });

  it('takes series.lastObservedTime as a moment of the capture', async () => {
    // `kubectl get event … -o json` of the scheduler's event that repeats as a series.
    const series = (parsedRealdata(EVENTS) as { items: KubeObject[] }).items.find((event) =>
      event.metadata.name.endsWith('.1770b59c8b866b56'),
    );
    const snapshot = await load([
      placeRealdata('pods.json', PENDING_PODS),
      place('event.json', JSON.stringify(series, null, 4)),
    ]);
    expect(snapshot.capturedAt.toISOString()).toBe('2023-07-11T04:40:44.264Z');
  });

  it('reads a support bundle’s JSON array of kindless Deployments from a folder named for them', async () => {
    const snapshot = await load([
      placeRealdata('cluster-resources/deployments/kube-system.json', DEPLOYMENTS),
    ]);
    const items = parsedRealdata(DEPLOYMENTS) as KubeObject[];
    expect(names(snapshot)).toEqual([
      'Deployment/kube-system/coredns',
      'Deployment/kube-system/metrics-server',
    ]);
    expect(snapshot.get({ kind: 'Deployment', namespace: 'kube-system', name: 'metrics-server' })).toEqual({
      kind: 'Deployment',
      ...items[1],
    });
  });

  it('reads an insights archive’s kindless pod from config/pod/NAMESPACE/', async () => {
    await load([placeRealdata('config/pod/di-288312/vsystem-867f4b77cc-pqcns.json', INSIGHTS_POD)]).then(
      (snapshot) => {
        expect(names(snapshot)).toEqual(['Pod/di-288312/vsystem-867f4b77cc-pqcns']);
        expect(snapshot.capturedAt.toISOString()).toBe('2024-03-26T10:43:59.000Z');
      },
    );
  });

  it('takes a kindless object with a pod’s shape for a Pod when no folder names its kind', async () => {
    const snapshot = await load([placeRealdata('incident-4711/vsystem.json', INSIGHTS_POD)]);
    expect(snapshot.get({ kind: 'Pod', namespace: 'di-288312', name: 'vsystem-867f4b77cc-pqcns' })).toEqual({
      kind: 'Pod',
      ...(parsedRealdata(INSIGHTS_POD) as object),
    });
  });

  it('keeps only the namespace asked for across several files', async () => {
    const snapshot = await load(
      [placeRealdata('a/pods.json', IMAGE_PULL_PODS), placeRealdata('b/pods.json', PENDING_PODS)],
      'message-pending-pod-resources',
    );
    expect(names(snapshot)).toEqual([
      'Pod/message-pending-pod-resources/pending-pod-resources-5fddcf7688-djjfc',
    ]);
  });
});

describe('FilesSource and Secrets', () => {
  const password = 'czNjcjN0LXBhc3N3MHJk';
  const token = 'ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklqRXlNeUo5';

  it('never keeps a Secret value, from kubectl get -o yaml or a kindless SecretList', async () => {
    // `kubectl get secrets -n shop -o yaml`: a List; the applied Secret repeats its values in an annotation.
    place(
      'get-secrets.yaml',
      [
        'apiVersion: v1',
        'items:',
        '- apiVersion: v1',
        '  data:',
        `    password: ${password}`,
        '    username: YXBw',
        '  kind: Secret',
        '  metadata:',
        '    annotations:',
        '      kubectl.kubernetes.io/last-applied-configuration: |',
        `        {"apiVersion":"v1","data":{"password":"${password}","username":"YXBw"},"kind":"Secret","metadata":{"annotations":{},"name":"db","namespace":"shop"},"type":"Opaque"}`,
        '    creationTimestamp: "2026-11-20T02:58:11Z"',
        '    name: db',
        '    namespace: shop',
        '  type: Opaque',
        'kind: List',
        'metadata:',
        '  resourceVersion: ""',
        '',
      ].join('\n'),
    );
    place(
      'ci/secrets.json',
      JSON.stringify(
        {
          kind: 'SecretList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '48500' },
          items: [
            {
              metadata: {
                name: 'build-robot-token',
                namespace: 'ci',
                annotations: { 'kubernetes.io/service-account.name': 'build-robot' },
              },
              type: 'kubernetes.io/service-account-token',
              data: { token, namespace: 'Y2k=' },
            },
          ],
        },
        null,
        4,
      ),
    );
    const snapshot = await load([dir]);
    expect(snapshot.get({ kind: 'Secret', namespace: 'shop', name: 'db' })).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'db', namespace: 'shop', creationTimestamp: '2026-11-20T02:58:11Z', annotations: {} },
      data: { password: '', username: '' },
    });
    expect(snapshot.get({ kind: 'Secret', namespace: 'ci', name: 'build-robot-token' })).toMatchObject({
      data: { token: '', namespace: '' },
    });
    const everything = JSON.stringify([...snapshot.all()]);
    for (const value of [password, 'YXBw', token, 'Y2k=']) expect(everything).not.toContain(value);
  });
});

describe('FilesSource refuses malformed input, naming file, line and column', () => {
  const nodeList = `${JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: [] }, null, 4)}\n`;

  it('a truncated dump: points at the document that never closes', async () => {
    // 6 lines of NodeList, then a PodList cut off mid-way (line 7 on).
    const file = place(
      'cluster-info.dump',
      `${nodeList}{\n    "kind": "PodList",\n    "apiVersion": "v1",\n    "items": [\n        {\n`,
    );
    await expect(load([file])).rejects.toMatchObject({
      code: 'malformed-input',
      message: `${file}:7:1: a JSON document that never closes (truncated file?); ${FIX}`,
    });
  });

  it('garbage between JSON documents: points at it', async () => {
    // kubectl's stderr redirected into the same file.
    const file = place(
      'dump.json',
      `${nodeList}E1120 03:12:01.123456   48211 memcache.go:265] couldn't get current server API group list\n${nodeList}`,
    );
    await expect(load([file])).rejects.toMatchObject({
      code: 'malformed-input',
      message: `${file}:7:1: unexpected "E1120 03:12:01.12345" between JSON documents; ${FIX}`,
    });
  });

  it('a JSON syntax error inside a later document: points at the offending character', async () => {
    const broken =
      '{\n    "kind": "PodList",\n    "items": [\n        {"metadata": {"name": "api-0",}}\n    ]\n}\n';
    const file = place('dump.json', `${nodeList}${broken}`);
    // Line 10 (4th line of the second document), at the `}` after the trailing comma.
    await expect(load([file])).rejects.toMatchObject({
      code: 'malformed-input',
      message: expect.stringMatching(new RegExp(`^${escape(file)}:10:39: invalid JSON \\(`)) as unknown,
    });
  });

  it('invalid YAML: points at the line and column', async () => {
    const file = place('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: api-config\n');
    await expect(load([file])).rejects.toMatchObject({
      code: 'malformed-input',
      message: expect.stringMatching(new RegExp(`^${escape(file)}:4:1: invalid YAML \\(`)) as unknown,
    });
  });

  it('a document is not a Kubernetes object: points at its line', async () => {
    const file = place(
      'values.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\nreplicaCount: 2\n',
    );
    await expect(load([file])).rejects.toMatchObject({
      code: 'malformed-input',
      message: expect.stringMatching(new RegExp(`^${escape(file)}:6:`)) as unknown,
    });
  });

  it('a path that does not exist: a usage error', async () => {
    const missing = join(dir, 'no-such-dump');
    await expect(load([missing])).rejects.toMatchObject({
      code: 'usage',
      message: `--from ${missing}: no such file or directory`,
    });
  });

  it('an empty directory: a usage error', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(load([empty])).rejects.toMatchObject({
      code: 'usage',
      message: `--from ${empty}: the directory holds no .json, .yaml or logs.txt files`,
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
