import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { pdbNoDisruptions } from './pdb-no-disruptions.js';

const deployment: KubeObject = {
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop', uid: 'd-1' },
};
const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  metadata: {
    name: 'api-5c9f7',
    namespace: 'shop',
    uid: 'rs-1',
    ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'd-1', controller: true }],
  },
};
const pods: KubeObject[] = ['api-5c9f7-4xk2p', 'api-5c9f7-9dz8w', 'api-5c9f7-qw7rt'].map((name) => ({
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'shop',
    labels: { app: 'api', 'pod-template-hash': '5c9f7' },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'api-5c9f7', uid: 'rs-1', controller: true }],
  },
  status: { phase: 'Running' },
}));

/** A policy/v1 budget as `kubectl get pdb -o json` shows it once the disruption controller has run. */
function pdb(name: string, spec: object, status: object): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, ...spec },
    status: { observedGeneration: 1, ...status },
  };
}

const allowed = (reason: string, status: string): object => ({
  type: 'DisruptionAllowed',
  status,
  reason,
  message: '',
  observedGeneration: 1,
  lastTransitionTime: '2026-11-20T02:00:00Z',
});

describe('pdb-no-disruptions', () => {
  it('finds nothing for a budget that allows a disruption', () => {
    const budget = pdb(
      'api',
      { minAvailable: 2 },
      {
        currentHealthy: 3,
        desiredHealthy: 2,
        expectedPods: 3,
        disruptionsAllowed: 1,
        conditions: [allowed('SufficientPods', 'True')],
      },
    );
    expect(pdbNoDisruptions.detect(budget, contextOf([budget, deployment, replicaSet, ...pods]))).toEqual([]);
  });

  it('shows the arithmetic of minAvailable equal to the replicas (S13)', () => {
    const budget = pdb(
      'api',
      { minAvailable: 3 },
      {
        currentHealthy: 3,
        desiredHealthy: 3,
        expectedPods: 3,
        disruptionsAllowed: 0,
        conditions: [allowed('InsufficientPods', 'False')],
      },
    );
    expect(pdbNoDisruptions.detect(budget, contextOf([budget, deployment, replicaSet, ...pods]))).toEqual([
      {
        ruleId: 'pdb-no-disruptions',
        severity: 'warning',
        resource: { kind: 'PodDisruptionBudget', namespace: 'shop', name: 'api' },
        message:
          'PodDisruptionBudget api allows no disruptions even with all 3 pods healthy (minAvailable 3): evictions and node drains are refused',
        evidence: [
          { source: 'spec', text: 'minAvailable 3' },
          {
            source: 'status',
            text: 'currentHealthy 3, desiredHealthy 3, expectedPods 3: disruptionsAllowed = 3 − 3 = 0',
          },
          { source: 'status', text: 'DisruptionAllowed=False InsufficientPods' },
        ],
        fix: {
          summary: 'relax the budget so one pod may be evicted at a time, or scale Deployment/api up first',
          commands: [
            `kubectl -n shop patch pdb api --type=merge -p '{"spec":{"minAvailable":null,"maxUnavailable":1}}'`,
            'kubectl -n shop scale deployment/api --replicas=4',
          ],
        },
      },
    ]);
  });

  it('blames unhealthy pods when the budget could otherwise be met', () => {
    const budget = pdb(
      'api',
      { maxUnavailable: 1 },
      {
        currentHealthy: 2,
        desiredHealthy: 2,
        expectedPods: 3,
        disruptionsAllowed: 0,
        conditions: [allowed('InsufficientPods', 'False')],
      },
    );
    expect(pdbNoDisruptions.detect(budget, contextOf([budget, deployment, replicaSet, ...pods]))).toEqual([
      {
        ruleId: 'pdb-no-disruptions',
        severity: 'warning',
        resource: { kind: 'PodDisruptionBudget', namespace: 'shop', name: 'api' },
        message:
          'PodDisruptionBudget api allows no disruptions: only 2 of 3 pods are healthy and it needs 2; evictions and node drains are refused',
        evidence: [
          { source: 'spec', text: 'maxUnavailable 1' },
          {
            source: 'status',
            text: 'currentHealthy 2, desiredHealthy 2, expectedPods 3: disruptionsAllowed = 2 − 2 = 0',
          },
          { source: 'status', text: 'DisruptionAllowed=False InsufficientPods' },
        ],
        fix: {
          summary:
            'make the unhealthy pods healthy first (the budget counts them against it), or relax the budget',
          commands: [
            "kubectl -n shop get pods -l 'app=api'",
            `kubectl -n shop patch pdb api --type=merge -p '{"spec":{"minAvailable":null,"maxUnavailable":1}}'`,
          ],
        },
      },
    ]);
  });

  it('names pods that two budgets select', () => {
    const status = { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1 };
    const first = pdb('api', { minAvailable: 2 }, status);
    const second = pdb(
      'api-legacy',
      { maxUnavailable: 1, selector: { matchLabels: { 'pod-template-hash': '5c9f7' } } },
      status,
    );
    expect(pdbNoDisruptions.detect(first, contextOf([first, second, ...pods]))).toEqual([
      {
        ruleId: 'pdb-no-disruptions',
        severity: 'warning',
        resource: { kind: 'PodDisruptionBudget', namespace: 'shop', name: 'api' },
        message: 'PodDisruptionBudget api and api-legacy both select 3 pods: their evictions fail',
        evidence: [
          { source: 'graph', text: 'selected by both: api-5c9f7-4xk2p, api-5c9f7-9dz8w, api-5c9f7-qw7rt' },
          { source: 'spec', text: 'selector app=api' },
        ],
        fix: {
          summary: 'give each pod one budget: narrow one selector or merge the two budgets',
          commands: ['kubectl -n shop get pdb api api-legacy -o wide'],
        },
      },
    ]);
  });
});
