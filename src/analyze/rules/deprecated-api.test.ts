import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPRECATED_APIS, deprecationOf } from '../deprecated-apis.js';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { deprecatedApi } from './deprecated-api.js';
import { realdataPath } from '../../../test/support/realdata.js';

function realdata(path: string): unknown {
  return JSON.parse(readFileSync(realdataPath(path), 'utf8'));
}

/** The kubeadm Deployments of the real capture, with their managedFields (a kindless array). */
const deployments = (
  realdata(
    'deployments/troubleshoot_deployments_kube-system_coredns_metrics-server_managedFields.json',
  ) as object[]
).map((item) => ({ kind: 'Deployment', ...item }) as KubeObject);

/** The Deployment a 2018 `kubectl create` sent through extensions/v1beta1 (a real audit event's requestObject). */
const legacyManifest = (
  realdata('audit/falco_k8saudit_create-deployment_request-level.json') as { requestObject: KubeObject }
).requestObject;

describe('deprecated-api', () => {
  it('finds nothing in the real kubeadm Deployments, written through apps/v1 by kubeadm, kubectl and the controller manager', () => {
    expect(deployments.map((d) => d.metadata.name)).toEqual(['coredns', 'metrics-server']);
    const context = contextOf(deployments);
    for (const deployment of deployments) expect(deprecatedApi.detect(deployment, context)).toEqual([]);
  });

  it('says a manifest declaring extensions/v1beta1 Deployment fails from 1.16, and names apps/v1', () => {
    expect(deprecatedApi.detect(legacyManifest, contextOf([legacyManifest]))).toEqual([
      {
        ruleId: 'deprecated-api',
        severity: 'warning',
        resource: { kind: 'Deployment', namespace: 'default', name: 'nginx-deployment' },
        message:
          'Deployment nginx-deployment is written as extensions/v1beta1 Deployment, which Kubernetes deprecated in 1.9 and stopped serving in 1.16: the manifests or clients that write it fail from 1.16 on; use apps/v1',
        evidence: [{ source: 'spec', text: 'apiVersion: extensions/v1beta1' }],
        fix: {
          summary:
            'change apiVersion to apps/v1 in the manifests, charts and pipelines that write it (mind the fields that changed), and apply them again',
          commands: [
            'kubectl-convert -f MANIFEST.yaml --output-version apps/v1  # the kubectl convert plugin',
            'kubectl -n default get deployment nginx-deployment -o yaml --show-managed-fields',
          ],
        },
      },
    ]);
  });

  it('reads the old version from last-applied-configuration and managedFields of a stored object', () => {
    const cronJob: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: {
        name: 'nightly-report',
        namespace: 'shop',
        annotations: {
          'meta.helm.sh/release-name': 'reports',
          [`kubectl.kubernetes.io/last-applied-configuration`]:
            '{"apiVersion":"batch/v1beta1","kind":"CronJob","metadata":{"annotations":{},"name":"nightly-report","namespace":"shop"},"spec":{"schedule":"0 2 * * *"}}\n',
        },
        managedFields: [
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            apiVersion: 'batch/v1beta1',
            time: '2022-03-14T09:21:07Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:spec': { 'f:schedule': {} } },
          },
          {
            manager: 'kube-controller-manager',
            operation: 'Update',
            apiVersion: 'batch/v1',
            time: '2026-11-20T02:00:03Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:status': { 'f:lastScheduleTime': {} } },
            subresource: 'status',
          },
        ],
      },
      spec: { schedule: '0 2 * * *' },
    };
    expect(deprecatedApi.detect(cronJob, contextOf([cronJob]))).toEqual([
      {
        ruleId: 'deprecated-api',
        severity: 'warning',
        resource: { kind: 'CronJob', namespace: 'shop', name: 'nightly-report' },
        message:
          'CronJob nightly-report is written as batch/v1beta1 CronJob, which Kubernetes deprecated in 1.21 and stopped serving in 1.25: the manifests or clients that write it fail from 1.25 on; use batch/v1',
        evidence: [
          {
            source: 'spec',
            text: 'kubectl.kubernetes.io/last-applied-configuration: apiVersion batch/v1beta1',
          },
          {
            source: 'spec',
            text: 'managedFields: kubectl-client-side-apply (Update at 2022-03-14T09:21:07Z) through batch/v1beta1',
          },
        ],
        fix: {
          summary:
            'change apiVersion to batch/v1 in the manifests, charts and pipelines that write it (mind the fields that changed), and apply them again; for Helm release reports, rewrite the stored release with the mapkubeapis plugin',
          commands: [
            'kubectl-convert -f MANIFEST.yaml --output-version batch/v1  # the kubectl convert plugin',
            'helm mapkubeapis reports --namespace shop',
            'kubectl -n shop get cronjob nightly-report -o yaml --show-managed-fields',
          ],
        },
      },
    ]);
  });

  it('reads last-applied-configuration written with its keys in another order', () => {
    const hpa: KubeObject = {
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'web',
        namespace: 'shop',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2beta2","metadata":{"name":"web"}}',
        },
      },
    };
    expect(deprecatedApi.detect(hpa, contextOf([hpa]))[0]?.message).toBe(
      'HorizontalPodAutoscaler web is written as autoscaling/v2beta2 HorizontalPodAutoscaler, which Kubernetes deprecated in 1.23 and stopped serving in 1.26: the manifests or clients that write it fail from 1.26 on; use autoscaling/v2',
    );
  });
});

describe('deprecated API table', () => {
  it('has the removals of the migration guide, one entry per version and kind', () => {
    expect(deprecationOf('networking.k8s.io/v1beta1', 'Ingress')).toEqual({
      apiVersion: 'networking.k8s.io/v1beta1',
      kind: 'Ingress',
      deprecatedIn: '1.19',
      removedIn: '1.22',
      replacement: 'networking.k8s.io/v1',
    });
    expect(deprecationOf('policy/v1beta1', 'PodDisruptionBudget')?.removedIn).toBe('1.25');
    expect(deprecationOf('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')?.removedIn).toBe('1.32');
    expect(deprecationOf('storage.k8s.io/v1beta1', 'CSIStorageCapacity')?.removedIn).toBe('1.27');
    expect(deprecationOf('policy/v1beta1', 'PodSecurityPolicy')?.replacement).toBeUndefined();
    expect(deprecationOf('apps/v1', 'Deployment')).toBeUndefined();
    const keys = DEPRECATED_APIS.map((entry) => `${entry.apiVersion} ${entry.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
