import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { realdataItems } from '../../../test/support/realdata.js';
import { missingRequestsLimits } from './missing-requests-limits.js';

const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  metadata: {
    name: 'worker-5c9f7',
    namespace: 'shop',
    uid: 'rs-uid',
    ownerReferences: [{ kind: 'Deployment', name: 'worker', uid: 'deploy-uid', controller: true }],
  },
};
const deployment: KubeObject = {
  kind: 'Deployment',
  metadata: { name: 'worker', namespace: 'shop', uid: 'deploy-uid' },
};
const pod = (containers: readonly object[], status: object): KubeObject => ({
  kind: 'Pod',
  metadata: {
    name: 'worker-5c9f7-x2x9q',
    namespace: 'shop',
    ownerReferences: [{ kind: 'ReplicaSet', name: 'worker-5c9f7', uid: 'rs-uid', controller: true }],
  },
  spec: { nodeName: 'worker-1', containers },
  status,
});
const oomKilled = {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'worker',
      restartCount: 4,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-11-20T03:05:00Z' } },
    },
    { name: 'sidecar', restartCount: 0, state: { running: { startedAt: '2026-11-20T01:00:00Z' } } },
  ],
};

describe('missing-requests-limits', () => {
  it('does not nag a healthy pod without requests or limits', () => {
    const healthy = pod([{ name: 'worker' }], {
      phase: 'Running',
      containerStatuses: [{ name: 'worker', ready: true, state: { running: {} } }],
    });
    expect(missingRequestsLimits.detect(healthy, contextOf([healthy]))).toEqual([]);
  });

  it('finds nothing for the real OOM-killed Job pod: its container has a memory request and limit', () => {
    const [real] = realdataItems('pods/troubleshoot_oomkilled-job-pod_podlist.json');
    expect(missingRequestsLimits.detect(real!, contextOf([real!]))).toEqual([]);
  });

  it('points at the OOM-killed container with no memory request or limit, not at its healthy sidecar', () => {
    const failing = pod(
      [
        { name: 'worker', image: 'worker:2.3' },
        { name: 'sidecar', image: 'envoy:1.31' },
      ],
      oomKilled,
    );
    expect(missingRequestsLimits.detect(failing, contextOf([failing, replicaSet, deployment]))).toEqual([
      {
        ruleId: 'missing-requests-limits',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'shop', name: 'worker-5c9f7-x2x9q' },
        message: 'container worker has no memory request and no memory limit, and its pod was OOMKilled',
        evidence: [{ source: 'spec', text: 'container worker: memory request none, limit none' }],
        fix: {
          summary:
            'give container worker a memory request of what it uses and a limit above its peak, so the scheduler reserves it and a leak stops at the container',
          commands: [
            'kubectl -n shop set resources deployment/worker -c worker --requests=memory=REQUEST --limits=memory=LIMIT  # REQUEST: what it uses; LIMIT: above its peak',
          ],
        },
      },
    ]);
  });

  it('sets the missing request to the limit an OOM-killed container already has', () => {
    const failing = pod(
      [{ name: 'worker', resources: { limits: { memory: '512Mi' } } }, { name: 'sidecar' }],
      oomKilled,
    );
    const [finding] = missingRequestsLimits.detect(failing, contextOf([failing, replicaSet, deployment]));
    expect(finding?.message).toBe('container worker has no memory request, and its pod was OOMKilled');
    expect(finding?.fix?.commands).toEqual([
      'kubectl -n shop set resources deployment/worker -c worker --requests=memory=512Mi',
    ]);
  });

  it('asks an evicted pod’s container for a memory request of what the kubelet saw it use', () => {
    const evicted = pod([{ name: 'worker' }], {
      phase: 'Failed',
      reason: 'Evicted',
      message:
        'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container worker was using 1200Mi, request is 0, has larger consumption of memory. ',
    });
    expect(missingRequestsLimits.detect(evicted, contextOf([evicted, replicaSet, deployment]))).toEqual([
      {
        ruleId: 'missing-requests-limits',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'shop', name: 'worker-5c9f7-x2x9q' },
        message: 'container worker has no memory request, and its pod was evicted for node memory pressure',
        evidence: [{ source: 'spec', text: 'container worker: memory request none, limit none' }],
        fix: {
          summary:
            'give container worker a memory request of what it used (1200Mi), so the scheduler reserves it and it is not evicted first',
          commands: ['kubectl -n shop set resources deployment/worker -c worker --requests=memory=1200Mi'],
        },
      },
    ]);
  });

  it('says how to change a bare pod, whose resources cannot be set in place', () => {
    const bare: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'scratch', namespace: 'shop' },
      spec: { containers: [{ name: 'shell' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'shell', lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } },
        ],
      },
    };
    expect(missingRequestsLimits.detect(bare, contextOf([bare]))[0]?.fix?.commands).toEqual([
      'kubectl -n shop get pod scratch -o yaml > pod.yaml  # set containers[shell].resources (--requests=memory=REQUEST --limits=memory=LIMIT), then: kubectl replace --force -f pod.yaml',
    ]);
  });
});
