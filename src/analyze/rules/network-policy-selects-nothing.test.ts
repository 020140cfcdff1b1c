import { describe, expect, it } from 'vitest';
import { Coverage } from '../../core/coverage.js';
import type { KubeObject } from '../../core/kube-object.js';
import { Snapshot } from '../../core/snapshot.js';
import { buildGraph } from '../../graph/build-graph.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { networkPolicySelectsNothing } from './network-policy-selects-nothing.js';

const policy = (podSelector: object): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'api-allow-frontend', namespace: 'shop' },
  spec: {
    podSelector,
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ podSelector: { matchLabels: { app: 'frontend' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
  },
});
const pod = (name: string, labels: Record<string, string>): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});
const apiPods = [
  pod('api-7c9d8-abcde', { app: 'api-server', tier: 'backend', 'pod-template-hash': '7c9d8' }),
  pod('api-7c9d8-fghij', { app: 'api-server', tier: 'backend', 'pod-template-hash': '7c9d8' }),
  pod('frontend-5f6b7-klmno', { app: 'frontend' }),
];

describe('network-policy-selects-nothing', () => {
  it('finds nothing when the podSelector selects a pod', () => {
    const netpol = policy({ matchLabels: { app: 'api-server' } });
    expect(networkPolicySelectsNothing.detect(netpol, contextOf([netpol, ...apiPods]))).toEqual([]);
  });

  it('finds nothing for an empty podSelector, which selects every pod now and later', () => {
    const denyAll: KubeObject = {
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny-ingress', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
    expect(networkPolicySelectsNothing.detect(denyAll, contextOf([denyAll]))).toEqual([]);
  });

  it('names the closest labels when the podSelector matches no pod (a typo)', () => {
    const netpol = policy({ matchLabels: { app: 'api', tier: 'backend' } });
    expect(networkPolicySelectsNothing.detect(netpol, contextOf([netpol, ...apiPods]))).toEqual([
      {
        ruleId: 'network-policy-selects-nothing',
        severity: 'warning',
        resource: { kind: 'NetworkPolicy', namespace: 'shop', name: 'api-allow-frontend' },
        message:
          'NetworkPolicy api-allow-frontend selects app=api,tier=backend, which no pod in shop carries: its rules apply to no pod; pods are labelled app=api-server,tier=backend',
        evidence: [
          {
            source: 'spec',
            text: 'podSelector app=api,tier=backend (policyTypes Ingress) matches no pod in shop',
          },
          { source: 'graph', text: 'closest: 2 pod(s) labelled app=api-server,tier=backend' },
        ],
        fix: {
          summary:
            'make the podSelector match the pods it is meant for (app=api-server,tier=backend), or relabel the pods',
          commands: ['kubectl -n shop edit networkpolicy api-allow-frontend'],
        },
      },
    ]);
  });

  it('is info when no pod shares a selector key (the workload may not be deployed yet)', () => {
    const netpol = policy({ matchLabels: { 'app.kubernetes.io/name': 'billing' } });
    const [finding] = networkPolicySelectsNothing.detect(netpol, contextOf([netpol, ...apiPods]));
    expect(finding?.severity).toBe('info');
    expect(finding?.message).toBe(
      'NetworkPolicy api-allow-frontend selects app.kubernetes.io/name=billing, which no pod in shop carries: its rules apply to no pod',
    );
  });

  it('says nothing when pods were not read in the namespace', () => {
    const netpol = policy({ matchLabels: { app: 'api' } });
    const coverage = new Coverage();
    coverage.add('NetworkPolicy');
    const snapshot = new Snapshot({
      objects: [netpol],
      coverage,
      capturedAt: new Date('2026-11-20T03:12:00Z'),
    });
    const context = { snapshot, graph: buildGraph(snapshot), now: snapshot.capturedAt };
    expect(networkPolicySelectsNothing.detect(netpol, context)).toEqual([]);
  });
});
