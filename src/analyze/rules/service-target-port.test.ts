import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import type { Workload } from '../../core/kube-types.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { serviceTargetPort } from './service-target-port.js';
import { realdataPath } from '../../../test/support/realdata.js';

/** The two kubeadm Deployments of the real capture (a support bundle's kindless array). */
const [coredns, metricsServer] = (
  JSON.parse(
    readFileSync(
      realdataPath(
        'deployments/troubleshoot_deployments_kube-system_coredns_metrics-server_managedFields.json',
      ),
      'utf8',
    ),
  ) as object[]
).map((item) => ({ kind: 'Deployment', ...item }) as Workload) as [Workload, Workload];

/** A running, ready pod made from a Deployment's template, as the ReplicaSet would create it. */
const podOf = (deployment: Workload, name: string): KubeObject => ({
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'kube-system',
    labels: (deployment.spec?.template as { metadata?: { labels?: Record<string, string> } }).metadata
      ?.labels,
  },
  spec: deployment.spec?.template?.spec,
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

/** kubeadm's kube-dns Service. */
const kubeDns: KubeObject = {
  kind: 'Service',
  metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  spec: {
    selector: { 'k8s-app': 'kube-dns' },
    clusterIP: '10.96.0.10',
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
    ],
  },
};

/** metrics-server's Service; its manifests renamed the container port from main-port to https. */
const metricsService = (targetPort: string): KubeObject => ({
  kind: 'Service',
  metadata: { name: 'metrics-server', namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' } },
  spec: {
    selector: { 'k8s-app': 'metrics-server' },
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort }],
  },
});

const web = (targetPort: number | string, protocol?: string): KubeObject => ({
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort, ...(protocol === undefined ? {} : { protocol }) }],
  },
});
const webPod = (name: string, ports?: readonly object[]): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'shop/web:2.1', ...(ports === undefined ? {} : { ports }) }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});
const ingress = (port: { number?: number; name?: string }, service = 'web'): KubeObject => ({
  kind: 'Ingress',
  metadata: { name: 'shop', namespace: 'shop' },
  spec: {
    ingressClassName: 'nginx',
    rules: [
      {
        host: 'shop.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port } } }] },
      },
    ],
  },
});

describe('service-target-port', () => {
  it('finds nothing for kubeadm’s kube-dns over the real coredns pods, numeric ports by protocol', () => {
    const objects = [
      kubeDns,
      podOf(coredns, 'coredns-f9fd979d6-2xkrm'),
      podOf(coredns, 'coredns-f9fd979d6-9q7lz'),
    ];
    expect(serviceTargetPort.detect(kubeDns, contextOf(objects))).toEqual([]);
  });

  it('finds nothing for a named targetPort the real metrics-server pod declares', () => {
    const service = metricsService('main-port');
    const objects = [service, podOf(metricsServer, 'metrics-server-5fbdc54f8c-7v6kq')];
    expect(serviceTargetPort.detect(service, contextOf(objects))).toEqual([]);
  });

  it('says a named targetPort no pod declares leaves the port without endpoints, and names the port they have', () => {
    const service = metricsService('https');
    const objects = [service, podOf(metricsServer, 'metrics-server-5fbdc54f8c-7v6kq')];
    expect(serviceTargetPort.detect(service, contextOf(objects))).toEqual([
      {
        ruleId: 'service-target-port',
        severity: 'critical',
        resource: { kind: 'Service', namespace: 'kube-system', name: 'metrics-server' },
        message:
          'Service metrics-server port 443 (https) targets the named port https/TCP, which its one pod does not declare: the port has no endpoints',
        evidence: [
          { source: 'spec', text: 'ports[0]: port 443 (https), targetPort https' },
          { source: 'graph', text: 'selected pods metrics-server-5fbdc54f8c-7v6kq declare 4443 (main-port)' },
        ],
        fix: {
          summary:
            "point targetPort at the port the pods expose, 4443 (main-port), or declare https in the pods' containers",
          commands: [
            `kubectl -n kube-system patch service metrics-server --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":"main-port"}]'`,
          ],
        },
      },
    ]);
  });

  it('matches a named port by protocol too, as the EndpointSlice controller does', () => {
    const service = web('http', 'UDP');
    const objects = [service, webPod('web-1', [{ name: 'http', containerPort: 8000, protocol: 'TCP' }])];
    expect(serviceTargetPort.detect(service, contextOf(objects))[0]?.message).toBe(
      'Service web port 80/UDP (http) targets the named port http/UDP, which its one pod does not declare: the port has no endpoints',
    );
  });

  it('warns when only some pods lack the named port (a rollout renaming it)', () => {
    const service = web('http');
    const objects = [
      service,
      webPod('web-new-1', [{ name: 'http', containerPort: 8000 }]),
      webPod('web-old-1', [{ name: 'web', containerPort: 8000 }]),
      webPod('web-old-2', [{ name: 'web', containerPort: 8000 }]),
    ];
    const [finding] = serviceTargetPort.detect(service, contextOf(objects));
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toBe(
      'Service web port 80 (http) targets the named port http/TCP, which 2 of its 3 pods lack: they get no traffic on it',
    );
    expect(finding?.evidence[1]).toEqual({
      source: 'graph',
      text: 'pods without it web-old-1, web-old-2 declare 8000 (web)',
    });
    expect(finding?.fix?.commands).toEqual(['kubectl -n shop edit service web']);
  });

  it('warns when a numeric targetPort matches none of the ports the containers declare', () => {
    const service = web(8080);
    const objects = [
      service,
      webPod('web-1', [{ name: 'http', containerPort: 8000, protocol: 'TCP' }]),
      webPod('web-2', [{ name: 'http', containerPort: 8000, protocol: 'TCP' }]),
    ];
    expect(serviceTargetPort.detect(service, contextOf(objects))).toEqual([
      {
        ruleId: 'service-target-port',
        severity: 'warning',
        resource: { kind: 'Service', namespace: 'shop', name: 'web' },
        message:
          'Service web port 80 (http) sends traffic to port 8080/TCP, which none of its 2 pods declares (they declare 8000 (http)): connections there are likely refused',
        evidence: [
          { source: 'spec', text: 'ports[0]: port 80 (http), targetPort 8080' },
          { source: 'graph', text: 'selected pods web-1, web-2 declare 8000 (http)' },
        ],
        fix: {
          summary:
            "point targetPort at the port the pods expose, 8000 (http), or declare 8080 in the pods' containers",
          commands: [
            `kubectl -n shop patch service web --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":8000}]'`,
          ],
        },
      },
    ]);
  });

  it('says nothing of a numeric targetPort when the containers declare no ports (they are informational)', () => {
    const service = web(8080);
    expect(serviceTargetPort.detect(service, contextOf([service, webPod('web-1')]))).toEqual([]);
  });

  it('leaves a Service that selects no pod to service-endpoints', () => {
    const service = web('http');
    expect(serviceTargetPort.detect(service, contextOf([service]))).toEqual([]);
  });

  it('finds nothing for an Ingress backend naming a port the Service has, by number or by name', () => {
    const objects = [web('http'), webPod('web-1', [{ name: 'http', containerPort: 8000 }])];
    for (const backend of [ingress({ number: 80 }), ingress({ name: 'http' })]) {
      expect(serviceTargetPort.detect(backend, contextOf([backend, ...objects]))).toEqual([]);
    }
  });

  it('says an Ingress backend names a port the Service does not have', () => {
    const backend = ingress({ number: 8080 });
    const objects = [backend, web('http'), webPod('web-1', [{ name: 'http', containerPort: 8000 }])];
    expect(serviceTargetPort.detect(backend, contextOf(objects))).toEqual([
      {
        ruleId: 'service-target-port',
        severity: 'critical',
        resource: { kind: 'Ingress', namespace: 'shop', name: 'shop' },
        message:
          'Ingress shop routes shop.example.com/ to port 8080 of Service web, which has ports 80 (http): requests there fail',
        evidence: [
          { source: 'spec', text: 'shop.example.com/ → service web, port number 8080' },
          {
            source: 'spec',
            resource: { kind: 'Service', namespace: 'shop', name: 'web' },
            text: 'Service web has ports 80 (http)',
          },
        ],
        fix: {
          summary: "set the backend's service.port to name: http (or number: 80)",
          commands: ['kubectl -n shop edit ingress shop'],
        },
      },
    ]);
  });

  it('leaves an Ingress backend whose Service is missing to missing-dependency', () => {
    const backend = ingress({ number: 80 }, 'gone');
    expect(serviceTargetPort.detect(backend, contextOf([backend]))).toEqual([]);
  });
});
