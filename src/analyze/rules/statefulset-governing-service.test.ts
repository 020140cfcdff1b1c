import { describe, expect, it } from 'vitest';
import { Coverage } from '../../core/coverage.js';
import type { KubeObject } from '../../core/kube-object.js';
import { Snapshot } from '../../core/snapshot.js';
import { buildGraph } from '../../graph/build-graph.js';
import type { AnalyzerContext } from '../rule.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { missingDependency } from './missing-dependency.js';
import { statefulSetGoverningService } from './statefulset-governing-service.js';

const statefulSet = (ready: number, storageClassName = 'standard'): KubeObject => ({
  kind: 'StatefulSet',
  apiVersion: 'apps/v1',
  metadata: { name: 'db', namespace: 'shop', uid: 'sts-uid' },
  spec: {
    replicas: 3,
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'postgres' }] } },
    volumeClaimTemplates: [
      { metadata: { name: 'data' }, spec: { storageClassName, accessModes: ['ReadWriteOnce'] } },
    ],
  },
  status: { replicas: 3, readyReplicas: ready },
});
const headless = (spec: object = {}): KubeObject => ({
  kind: 'Service',
  metadata: { name: 'db', namespace: 'shop' },
  spec: {
    clusterIP: 'None',
    clusterIPs: ['None'],
    selector: { app: 'db' },
    ports: [{ port: 5432 }],
    ...spec,
  },
});
const pod = (ordinal: number): KubeObject => ({
  kind: 'Pod',
  metadata: {
    name: `db-${String(ordinal)}`,
    namespace: 'shop',
    labels: { app: 'db', 'apps.kubernetes.io/pod-index': String(ordinal) },
    ownerReferences: [{ kind: 'StatefulSet', name: 'db', uid: 'sts-uid', controller: true }],
  },
  spec: { containers: [{ name: 'postgres' }] },
  status: { phase: 'Running' },
});
const standard: KubeObject = {
  kind: 'StorageClass',
  metadata: { name: 'standard' },
  provisioner: 'rancher.io/local-path',
};

/** A context in which only the kinds named were read. */
function readOnly(objects: readonly KubeObject[], kinds: readonly string[]): AnalyzerContext {
  const coverage = new Coverage();
  for (const kind of kinds) coverage.add(kind);
  const snapshot = new Snapshot({ objects, coverage, capturedAt: new Date('2026-11-20T03:12:00Z') });
  return { snapshot, graph: buildGraph(snapshot), now: snapshot.capturedAt };
}

describe('statefulset-governing-service', () => {
  it('finds nothing for a StatefulSet with its headless Service selecting its pods and a StorageClass that exists', () => {
    const sts = statefulSet(3);
    const objects = [sts, headless(), standard, pod(0), pod(1), pod(2)];
    expect(statefulSetGoverningService.detect(sts, contextOf(objects))).toEqual([]);
  });

  it('says the governing Service does not exist, and how to create it headless with the pods’ selector', () => {
    const sts = statefulSet(0);
    expect(statefulSetGoverningService.detect(sts, contextOf([sts, standard, pod(0)]))).toEqual([
      {
        ruleId: 'statefulset-governing-service',
        severity: 'critical',
        resource: { kind: 'StatefulSet', namespace: 'shop', name: 'db' },
        message:
          "StatefulSet db's governing Service db does not exist: its pods' DNS names (db-0.db.shop.svc) do not resolve",
        evidence: [
          { source: 'spec', text: 'serviceName: db (not found)' },
          { source: 'status', text: '0 of 3 pods ready' },
        ],
        fix: {
          summary:
            "create headless Service db selecting the StatefulSet's pods (serviceName cannot be changed)",
          commands: [
            "kubectl -n shop create service clusterip db --clusterip=None --dry-run=client -o yaml | kubectl set selector --local -f - 'app=db' -o yaml | kubectl -n shop apply -f -",
          ],
        },
      },
    ]);
  });

  it('does not say the Service is missing when Services were not read', () => {
    const sts = statefulSet(0);
    const context = readOnly([sts, pod(0)], ['StatefulSet', 'Pod']);
    expect(statefulSetGoverningService.detect(sts, context)).toEqual([]);
  });

  it('says a Service with a cluster IP gives the pods no DNS names of their own', () => {
    const sts = statefulSet(3);
    const objects = [sts, headless({ clusterIP: '10.96.4.7', clusterIPs: ['10.96.4.7'] }), standard, pod(0)];
    expect(statefulSetGoverningService.detect(sts, contextOf(objects))).toEqual([
      {
        ruleId: 'statefulset-governing-service',
        severity: 'warning',
        resource: { kind: 'StatefulSet', namespace: 'shop', name: 'db' },
        message:
          "StatefulSet db's governing Service db is not headless (clusterIP 10.96.4.7): its pods get no DNS names of their own (db-0.db.shop.svc)",
        evidence: [
          { source: 'spec', text: 'serviceName: db' },
          {
            source: 'spec',
            resource: { kind: 'Service', namespace: 'shop', name: 'db' },
            text: 'clusterIP: 10.96.4.7, type ClusterIP',
          },
          { source: 'status', text: '3 of 3 pods ready' },
        ],
        fix: {
          summary:
            'recreate Service db with clusterIP: None (clusterIP cannot be changed in place); if clients use it as a normal Service, give them another one',
          commands: [
            'kubectl -n shop get service db -o yaml > service.yaml  # set spec.clusterIP: None, delete spec.clusterIPs, then: kubectl replace --force -f service.yaml',
          ],
        },
      },
    ]);
  });

  it('only notes a non-headless Service of a single replica: clients reach it by the Service name', () => {
    const single = { ...statefulSet(1), spec: { ...(statefulSet(1).spec as object), replicas: 1 } };
    const objects = [
      single,
      headless({ clusterIP: '10.96.14.203', clusterIPs: ['10.96.14.203'] }),
      standard,
      pod(0),
    ];
    const [finding] = statefulSetGoverningService.detect(single, contextOf(objects));
    expect(finding?.severity).toBe('info');
  });

  it('says a headless Service that selects none of the pods leaves their names unresolved', () => {
    const sts = statefulSet(1);
    const objects = [sts, headless({ selector: { app: 'postgres' } }), standard, pod(0), pod(1)];
    const [finding] = statefulSetGoverningService.detect(sts, contextOf(objects));
    expect(finding?.message).toBe(
      "StatefulSet db's governing Service db selects none of its pods: their DNS names (db-0.db.shop.svc) do not resolve",
    );
    expect(finding?.evidence.slice(0, 2)).toEqual([
      {
        source: 'spec',
        resource: { kind: 'Service', namespace: 'shop', name: 'db' },
        text: 'selector app=postgres',
      },
      { source: 'graph', text: 'pods db-0, db-1 are not selected by it' },
    ]);
    expect(finding?.fix?.commands).toEqual(["kubectl -n shop set selector service db 'app=db'"]);
  });

  it('names a missing StorageClass of a claim template while no claim exists, and leaves it to missing-dependency once one does', () => {
    const sts = statefulSet(0, 'fast-ssd');
    expect(statefulSetGoverningService.detect(sts, contextOf([sts, headless(), standard]))).toEqual([
      {
        ruleId: 'statefulset-governing-service',
        severity: 'critical',
        resource: { kind: 'StatefulSet', namespace: 'shop', name: 'db' },
        message:
          "StatefulSet db's volumeClaimTemplate data names StorageClass fast-ssd, which does not exist: its claims cannot be provisioned",
        evidence: [
          { source: 'spec', text: 'volumeClaimTemplates[data].spec.storageClassName: fast-ssd (not found)' },
          { source: 'status', text: '0 of 3 pods ready' },
        ],
        fix: {
          summary:
            "create StorageClass fast-ssd with the cluster's provisioner, or recreate the StatefulSet with a class that exists (volumeClaimTemplates cannot be changed)",
          commands: [
            'kubectl get storageclass',
            'kubectl -n shop get statefulset db -o yaml > sts.yaml  # set the storageClassName, then: kubectl delete statefulset db --cascade=orphan && kubectl apply -f sts.yaml',
          ],
        },
      },
    ]);
    const claim: KubeObject = {
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-db-0', namespace: 'shop', labels: { app: 'db' } },
      spec: { storageClassName: 'fast-ssd', accessModes: ['ReadWriteOnce'] },
      status: { phase: 'Pending' },
    };
    const context = contextOf([sts, headless(), standard, claim]);
    expect(statefulSetGoverningService.detect(sts, context)).toEqual([]);
    expect(missingDependency.detect(claim, context).map((f) => f.message)).toEqual([
      'StorageClass fast-ssd does not exist, and PersistentVolumeClaim objects reference it',
    ]);
  });

  it('does not say a StorageClass is missing when StorageClasses were not read', () => {
    const sts = statefulSet(0, 'fast-ssd');
    const context = readOnly([sts, headless()], ['StatefulSet', 'Service', 'Pod']);
    expect(statefulSetGoverningService.detect(sts, context)).toEqual([]);
  });
});
