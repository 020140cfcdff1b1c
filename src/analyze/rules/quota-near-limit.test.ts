import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { quotaNearLimit } from './quota-near-limit.js';

const quota = (used: Record<string, string>, spec: object = {}): KubeObject => {
  const hard = {
    'requests.cpu': '4',
    'requests.memory': '8Gi',
    'limits.memory': '16Gi',
    pods: '20',
    services: '10',
    'services.loadbalancers': '0',
  };
  return {
    kind: 'ResourceQuota',
    apiVersion: 'v1',
    metadata: { name: 'compute', namespace: 'shop' },
    spec: { hard, ...spec },
    status: { hard, used },
  };
};
const pod = (name: string, owner: string | undefined, cpu: string, phase = 'Running'): KubeObject => ({
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'shop',
    ...(owner === undefined
      ? {}
      : { ownerReferences: [{ kind: 'ReplicaSet', name: owner, controller: true }] }),
  },
  spec: {
    containers: [
      { name: 'app', resources: { requests: { cpu, memory: '700Mi' }, limits: { memory: '700Mi' } } },
    ],
  },
  status: { phase },
});
const replicaSet = (name: string, deployment: string): KubeObject => ({
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'shop',
    ownerReferences: [{ kind: 'Deployment', name: deployment, controller: true }],
  },
});

describe('quota-near-limit', () => {
  it('finds nothing for a quota with room left, and leaves a hard limit of 0 alone', () => {
    const roomy = quota({
      'requests.cpu': '2500m',
      'requests.memory': '4Gi',
      'limits.memory': '6Gi',
      pods: '9',
      services: '3',
      'services.loadbalancers': '0',
    });
    expect(quotaNearLimit.detect(roomy, contextOf([roomy]))).toEqual([]);
  });

  it('says which resource is used up, what is refused, who uses it, and a limit with room', () => {
    const full = quota({
      'requests.cpu': '4',
      'requests.memory': '7700Mi',
      'limits.memory': '7700Mi',
      pods: '11',
      services: '3',
      'services.loadbalancers': '0',
    });
    const objects = [
      full,
      replicaSet('api-7d9f8c', 'api'),
      replicaSet('web-5b6c7d', 'web'),
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((s) => pod(`api-7d9f8c-${s}`, 'api-7d9f8c', '500m')),
      ...['a', 'b', 'c', 'd'].map((s) => pod(`web-5b6c7d-${s}`, 'web-5b6c7d', '200m')),
      pod('debug', undefined, '200m'),
      // Finished pods count against no quota.
      pod('migrate-x2x9q', undefined, '2', 'Succeeded'),
    ];
    expect(quotaNearLimit.detect(full, contextOf(objects))).toEqual([
      {
        ruleId: 'quota-near-limit',
        severity: 'critical',
        resource: { kind: 'ResourceQuota', namespace: 'shop', name: 'compute' },
        message:
          'ResourceQuota compute is used up: requests.cpu 4 of 4, requests.memory 7700Mi of 8Gi; new pods that need more of requests.cpu are refused',
        evidence: [
          { source: 'status', text: 'requests.cpu used 4 of hard 4 (100%)' },
          {
            source: 'spec',
            text: 'most requests.cpu: Deployment/api 3 cores (6 pods), Deployment/web 800m (4 pods), Pod/debug 200m (1 pod)',
          },
          { source: 'status', text: 'requests.memory used 7700Mi of hard 8Gi (93%)' },
          {
            source: 'spec',
            text: 'most requests.memory: Deployment/api 4.1Gi (6 pods), Deployment/web 2.7Gi (4 pods), Pod/debug 700Mi (1 pod)',
          },
        ],
        fix: {
          summary:
            'raise the hard limits, or free quota: lower the requests of its biggest users, scale down or delete what is not needed',
          commands: [
            'kubectl -n shop describe resourcequota compute',
            `kubectl -n shop patch resourcequota compute --type=merge -p '{"spec":{"hard":{"requests.cpu":"5","requests.memory":"9625Mi"}}}'  # leaves 20% free`,
          ],
        },
      },
    ]);
  });

  it('names no users for a scoped quota (it counts only some pods), and warns below 100%', () => {
    const near = quota({ 'requests.cpu': '1', pods: '19', services: '10' }, { scopes: ['NotBestEffort'] });
    const [finding] = quotaNearLimit.detect(near, contextOf([near, pod('api-1', undefined, '1')]));
    expect(finding?.severity).toBe('critical');
    expect(finding?.message).toBe(
      'ResourceQuota compute is used up: pods 19 of 20, services 10 of 10; new objects that need more of services are refused',
    );
    expect(finding?.evidence).toEqual([
      { source: 'status', text: 'pods used 19 of hard 20 (95%)' },
      { source: 'status', text: 'services used 10 of hard 10 (100%)' },
    ]);
    const warning = quota({ pods: '18' });
    expect(
      quotaNearLimit.detect(warning, contextOf([warning, pod('api-1', undefined, '1')]))[0],
    ).toMatchObject({
      severity: 'warning',
      message: 'ResourceQuota compute is nearly used up: pods 18 of 20',
      evidence: [
        { source: 'status', text: 'pods used 18 of hard 20 (90%)' },
        { source: 'spec', text: 'most pods: Pod/api-1 (1 pod)' },
      ],
    });
  });
});
