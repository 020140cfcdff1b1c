import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../core/kinds.js';
import { FilesSource } from '../kube/files/files-source.js';
import { buildGraph } from './build-graph.js';
import type { DependencyGraph } from './dependency-graph.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../test/fixtures/graph/${name}`, import.meta.url));
const example = fileURLToPath(new URL('../../examples/shop-outage', import.meta.url));

async function graphOf(path: string): Promise<DependencyGraph> {
  const { snapshot } = await new FilesSource({ paths: [path] }).load({ kinds: KINDS });
  return buildGraph(snapshot);
}

/** Every edge as `from -kind-> to {detail}`, sorted, so a whole graph compares as one value. */
function edgeLines(graph: DependencyGraph): string[] {
  return [...graph.edges()]
    .map(
      (edge) =>
        `${edge.from} -${edge.kind}-> ${edge.to}${edge.detail === undefined ? '' : ` ${JSON.stringify(edge.detail)}`}`,
    )
    .sort();
}

describe('buildGraph', () => {
  it('finds every kind of dependency, with keys, ports and how each reference is made', async () => {
    const graph = await graphOf(fixture('every-edge.yaml'));
    expect(edgeLines(graph)).toEqual(
      [
        'APIService//v1beta1.metrics.k8s.io -calls-service-> Service/kube-system/metrics-server {"via":"apiservice","port":"443"}',
        'ClusterRoleBinding//oncall-view -binds-subject-> Group//oncall',
        'ClusterRoleBinding//oncall-view -grants-role-> ClusterRole//view',
        'Deployment/app/web -owns-> ReplicaSet/app/web-5f6d7',
        'Event/app/web-5f6d7-abcde.17a1 -involves-> Pod/app/web-5f6d7-abcde',
        'HorizontalPodAutoscaler/app/web -scales-> Deployment/app/web',
        'Ingress/app/web -routes-to-> Service/app/gone {"via":"rule:web.example.com/old","port":"80"}',
        'Ingress/app/web -routes-to-> Service/app/web {"via":"defaultBackend","port":"http"}',
        'Ingress/app/web -routes-to-> Service/app/web {"via":"rule:web.example.com/","port":"80"}',
        'Ingress/app/web -terminates-tls-with-> Secret/app/web-tls {"via":"tls:web.example.com"}',
        'Ingress/app/web -uses-ingress-class-> IngressClass//nginx',
        'PersistentVolume//pv-1 -uses-storage-class-> StorageClass//fast',
        'PersistentVolumeClaim/app/orphan-claim -uses-storage-class-> StorageClass//no-such-class',
        'PersistentVolumeClaim/app/web-data -bound-to-> PersistentVolume//pv-1',
        'PersistentVolumeClaim/app/web-data -uses-storage-class-> StorageClass//fast',
        'Pod/app/web-5f6d7-abcde -isolated-by-> NetworkPolicy/app/web-ingress',
        'Pod/app/web-5f6d7-abcde -mounts-claim-> PersistentVolumeClaim/app/web-data {"via":"volume:data"}',
        'Pod/app/web-5f6d7-abcde -pulls-with-> Secret/app/pull-direct {"via":"imagePullSecrets"}',
        'Pod/app/web-5f6d7-abcde -pulls-with-> Secret/app/pull-via-sa {"via":"serviceaccount:web"}',
        'Pod/app/web-5f6d7-abcde -runs-as-> ServiceAccount/app/web',
        'Pod/app/web-5f6d7-abcde -runs-on-> Node//node-a',
        'Pod/app/web-5f6d7-abcde -uses-config-map-> ConfigMap/app/init-env {"via":"envFrom","container":"migrate"}',
        'Pod/app/web-5f6d7-abcde -uses-config-map-> ConfigMap/app/kube-root-ca.crt {"via":"volume:bundle","key":"ca.crt"}',
        'Pod/app/web-5f6d7-abcde -uses-config-map-> ConfigMap/app/maybe-config {"via":"env:FLAG","container":"web","key":"FLAG","optional":true}',
        'Pod/app/web-5f6d7-abcde -uses-config-map-> ConfigMap/app/web-config {"via":"env:ABSENT","container":"web","key":"NOT_THERE","keyMissing":true}',
        'Pod/app/web-5f6d7-abcde -uses-config-map-> ConfigMap/app/web-config {"via":"env:MODE","container":"web","key":"MODE"}',
        'Pod/app/web-5f6d7-abcde -uses-config-map-> ConfigMap/app/web-config {"via":"volume:conf"}',
        'Pod/app/web-5f6d7-abcde -uses-priority-class-> PriorityClass//high',
        'Pod/app/web-5f6d7-abcde -uses-runtime-class-> RuntimeClass//gvisor',
        'Pod/app/web-5f6d7-abcde -uses-secret-> Secret/app/projected-secret {"via":"volume:bundle"}',
        'Pod/app/web-5f6d7-abcde -uses-secret-> Secret/app/web-certs {"via":"volume:certs","key":"tls.crt"}',
        'Pod/app/web-5f6d7-abcde -uses-secret-> Secret/app/web-env {"via":"envFrom","container":"web"}',
        'Pod/app/web-5f6d7-abcde -uses-secret-> Secret/app/web-secret {"via":"env:TOKEN","container":"web","key":"token"}',
        'PodDisruptionBudget/app/web -selects-> Pod/app/web-5f6d7-abcde',
        'ReplicaSet/app/web-5f6d7 -owns-> Pod/app/web-5f6d7-abcde',
        'RoleBinding/app/web-reader -binds-subject-> ServiceAccount/app/web',
        'RoleBinding/app/web-reader -grants-role-> Role/app/reader',
        'Service/app/web -has-endpoint-slice-> EndpointSlice/app/web-x7k2p',
        'Service/app/web -selects-> Pod/app/web-5f6d7-abcde',
        'ValidatingWebhookConfiguration//policy -calls-service-> Service/app/web {"via":"webhook:validate.policy.example.com","port":"443"}',
      ].sort(),
    );
  });

  it('marks references to absent objects missing where their kind was read, unknown where it was not', async () => {
    const graph = await graphOf(fixture('every-edge.yaml'));
    const presence = (key: string): string | undefined => graph.nodeByKey(key)?.presence;
    expect(presence('Secret/app/pull-via-sa')).toBe('missing');
    expect(presence('Service/app/gone')).toBe('missing');
    expect(presence('StorageClass//no-such-class')).toBe('missing');
    expect(presence('ConfigMap/app/maybe-config')).toBe('missing');
    // No Service of kube-system was in the files: absence proves nothing there.
    expect(presence('Service/kube-system/metrics-server')).toBe('unknown');
    expect(presence('Group//oncall')).toBe('external');
    expect(presence('Pod/app/web-5f6d7-abcde')).toBe('present');
  });

  it('adds no edge for a Service without selector, a webhook called by URL, or a local APIService', async () => {
    const graph = await graphOf(fixture('every-edge.yaml'));
    expect(graph.outgoing('Service/app/manual')).toEqual([]);
    expect(graph.outgoing('MutatingWebhookConfiguration//injector')).toEqual([]);
    expect(graph.outgoing('APIService//v1.apps')).toEqual([]);
  });

  it('shows a template’s references on a workload only when it has no pods', async () => {
    const graph = await graphOf(fixture('every-edge.yaml'));
    // web has pods: its template's references are on the pod, not repeated on the Deployment.
    expect(graph.outgoing('Deployment/app/web').map((edge) => edge.kind)).toEqual(['owns']);
  });

  it('links the example outage from the Ingress to the missing ConfigMap key and the deleted pull Secret', async () => {
    const graph = await graphOf(example);
    const podEdges = graph.outgoing('Pod/shop/api-6f7d9c8b5d-2xk9p');
    expect(podEdges).toContainEqual({
      from: 'Pod/shop/api-6f7d9c8b5d-2xk9p',
      to: 'ConfigMap/shop/api-config',
      kind: 'uses-config-map',
      detail: { via: 'env:CACHE_SIZE', container: 'api', key: 'CACHE_SIZE', keyMissing: true },
    });
    expect(graph.nodeByKey('Secret/shop/regcred')?.presence).toBe('missing');
    expect(graph.incoming('Service/shop/api').map((edge) => edge.from)).toContain('Ingress/shop/shop');
  });
});
