/**
 * Custom resources on the real API server: a CustomResourceDefinition is created and established,
 * `kubectl smart record --crds` follows the kind it defines, a Widget is edited, and `timeline`
 * and `why` name it by its kind from the recording, with the field that moved and why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import { startRecorder } from './recorder-process.ts';
import { ensureNamespace, sleep, waitFor } from './scenes/util.ts';

const NS = 'record-crd';
const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-record-crd-'));
const store = join(dir, 'memory.db');
const cluster = connectCluster();
const widgets = `/apis/example.com/v1/namespaces/${NS}/widgets`;
let recorderLog = '';

const smart = (args: readonly string[]) =>
  runCli([...args, '--alpha-memory', '--store', store], { env: { NO_COLOR: '1' } });

async function request(method: string, path: string, body?: unknown, contentType?: string) {
  const response = await cluster.admin.request<Record<string, unknown>>(
    method,
    path,
    body,
    contentType === undefined ? {} : { contentType },
  );
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${String(response.status)} ${response.text}`);
  return response.body;
}

beforeAll(async () => {
  await ensureNamespace(cluster.admin, NS);
  await request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
  await waitFor('the Widget kind to be served', async () => {
    const response = await cluster.admin.request('GET', widgets);
    return response.status === 200;
  });
  await request('POST', widgets, {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'blue', namespace: NS },
    spec: { size: 1, colour: 'blue' },
  });

  const recorder = startRecorder([
    '-n',
    NS,
    '--kinds',
    'configmaps',
    '--crds',
    '--kubeconfig',
    cluster.kubeconfigAdmin,
    '--store',
    store,
  ]);
  await recorder.started;
  await sleep(1500);
  await request(
    'PATCH',
    `${widgets}/blue`,
    { metadata: { annotations: { 'ops.kubectl-smart.io/why': 'bigger for the sale' } }, spec: { size: 3 } },
    'application/merge-patch+json',
  );
  await sleep(2000);
  const code = await recorder.stop('SIGINT');
  recorderLog = recorder.output().stderr;
  expect(code, recorderLog).toBe(0);
}, 120_000);

afterAll(async () => {
  await cluster.admin.request(
    'DELETE',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
  );
  rmSync(dir, { recursive: true, force: true });
});

describe('recording custom resources', () => {
  it('follows the kinds the cluster defines beside those named', async () => {
    // ConfigMaps, the Widget, and KWOK's own kinds: every definition of the test cluster is established.
    const definitions = (await request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')) as {
      items: unknown[];
    };
    expect(definitions.items.length).toBeGreaterThan(1);
    expect(recorderLog).toMatch(
      new RegExp(`^recording ${String(1 + definitions.items.length)} kinds in namespace record-crd `, 'm'),
    );
  });

  it('timeline names the Widget by its kind and shows the field that moved, and why', async () => {
    const result = await smart(['timeline', 'widget/blue', '-n', NS]);
    expect(result.code, result.stderr).toBe(0);
    const edit = result.stdout.split('\n').find((line) => line.includes('spec.size'));
    expect(edit, result.stdout).toContain('1→3');
    expect(result.stdout).toContain('bigger for the sale');
  });

  it('why lists each value of a custom field', async () => {
    const result = await smart(['why', 'Widget/blue', '-n', NS, '--field', 'spec.size', '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const history = JSON.parse(result.stdout) as { steps: { value?: unknown }[] };
    expect(history.steps.map((step) => step.value)).toEqual([1, 3]);
  });

  it('an unknown type word names the custom kinds the recording holds', async () => {
    const result = await smart(['timeline', 'gizmo/blue', '-n', NS]);
    expect(result.code).toBe(2);
    // KWOK's own kinds (Stage, ClusterLogs…) are custom resources of the test cluster too.
    expect(result.stderr.trim()).toMatch(
      /^error: unknown resource type "gizmo"; the recording also holds [A-Za-z, ]*\bWidget\b[A-Za-z, ]*: name custom resources by kind, e\.g\. [a-z]+\/NAME$/,
    );
  });
});
