/**
 * Objects of a small call graph, shaped as the API server returns them: a caller pod in `app` that
 * dials a PostgreSQL Service, for the tests of the rules about calls.
 */
import type { KubeObject } from '../../src/core/kube-object.js';
import type { ContainerLog } from '../../src/core/snapshot.js';

interface CallerOptions {
  readonly name?: string;
  readonly env?: readonly object[];
  readonly envFrom?: readonly object[];
  readonly ready?: boolean;
  readonly owner?: string;
  readonly app?: string;
}

/** A caller pod: Running, Ready unless told otherwise, owned by a ReplicaSet. */
export function callerPod({
  name = 'api-7c9f-x2k4p',
  env = [],
  envFrom = [],
  ready = true,
  owner = 'api-7c9f',
  app = 'api',
}: CallerOptions = {}): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'app',
      labels: { app },
      ownerReferences: [{ kind: 'ReplicaSet', name: owner, uid: `${owner}-uid`, controller: true }],
    },
    spec: { containers: [{ name: 'api', image: 'registry.example.com/api:2.3.1', env, envFrom }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        { name: 'api', ready, restartCount: 0, state: { running: { startedAt: '2026-11-20T02:00:00Z' } } },
      ],
    },
  };
}

/** A ClusterIP Service selecting `app=<name>`. */
export function clusterService(
  name: string,
  namespace: string,
  ports: readonly object[],
  clusterIP?: string,
): KubeObject {
  return {
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports, ...(clusterIP === undefined ? {} : { clusterIP }) },
  };
}

/** The current log of the caller's container. */
export function callerLog(lines: readonly string[], pod = 'api-7c9f-x2k4p'): ContainerLog {
  return { namespace: 'app', pod, container: 'api', previous: false, text: lines.join('\n') };
}

/** A Running, Ready pod of the Service `app` in `namespace`. */
export function readyPod(name: string, namespace: string, app: string): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app },
      ownerReferences: [{ kind: 'StatefulSet', name: app, uid: `${app}-uid`, controller: true }],
    },
    spec: { containers: [{ name: app, image: `registry.example.com/${app}:1` }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: app, ready: true, restartCount: 0, state: { running: {} } }],
    },
  };
}
