import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { probeFailure } from './probe-failure.js';
import { realdataPath } from '../../../test/support/realdata.js';

const NOW = new Date('2026-11-20T03:12:00Z');

const deployment: KubeObject = {
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid: 'd-1' },
};
const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  metadata: {
    name: 'web-7d4b9c',
    namespace: 'shop',
    uid: 'rs-1',
    ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd-1', controller: true }],
  },
};

/** A pod of Deployment web, as `kubectl get pod -o json` shows it, with one container in the given state. */
function webPod(container: object, status: object): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name: 'web-7d4b9c-x2k1p',
      namespace: 'shop',
      uid: 'p-1',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d4b9c', uid: 'rs-1', controller: true }],
    },
    spec: {
      containers: [
        { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }], ...container },
      ],
    },
    status: { phase: 'Running', containerStatuses: [{ name: 'web', image: 'nginx:1.27', ...status }] },
  };
}

/** A core/v1 event as the kubelet writes it. */
function kubeletEvent(
  name: string,
  reason: string,
  message: string,
  count: number,
  type = 'Warning',
): KubeObject {
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name: `web-7d4b9c-x2k1p.${name}`, namespace: 'shop' },
    involvedObject: {
      kind: 'Pod',
      namespace: 'shop',
      name: 'web-7d4b9c-x2k1p',
      uid: 'p-1',
      apiVersion: 'v1',
      fieldPath: 'spec.containers{web}',
    },
    reason,
    message,
    source: { component: 'kubelet', host: 'worker-1' },
    firstTimestamp: '2026-11-20T02:50:10Z',
    lastTimestamp: '2026-11-20T03:11:50Z',
    count,
    type,
  };
}

const readiness = {
  readinessProbe: {
    httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  },
};

describe('probe-failure', () => {
  it('finds nothing for a ready container with passing probes', () => {
    const pod = webPod(readiness, {
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: '2026-11-20T02:50:00Z' } },
    });
    expect(probeFailure.detect(pod, contextOf([deployment, replicaSet, pod], NOW))).toEqual([]);
  });

  it('blames no probe of the real pod whose containers never started (its init container crash-loops)', () => {
    // The capture is a bare object without `kind`, as `kubectl get pod -o json | jq` left it.
    const raw = JSON.parse(
      readFileSync(
        realdataPath('pods/insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json'),
        'utf8',
      ),
    ) as object;
    const pod = { ...raw, kind: 'Pod' } as KubeObject;
    expect(probeFailure.detect(pod, contextOf([pod], NOW))).toEqual([]);
  });

  it('gives a container time to pass its readiness probe before calling it failing', () => {
    const pod = webPod(readiness, {
      ready: false,
      restartCount: 0,
      state: { running: { startedAt: '2026-11-20T03:11:40Z' } },
    });
    expect(probeFailure.detect(pod, contextOf([pod], NOW))).toEqual([]);
  });

  it('names the readiness probe on a path that returns 404, with its events (S10)', () => {
    const pod = webPod(readiness, {
      ready: false,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: '2026-11-20T02:50:00Z' } },
    });
    const unhealthy = kubeletEvent(
      '1879a3c1f0e2b4d1',
      'Unhealthy',
      'Readiness probe failed: HTTP probe failed with statuscode: 404',
      131,
    );
    const objects = [deployment, replicaSet, pod, unhealthy];
    expect(probeFailure.detect(pod, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'probe-failure',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'shop', name: 'web-7d4b9c-x2k1p' },
        message:
          'container web is running but not ready: its readiness probe fails, so no Service sends it traffic',
        evidence: [
          { source: 'status', text: 'container web: Running since 2026-11-20T02:50:00Z, not ready' },
          {
            source: 'spec',
            text: 'readinessProbe: httpGet http://:8080/healthz, initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, failureThreshold 3',
          },
          {
            source: 'event',
            text: 'Unhealthy (x131, last 2026-11-20T03:11:50Z): Readiness probe failed: HTTP probe failed with statuscode: 404',
          },
        ],
        fix: {
          summary:
            'the app does not serve /healthz (404): point readinessProbe.httpGet.path at a path it serves',
          commands: [
            'kubectl -n shop port-forward pod/web-7d4b9c-x2k1p 8080  # then: curl -i localhost:8080/healthz',
            `kubectl -n shop patch deployment/web --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/httpGet/path","value":"/PATH-THE-APP-SERVES"}]'`,
          ],
        },
      },
    ]);
  });

  it('names the liveness probe that restarts a container, and the port nothing listens on', () => {
    const pod = webPod(
      { livenessProbe: { tcpSocket: { port: 8081 }, initialDelaySeconds: 5, periodSeconds: 5 } },
      {
        ready: true,
        restartCount: 4,
        state: { running: { startedAt: '2026-11-20T03:11:30Z' } },
        lastState: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: '2026-11-20T03:10:40Z',
            finishedAt: '2026-11-20T03:11:29Z',
          },
        },
      },
    );
    const objects = [
      deployment,
      replicaSet,
      pod,
      kubeletEvent(
        '1879a3c1f0e2b4d2',
        'Unhealthy',
        'Liveness probe failed: dial tcp 10.244.1.17:8081: connect: connection refused',
        12,
      ),
      kubeletEvent(
        '1879a3c1f0e2b4d3',
        'Killing',
        'Container web failed liveness probe, will be restarted',
        4,
        'Normal',
      ),
    ];
    expect(probeFailure.detect(pod, contextOf(objects, NOW))).toEqual([
      {
        ruleId: 'probe-failure',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'shop', name: 'web-7d4b9c-x2k1p' },
        message: 'container web is restarted by its failing liveness probe (4 restarts)',
        evidence: [
          { source: 'status', text: 'container web: 4 restarts' },
          {
            source: 'spec',
            text: 'livenessProbe: tcpSocket :8081, initialDelaySeconds 5, periodSeconds 5, timeoutSeconds 1, failureThreshold 3',
          },
          {
            source: 'event',
            text: 'Unhealthy (x12, last 2026-11-20T03:11:50Z): Liveness probe failed: dial tcp 10.244.1.17:8081: connect: connection refused',
          },
          {
            source: 'event',
            text: 'Killing (x4, last 2026-11-20T03:11:50Z): Container web failed liveness probe, will be restarted',
          },
          { source: 'spec', text: "the probe's port 8081 is not among the container's ports (8080)" },
        ],
        fix: {
          summary:
            "nothing listens on the probe's port 8081: set livenessProbe to the port the app listens on, or give it longer to start (a startupProbe or a larger initialDelaySeconds)",
          commands: ['kubectl -n shop edit deployment/web  # containers[web].livenessProbe'],
        },
      },
    ]);
  });

  it('suggests a longer timeout when the probe times out', () => {
    const pod = webPod(readiness, {
      ready: false,
      restartCount: 0,
      state: { running: { startedAt: '2026-11-20T02:50:00Z' } },
    });
    const event = kubeletEvent(
      '1879a3c1f0e2b4d4',
      'Unhealthy',
      'Readiness probe failed: Get "http://10.244.1.17:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      40,
    );
    const [finding] = probeFailure.detect(pod, contextOf([deployment, replicaSet, pod, event], NOW));
    expect(finding?.fix).toEqual({
      summary:
        'the probe times out after 1s: raise readinessProbe.timeoutSeconds, or make the endpoint answer without waiting on dependencies',
      commands: [
        `kubectl -n shop patch deployment/web --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe/timeoutSeconds","value":5}]'`,
      ],
    });
  });
});
