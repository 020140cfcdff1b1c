import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import type { KubeObject } from '../../core/kube-object.js';
import { parseDocumentStream } from './document-stream.js';
import { objectsFromDocuments, type FileObjects } from './objects-from-documents.js';
import { realdataPath } from '../../../test/support/realdata.js';

const realdata = (path: string): string => readFileSync(realdataPath(path), 'utf8');

/** What FilesSource does with one file's text. */
/** As FilesSource reads a file given inside `--from` `file`'s first folder. */
const read = (text: string, file: string): FileObjects =>
  objectsFromDocuments(parseDocumentStream(text, file).documents, file, file.split('/').slice(0, -1));

const errorOf = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
};

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'api-config', namespace: 'shop', uid: 'c1d2e3f4-0000-4000-8000-00000000000a' },
  data: { CACHE_SIZE: 'unlimited' },
};

describe('objectsFromDocuments', () => {
  it('reads a single object as kubectl get NAME -o json prints it', () => {
    expect(read(JSON.stringify(configMap, null, 4), 'cm.json')).toEqual({
      objects: [configMap],
      listedKinds: new Set(),
    });
  });

  it('flattens a kubectl List of several kinds, learning no kind from it', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: '' },
      items: [configMap, service],
    };
    expect(read(JSON.stringify(list, null, 4), 'all.json')).toEqual({
      objects: [configMap, service],
      listedKinds: new Set(),
    });
  });

  it('gives the items of a typed list the kind and apiVersion of the list, as the API server means them', () => {
    // `kubectl cluster-info dump` prints typed lists whose items carry no kind.
    const item = {
      metadata: {
        name: 'api-7d9f8c',
        namespace: 'shop',
        uid: 'c1d2e3f4-0000-4000-8000-00000000000b',
        labels: { app: 'api', 'pod-template-hash': '7d9f8c' },
      },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api', 'pod-template-hash': '7d9f8c' } } },
      status: { replicas: 2, readyReplicas: 0 },
    };
    const list = {
      kind: 'ReplicaSetList',
      apiVersion: 'apps/v1',
      metadata: { resourceVersion: '48500' },
      items: [item],
    };
    expect(read(JSON.stringify(list, null, 4), 'shop/replicasets.json')).toEqual({
      objects: [{ kind: 'ReplicaSet', apiVersion: 'apps/v1', ...item }],
      listedKinds: new Set(['ReplicaSet']),
    });
  });

  it('restores Pod on the kindless items of a PodList and learns that pods were listed', () => {
    const pod = {
      metadata: {
        name: 'api-7d9f8c-x2x9q',
        namespace: 'shop',
        uid: 'c1d2e3f4-0000-4000-8000-00000000000c',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'api-7d9f8c',
            uid: 'c1d2e3f4-0000-4000-8000-00000000000b',
            controller: true,
          },
        ],
      },
      spec: { containers: [{ name: 'api', image: 'registry.example.com/api:1.15' }] },
      status: { phase: 'Running' },
    };
    const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '48500' }, items: [pod] };
    expect(read(JSON.stringify(list, null, 4), 'shop/pods.json')).toEqual({
      objects: [{ kind: 'Pod', apiVersion: 'v1', ...pod }],
      listedKinds: new Set(['Pod']),
    });
  });

  it('keeps the kind items of a typed list already carry, and learns the listed kind (real PodList)', () => {
    const text = realdata('pods/troubleshoot_errimagepull_podlist.json');
    const { items } = JSON.parse(text) as { items: KubeObject[] };
    expect(read(text, 'pods.json')).toEqual({ objects: items, listedKinds: new Set(['Pod']) });
  });

  it('learns the kind of an empty typed list: that kind was captured and there were none', () => {
    const empty = JSON.stringify(
      {
        kind: 'ReplicationControllerList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '48500' },
        items: [],
      },
      null,
      4,
    );
    expect(read(empty, 'shop/replication-controllers.json')).toEqual({
      objects: [],
      listedKinds: new Set(['ReplicationController']),
    });
  });

  it('reads a plain JSON array of kindless objects from a folder named for their kind (support bundle)', () => {
    const text = realdata(
      'deployments/troubleshoot_deployments_kube-system_coredns_metrics-server_managedFields.json',
    );
    const items = JSON.parse(text) as object[];
    const found = read(text, 'bundle/cluster-resources/deployments/kube-system.json');
    expect(found).toEqual({
      objects: items.map((item) => ({ kind: 'Deployment', ...item })),
      listedKinds: new Set(),
    });
    expect(found.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Deployment/kube-system/coredns',
      'Deployment/kube-system/metrics-server',
    ]);
  });

  it('reads multi-document YAML', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: api-config',
      '  namespace: shop',
      'data:',
      '  CACHE_SIZE: unlimited',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: api',
      '  namespace: shop',
      'spec:',
      '  replicas: 2',
      '',
    ].join('\n');
    expect(read(text, 'app.yaml')).toEqual({
      objects: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'api-config', namespace: 'shop' },
          data: { CACHE_SIZE: 'unlimited' },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'api', namespace: 'shop' },
          spec: { replicas: 2 },
        },
      ],
      listedKinds: new Set(),
    });
  });

  it('takes the kind of a kindless object from the nearest folder named for a kind (insights archive)', () => {
    const text = realdata('pods/insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json');
    const pod = JSON.parse(text) as object;
    expect(read(text, 'archive/config/pod/di-288312/vsystem-867f4b77cc-pqcns.json').objects).toEqual([
      { kind: 'Pod', ...pod },
    ]);
  });

  it('takes a kindless object for a Pod from its shape when no folder names a kind', () => {
    const text = realdata('pods/insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json');
    const pod = JSON.parse(text) as object;
    expect(read(text, 'incident-4711/vsystem.json').objects).toEqual([{ kind: 'Pod', ...pod }]);
  });

  it('refuses a kindless object whose kind it cannot tell rather than guess', () => {
    // A Deployment without kind, outside any folder that names it: a pod template is not a pod.
    const text = realdata(
      'deployments/troubleshoot_deployments_kube-system_coredns_metrics-server_managedFields.json',
    );
    const error = errorOf(() => read(text, 'incident-4711/kube-system.json'));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toMatch(/^incident-4711\/kube-system\.json:1:/);
  });

  it('refuses a document is not a Kubernetes object, naming the file and its line', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\n# values for the chart\nreplicaCount: 2\nimage:\n  tag: "1.15"\n';
    const error = errorOf(() => read(text, 'values.yaml'));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toMatch(/^values\.yaml:7:/);
    expect(error.message).toContain('a document is not a Kubernetes object');
  });
});
