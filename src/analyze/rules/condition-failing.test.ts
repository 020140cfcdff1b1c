import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { runRules } from '../rule.js';
import { conditionFailing } from './condition-failing.js';
import { crashLoop } from './crash-loop.js';

/** A cert-manager Certificate an Ingress asked for, as `kubectl get certificate -o json` shows it. */
const certificate: KubeObject = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: {
    name: 'shop-tls',
    namespace: 'shop',
    uid: 'c0f1c7a2-5d0e-4d43-9d3b-8b1f2b9c6e11',
    ownerReferences: [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        name: 'shop',
        uid: '1d3f0b7e-90a4-4c55-a1c2-7b3e5f2d9a40',
        controller: true,
      },
    ],
  },
  spec: {
    dnsNames: ['shop.example.com'],
    issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
    secretName: 'shop-tls',
  },
  status: {
    conditions: [
      {
        lastTransitionTime: '2026-11-20T02:40:11Z',
        message: 'Issuing certificate as Secret does not exist',
        observedGeneration: 1,
        reason: 'DoesNotExist',
        status: 'False',
        type: 'Ready',
      },
      {
        lastTransitionTime: '2026-11-20T02:41:30Z',
        message:
          'The certificate request has failed to complete and will be retried: Failed to wait for order resource "shop-tls-1-2949307426" to become ready: order is in "errored" state: Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates already issued',
        observedGeneration: 1,
        reason: 'Failed',
        status: 'False',
        type: 'Issuing',
      },
    ],
    failedIssuanceAttempts: 1,
    lastFailureTime: '2026-11-20T02:41:30Z',
  },
};

/** A Flux Kustomization whose apply fails (kstatus conditions), owning what it applied. */
function kustomization(conditions: readonly object[]): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system', uid: 'k-1' },
    spec: {
      interval: '10m',
      path: './apps',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    },
    status: { observedGeneration: 4, conditions },
  };
}

const applyFailed = {
  type: 'Ready',
  status: 'False',
  reason: 'ReconciliationFailed',
  message: 'Deployment/apps/podinfo dry-run failed: spec.replicas: Invalid value: -1',
  lastTransitionTime: '2026-11-20T03:01:00Z',
  observedGeneration: 4,
};

describe('condition-failing', () => {
  it('reports a custom resource whose Ready is False with its reason and message, and its owner', () => {
    expect(conditionFailing.detect(certificate, contextOf([certificate]))).toEqual([
      {
        ruleId: 'condition-failing',
        severity: 'critical',
        resource: { kind: 'Certificate', namespace: 'shop', name: 'shop-tls' },
        message: 'Ready=False: DoesNotExist: Issuing certificate as Secret does not exist',
        evidence: [
          {
            source: 'status',
            text: 'Ready=False DoesNotExist: Issuing certificate as Secret does not exist (since 2026-11-20T02:40:11Z)',
          },
          {
            source: 'graph',
            resource: { kind: 'Ingress', namespace: 'shop', name: 'shop' },
            text: 'owns Certificate/shop-tls',
          },
        ],
        fix: {
          summary:
            'read what its controller says about it (its conditions and events), and fix what DoesNotExist names',
          commands: ['kubectl -n shop describe certificate.cert-manager.io shop-tls'],
        },
      },
    ]);
  });

  it('is a warning while a Reconciling condition says it is on its way; Stalled comes first', () => {
    const reconciling = kustomization([
      applyFailed,
      { type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'Reconciliation in progress' },
    ]);
    expect(conditionFailing.detect(reconciling, contextOf([reconciling]))[0]).toMatchObject({
      severity: 'warning',
      message:
        'Ready=False: ReconciliationFailed: Deployment/apps/podinfo dry-run failed: spec.replicas: Invalid value: -1',
    });
    const stalled = kustomization([
      applyFailed,
      { type: 'Stalled', status: 'True', reason: 'ArtifactFailed', message: 'Source artifact not found' },
    ]);
    expect(conditionFailing.detect(stalled, contextOf([stalled]))[0]).toMatchObject({
      severity: 'critical',
      message: 'Stalled=True: ArtifactFailed: Source artifact not found',
    });
    const degraded = kustomization([{ type: 'Degraded', status: 'True', reason: 'HealthCheckFailed' }]);
    expect(conditionFailing.detect(degraded, contextOf([degraded]))[0]).toMatchObject({
      severity: 'warning',
      message: 'Degraded=True: HealthCheckFailed',
    });
  });

  it('names what it owns', () => {
    const cr = kustomization([applyFailed]);
    const owned: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'podinfo',
        namespace: 'flux-system',
        ownerReferences: [{ kind: 'Kustomization', name: 'apps', uid: 'k-1', controller: true }],
      },
    };
    expect(conditionFailing.detect(cr, contextOf([cr, owned]))[0]?.evidence.at(-1)).toEqual({
      source: 'graph',
      text: 'owns Deployment/podinfo',
    });
  });

  it('leaves alone a ready object, and conditions that do not say it fails', () => {
    const ready = kustomization([{ ...applyFailed, status: 'True', reason: 'ReconciliationSucceeded' }]);
    const notReadyYet = kustomization([{ type: 'Issuing', status: 'False' }]);
    const noConditions = { ...certificate, status: {} };
    for (const object of [ready, notReadyYet, noConditions])
      expect(conditionFailing.detect(object, contextOf([object]))).toEqual([]);
  });

  it('judges only kinds no other rule of the run is called with', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-0', namespace: 'shop' },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
    };
    const alone = runRules([conditionFailing], contextOf([pod, certificate])).findings;
    expect(alone.map((f) => f.resource.kind).sort()).toEqual(['Certificate', 'Pod']);
    const withPodRule = runRules([crashLoop, conditionFailing], contextOf([pod, certificate])).findings;
    expect(withPodRule.map((f) => f.resource.kind)).toEqual(['Certificate']);
  });
});
