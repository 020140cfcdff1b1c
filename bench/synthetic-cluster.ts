/**
 * A synthetic cluster for benchmarks, written in the `kubectl cluster-info dump --output-directory`
 * layout: objects shaped like real ones (owner chains with uids, selectors, env key references,
 * volumes, statuses, events with counts), with a few hundred failures spread through it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterSize {
  readonly namespaces: number;
  readonly nodes: number;
  readonly deployments: number;
  readonly podsPerDeployment: number;
  readonly services: number;
  readonly configMaps: number;
  readonly secrets: number;
  readonly eventsPerFailingPod: number;
  /** One pod in this many is failing. */
  readonly failingEvery: number;
}

export const ISSUE_SIZE: ClusterSize = {
  namespaces: 40,
  nodes: 100,
  deployments: 2000,
  podsPerDeployment: 5,
  services: 1000,
  configMaps: 1500,
  secrets: 1500,
  eventsPerFailingPod: 3,
  failingEvery: 33,
};

const T = '2026-11-20T03:00:00Z';
const list = (kind: string, apiVersion: string, items: unknown[]): string =>
  JSON.stringify({ kind: `${kind}List`, apiVersion, metadata: { resourceVersion: '1' }, items }, null, 4);

/** Writes the cluster under `dir`; returns the number of objects written. */
export function writeSyntheticCluster(dir: string, size: ClusterSize): number {
  let count = 0;
  let uidSeq = 0;
  const uid = (): string => `00000000-0000-4000-8000-${(uidSeq++).toString(16).padStart(12, '0')}`;
  const nodes = Array.from({ length: size.nodes }, (_, i) => ({
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name: `node-${i}`,
      uid: uid(),
      creationTimestamp: T,
      labels: { 'kubernetes.io/hostname': `node-${i}` },
    },
    status: {
      capacity: { cpu: '16', memory: '64Gi', pods: '110' },
      allocatable: { cpu: '15800m', memory: '62Gi', pods: '110' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          lastHeartbeatTime: T,
          lastTransitionTime: T,
        },
      ],
    },
  }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nodes.json'), list('Node', 'v1', nodes));
  count += nodes.length;

  const perNs = (total: number): number => Math.ceil(total / size.namespaces);
  let podIndex = 0;
  for (let n = 0; n < size.namespaces; n++) {
    const ns = `team-${n}`;
    const deployments: unknown[] = [];
    const replicaSets: unknown[] = [];
    const pods: unknown[] = [];
    const events: unknown[] = [];
    const services: unknown[] = [];
    const configMaps: unknown[] = [];
    const secrets: unknown[] = [];
    const cmCount = perNs(size.configMaps);
    const secretCount = perNs(size.secrets);
    for (let c = 0; c < cmCount; c++) {
      configMaps.push({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: `config-${c}`, namespace: ns, uid: uid(), creationTimestamp: T },
        data: {
          LOG_LEVEL: 'info',
          CACHE_SIZE: '512',
          'app.yaml': `server:\n  port: 8080\nupstream:\n  url: http://app-${String(c % perNs(size.services))}.${ns}.svc.cluster.local/v1\n`,
        },
      });
    }
    for (let s = 0; s < secretCount; s++) {
      secrets.push({
        kind: 'Secret',
        apiVersion: 'v1',
        type: 'Opaque',
        metadata: { name: `secret-${s}`, namespace: ns, uid: uid(), creationTimestamp: T },
        data: { password: 'cGFzc3dvcmQ=' },
      });
    }
    const deploymentCount = perNs(size.deployments);
    for (let d = 0; d < deploymentCount; d++) {
      const app = `app-${d}`;
      const hash = `${(d * 7919 + n).toString(16).padStart(8, '0').slice(-8)}9`;
      const deployUid = uid();
      const rsUid = uid();
      const template = {
        serviceAccountName: 'default',
        containers: [
          {
            name: 'main',
            image: `registry.example.com/${ns}/${app}:1.0.${d % 10}`,
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            env: [
              {
                name: 'CACHE_SIZE',
                valueFrom: { configMapKeyRef: { name: `config-${d % cmCount}`, key: 'CACHE_SIZE' } },
              },
              // What it dials, as programs write it: a calls edge to a Service of its namespace.
              { name: 'UPSTREAM_URL', value: `http://app-${String((d + 1) % perNs(size.services))}:80/api` },
            ],
            envFrom: [{ secretRef: { name: `secret-${d % secretCount}` } }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          },
        ],
        volumes: [{ name: 'config', configMap: { name: `config-${d % cmCount}` } }],
      };
      deployments.push({
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: {
          name: app,
          namespace: ns,
          uid: deployUid,
          creationTimestamp: T,
          labels: { app },
          annotations: { 'deployment.kubernetes.io/revision': '1' },
        },
        spec: {
          replicas: size.podsPerDeployment,
          selector: { matchLabels: { app } },
          template: { metadata: { labels: { app } }, spec: template },
        },
        status: {
          replicas: size.podsPerDeployment,
          readyReplicas: size.podsPerDeployment,
          availableReplicas: size.podsPerDeployment,
        },
      });
      replicaSets.push({
        kind: 'ReplicaSet',
        apiVersion: 'apps/v1',
        metadata: {
          name: `${app}-${hash}`,
          namespace: ns,
          uid: rsUid,
          creationTimestamp: T,
          labels: { app, 'pod-template-hash': hash },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: app,
              uid: deployUid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: size.podsPerDeployment,
          selector: { matchLabels: { app, 'pod-template-hash': hash } },
          template: { metadata: { labels: { app } }, spec: template },
        },
        status: { replicas: size.podsPerDeployment, readyReplicas: size.podsPerDeployment },
      });
      for (let p = 0; p < size.podsPerDeployment; p++) {
        const name = `${app}-${hash}-${(p * 31 + d).toString(36).padStart(5, 'x').slice(-5)}`;
        const failing = podIndex++ % size.failingEvery === 0;
        const podUid = uid();
        pods.push({
          kind: 'Pod',
          apiVersion: 'v1',
          metadata: {
            name,
            namespace: ns,
            uid: podUid,
            creationTimestamp: T,
            labels: { app, 'pod-template-hash': hash },
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name: `${app}-${hash}`,
                uid: rsUid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: { ...template, nodeName: `node-${podIndex % size.nodes}`, restartPolicy: 'Always' },
          status: {
            phase: 'Running',
            conditions: [{ type: 'Ready', status: failing ? 'False' : 'True', lastTransitionTime: T }],
            podIP: `10.${n}.${Math.floor(p / 250)}.${p % 250}`,
            containerStatuses: [
              failing
                ? {
                    name: 'main',
                    ready: false,
                    restartCount: 12,
                    state: {
                      waiting: {
                        reason: 'CrashLoopBackOff',
                        message: `back-off 5m0s restarting failed container=main pod=${name}_${ns}(${podUid})`,
                      },
                    },
                    lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: T, finishedAt: T } },
                  }
                : { name: 'main', ready: true, restartCount: 0, state: { running: { startedAt: T } } },
            ],
          },
        });
        if (failing) {
          for (let e = 0; e < size.eventsPerFailingPod; e++) {
            events.push({
              kind: 'Event',
              apiVersion: 'v1',
              metadata: { name: `${name}.${e}`, namespace: ns, uid: uid(), creationTimestamp: T },
              involvedObject: {
                kind: 'Pod',
                namespace: ns,
                name,
                uid: podUid,
                apiVersion: 'v1',
                fieldPath: 'spec.containers{main}',
              },
              reason: e === 0 ? 'BackOff' : e === 1 ? 'Pulled' : 'Started',
              message:
                e === 0
                  ? `Back-off restarting failed container main in pod ${name}_${ns}(${podUid})`
                  : e === 1
                    ? 'Container image already present on machine'
                    : 'Started container main',
              type: e === 0 ? 'Warning' : 'Normal',
              source: { component: 'kubelet', host: `node-${podIndex % size.nodes}` },
              firstTimestamp: T,
              lastTimestamp: '2026-11-20T03:40:00Z',
              count: 12,
            });
          }
        }
      }
    }
    const serviceCount = perNs(size.services);
    for (let s = 0; s < serviceCount; s++) {
      services.push({
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name: `app-${s}`, namespace: ns, uid: uid(), creationTimestamp: T },
        spec: {
          selector: { app: `app-${s}` },
          ports: [{ name: 'http', port: 80, targetPort: 'http' }],
          clusterIP: `10.96.${n}.${s % 250}`,
        },
      });
    }
    const nsDir = join(dir, ns);
    mkdirSync(nsDir, { recursive: true });
    writeFileSync(join(nsDir, 'deployments.json'), list('Deployment', 'apps/v1', deployments));
    writeFileSync(join(nsDir, 'replicasets.json'), list('ReplicaSet', 'apps/v1', replicaSets));
    writeFileSync(join(nsDir, 'pods.json'), list('Pod', 'v1', pods));
    writeFileSync(join(nsDir, 'events.json'), list('Event', 'v1', events));
    writeFileSync(join(nsDir, 'services.json'), list('Service', 'v1', services));
    writeFileSync(join(nsDir, 'configmaps.json'), list('ConfigMap', 'v1', configMaps));
    writeFileSync(join(nsDir, 'secrets.json'), list('Secret', 'v1', secrets));
    count +=
      deployments.length +
      replicaSets.length +
      pods.length +
      events.length +
      services.length +
      configMaps.length +
      secrets.length;
  }
  return count;
}
