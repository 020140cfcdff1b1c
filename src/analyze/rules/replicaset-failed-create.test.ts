import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { rankFindings } from '../rank.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { quotaNearLimit } from './quota-near-limit.js';
import { replicaSetFailedCreate } from './replicaset-failed-create.js';
import { workloadUnavailable } from './workload-unavailable.js';

const deployment = (ready: number): KubeObject => ({
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: { name: 'api', namespace: 'shop', uid: 'deploy-uid' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } },
  status: { replicas: ready, readyReplicas: ready, availableReplicas: ready },
});
const replicaSet = (created: number, conditions: readonly object[] = []): KubeObject => ({
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  metadata: {
    name: 'api-7d9f8c',
    namespace: 'shop',
    uid: 'rs-uid',
    ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'deploy-uid', controller: true }],
  },
  spec: { replicas: 3, selector: { matchLabels: { app: 'api' } } },
  status: { replicas: created, readyReplicas: created, conditions },
});
const failedCreate = (
  kind: string,
  name: string,
  message: string,
  count = 1,
  lastTimestamp = '2026-11-20T03:11:30Z',
): KubeObject => ({
  kind: 'Event',
  metadata: { name: `${name}.${String(count)}${lastTimestamp}`, namespace: 'shop' },
  involvedObject: { kind, namespace: 'shop', name },
  reason: 'FailedCreate',
  message,
  type: 'Warning',
  count,
  firstTimestamp: '2026-11-20T02:58:00Z',
  lastTimestamp,
  source: { component: kind === 'StatefulSet' ? 'statefulset-controller' : 'replicaset-controller' },
});

const QUOTA_ERROR =
  'exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=3800m, limited: requests.cpu=4';
const quota: KubeObject = {
  kind: 'ResourceQuota',
  metadata: { name: 'compute', namespace: 'shop' },
  spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '20' } },
  status: {
    hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '20' },
    used: { 'requests.cpu': '3800m', 'requests.memory': '6Gi', pods: '9' },
  },
};

describe('replicaset-failed-create', () => {
  it('finds nothing for a ReplicaSet with all its pods, even with an old FailedCreate event', () => {
    const rs = replicaSet(3);
    const objects = [
      deployment(3),
      rs,
      failedCreate(
        'ReplicaSet',
        'api-7d9f8c',
        `Error creating: pods "api-7d9f8c-x2x9q" is forbidden: ${QUOTA_ERROR}`,
      ),
    ];
    expect(replicaSetFailedCreate.detect(rs, contextOf(objects))).toEqual([]);
  });

  it('names the exhausted ResourceQuota, the resource, and the hard limit that lets the missing pods in', () => {
    const rs = replicaSet(0, [
      {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: `pods "api-7d9f8c-5kq2m" is forbidden: ${QUOTA_ERROR}`,
        lastTransitionTime: '2026-11-20T02:58:00Z',
      },
    ]);
    const objects = [
      deployment(0),
      rs,
      quota,
      failedCreate(
        'ReplicaSet',
        'api-7d9f8c',
        `Error creating: pods "api-7d9f8c-x2x9q" is forbidden: ${QUOTA_ERROR}`,
        4,
        '2026-11-20T03:01:10Z',
      ),
      failedCreate(
        'ReplicaSet',
        'api-7d9f8c',
        `Error creating: pods "api-7d9f8c-5kq2m" is forbidden: ${QUOTA_ERROR}`,
        3,
      ),
    ];
    expect(replicaSetFailedCreate.detect(rs, contextOf(objects))).toEqual([
      {
        ruleId: 'replicaset-failed-create',
        severity: 'critical',
        resource: { kind: 'ReplicaSet', namespace: 'shop', name: 'api-7d9f8c' },
        message:
          'ReplicaSet api-7d9f8c cannot create pods: ResourceQuota compute is used up (requests.cpu: a pod requests 500m, 3800m of 4 is used)',
        evidence: [
          {
            source: 'event',
            text: `FailedCreate (x7, last 2026-11-20T03:11:30Z): Error creating: pods "api-7d9f8c-5kq2m" is forbidden: ${QUOTA_ERROR}`,
          },
          {
            source: 'status',
            text: `ReplicaFailure=True FailedCreate: pods "api-7d9f8c-5kq2m" is forbidden: ${QUOTA_ERROR}`,
          },
          {
            source: 'status',
            resource: { kind: 'ResourceQuota', namespace: 'shop', name: 'compute' },
            text: 'requests.cpu used 3800m of hard 4',
          },
          {
            source: 'status',
            resource: { kind: 'Deployment', namespace: 'shop', name: 'api' },
            text: 'Deployment/api: 0 of 3 pods ready',
          },
        ],
        fix: {
          summary:
            "raise ResourceQuota compute's hard limit to let the 3 missing pods in, lower the pods' requests, or free quota by scaling other workloads in the namespace down",
          commands: [
            'kubectl -n shop describe resourcequota compute',
            `kubectl -n shop patch resourcequota compute --type=merge -p '{"spec":{"hard":{"requests.cpu":"5300m"}}}'`,
          ],
        },
        waitsOn: [{ kind: 'ResourceQuota', namespace: 'shop', name: 'compute' }],
        // The quota is what gets changed, not the ReplicaSet.
        fixObject: { kind: 'ResourceQuota', namespace: 'shop', name: 'compute' },
      },
    ]);
  });

  it('ranks the Deployment’s unavailability under it', () => {
    const rs = replicaSet(0);
    const deploy = deployment(0);
    const context = contextOf([
      deploy,
      rs,
      failedCreate(
        'ReplicaSet',
        'api-7d9f8c',
        `Error creating: pods "api-7d9f8c-x2x9q" is forbidden: ${QUOTA_ERROR}`,
      ),
    ]);
    const findings = [
      ...replicaSetFailedCreate.detect(rs, context),
      ...workloadUnavailable.detect(deploy, context),
    ];
    const problems = rankFindings(findings, context.graph, new Set(['workload-unavailable']));
    expect(problems.map((p) => [p.rootCause.ruleId, p.symptoms.map((s) => s.ruleId)])).toEqual([
      ['replicaset-failed-create', ['workload-unavailable']],
    ]);
  });

  it('quotes the admission webhook that denied the pods; warning while other pods still serve', () => {
    const rs = replicaSet(2);
    const webhooks: KubeObject = {
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'kyverno-resource-validating-webhook-cfg' },
      webhooks: [
        {
          name: 'validate.kyverno.svc-fail',
          clientConfig: { service: { name: 'kyverno-svc', namespace: 'kyverno', port: 443 } },
        },
      ],
    };
    const denial =
      'admission webhook "validate.kyverno.svc-fail" denied the request: \n\nresource Pod/shop/api-7d9f8c-h2x8d was blocked due to the following policies\n\nrequire-labels:\n  check-for-labels: \'validation error: label team is required. rule check-for-labels failed at path /metadata/labels/team/\'';
    const objects = [
      deployment(2),
      rs,
      webhooks,
      failedCreate(
        'ReplicaSet',
        'api-7d9f8c',
        `Error creating: pods "api-7d9f8c-h2x8d" is forbidden: ${denial}`,
        2,
      ),
    ];
    const [finding] = replicaSetFailedCreate.detect(rs, contextOf(objects));
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toBe(
      "ReplicaSet api-7d9f8c cannot create pods: admission webhook validate.kyverno.svc-fail denied them: resource Pod/shop/api-7d9f8c-h2x8d was blocked due to the following policies\n\nrequire-labels:\n  check-for-labels: 'validation error: label team is required. rule check-for-labels failed at path /metadata/labels/team/'",
    );
    expect(finding?.evidence[1]).toEqual({
      source: 'spec',
      resource: { kind: 'ValidatingWebhookConfiguration', name: 'kyverno-resource-validating-webhook-cfg' },
      text: 'webhook validate.kyverno.svc-fail is in ValidatingWebhookConfiguration/kyverno-resource-validating-webhook-cfg',
    });
    expect(finding?.fix?.commands).toEqual([
      'kubectl get validatingwebhookconfiguration kyverno-resource-validating-webhook-cfg -o yaml',
      'kubectl -n shop edit deployment/api',
    ]);
  });

  it('says a webhook that cannot be called blocks the pods, and waits on its Service', () => {
    const rs = replicaSet(0);
    const webhooks: KubeObject = {
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'istio-sidecar-injector' },
      webhooks: [
        {
          name: 'rev.namespace.sidecar-injector.istio.io',
          clientConfig: { service: { name: 'istiod', namespace: 'istio-system', port: 443 } },
        },
      ],
    };
    const error =
      'Internal error occurred: failed calling webhook "rev.namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": dial tcp 10.96.14.2:443: connect: connection refused';
    const objects = [
      deployment(0),
      rs,
      webhooks,
      failedCreate('ReplicaSet', 'api-7d9f8c', `Error creating: ${error}`),
    ];
    const [finding] = replicaSetFailedCreate.detect(rs, contextOf(objects));
    expect(finding?.message).toBe(
      'ReplicaSet api-7d9f8c cannot create pods: admission webhook rev.namespace.sidecar-injector.istio.io could not be called (Service istio-system/istiod), and it fails closed',
    );
    expect(finding?.waitsOn).toEqual([{ kind: 'Service', namespace: 'istio-system', name: 'istiod' }]);
    expect(finding?.fixObject).toEqual({ kind: 'Service', namespace: 'istio-system', name: 'istiod' });
    expect(finding?.fix?.commands).toEqual([
      'kubectl -n istio-system get endpoints istiod',
      'kubectl -n istio-system get pods -o wide',
    ]);
  });

  it('reads the StatefulSet controller’s message: a ServiceAccount that does not exist', () => {
    const sts: KubeObject = {
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop', uid: 'sts-uid' },
      spec: { replicas: 1, serviceName: 'db' },
      status: { replicas: 0, readyReplicas: 0 },
    };
    const objects = [
      sts,
      failedCreate(
        'StatefulSet',
        'db',
        'create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: error looking up service account shop/db: serviceaccount "db" not found',
        9,
      ),
    ];
    expect(replicaSetFailedCreate.detect(sts, contextOf(objects))).toEqual([
      {
        ruleId: 'replicaset-failed-create',
        severity: 'critical',
        resource: { kind: 'StatefulSet', namespace: 'shop', name: 'db' },
        message: 'StatefulSet db cannot create pods: ServiceAccount db does not exist',
        evidence: [
          {
            source: 'event',
            text: 'FailedCreate (x9, last 2026-11-20T03:11:30Z): create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: error looking up service account shop/db: serviceaccount "db" not found',
          },
          { source: 'status', text: 'StatefulSet/db: 0 of 1 pods ready' },
        ],
        fix: {
          summary: 'create ServiceAccount db, or point the pod template at one that exists',
          commands: ['kubectl -n shop create serviceaccount db'],
        },
        waitsOn: [{ kind: 'ServiceAccount', namespace: 'shop', name: 'db' }],
        fixObject: { kind: 'ServiceAccount', namespace: 'shop', name: 'db' },
      },
    ]);
  });

  it('lists the PodSecurity checks a DaemonSet’s pods violate', () => {
    const ds: KubeObject = {
      kind: 'DaemonSet',
      metadata: { name: 'node-agent', namespace: 'shop', uid: 'ds-uid' },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 0, numberReady: 0 },
    };
    const violation =
      'pods "node-agent-4xk2p" is forbidden: violates PodSecurity "restricted:latest": privileged (container "agent" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "agent" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "agent" must set securityContext.capabilities.drop=["ALL"]), hostPath volumes (volume "proc"), runAsNonRoot != true (pod or container "agent" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "agent" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';
    const objects = [ds, failedCreate('DaemonSet', 'node-agent', `Error creating: ${violation}`, 3)];
    const [finding] = replicaSetFailedCreate.detect(ds, contextOf(objects));
    expect(finding?.message).toBe(
      'DaemonSet node-agent cannot create pods: they violate the namespace\'s PodSecurity level "restricted:latest": privileged, allowPrivilegeEscalation != false, unrestricted capabilities, hostPath volumes, runAsNonRoot != true, seccompProfile',
    );
    expect(finding?.fix?.commands).toEqual([
      'kubectl -n shop edit daemonset/node-agent',
      'kubectl label namespace shop pod-security.kubernetes.io/enforce=baseline --overwrite  # only if it must run privileged',
    ]);
  });

  it('says which requests or limits a quota requires of a Job’s pods', () => {
    const job: KubeObject = {
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop', uid: 'job-uid' },
      spec: { parallelism: 1, completions: 1 },
      status: {},
    };
    const objects = [
      job,
      failedCreate(
        'Job',
        'migrate',
        'Error creating: pods "migrate-6dqcl" is forbidden: failed quota: compute: must specify limits.memory for: migrate; requests.cpu for: migrate',
      ),
    ];
    const [finding] = replicaSetFailedCreate.detect(job, contextOf(objects));
    expect(finding?.message).toBe(
      'Job migrate cannot create pods: ResourceQuota compute requires limits.memory for: migrate; requests.cpu for: migrate',
    );
    expect(finding?.severity).toBe('critical');
    expect(finding?.fix?.commands).toEqual([
      // A Job's template is immutable: `set resources job/migrate` would be refused.
      "kubectl -n shop get job migrate -o yaml > job.yaml  # a Job's template is immutable: set containers[*].resources (--requests=cpu=100m,memory=128Mi --limits=memory=256Mi), delete spec.selector and the controller-uid labels, then: kubectl replace --force -f job.yaml (made by a CronJob? set it there: kubectl -n shop set resources cronjob/NAME --requests=cpu=100m,memory=128Mi --limits=memory=256Mi)",
    ]);
  });

  it('makes a used-up quota, found on its own, the root and the refused ReplicaSet its symptom', () => {
    const rs = replicaSet(0);
    const deploy = deployment(0);
    const full: KubeObject = {
      ...quota,
      status: {
        hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '20' },
        used: { 'requests.cpu': '4', 'requests.memory': '6Gi', pods: '9' },
      },
    };
    const context = contextOf([
      deploy,
      rs,
      full,
      failedCreate(
        'ReplicaSet',
        'api-7d9f8c',
        `Error creating: pods "api-7d9f8c-x2x9q" is forbidden: ${QUOTA_ERROR}`,
      ),
    ]);
    const findings = [
      ...replicaSetFailedCreate.detect(rs, context),
      ...quotaNearLimit.detect(full, context),
      ...workloadUnavailable.detect(deploy, context),
    ];
    expect(findings.map((f) => f.ruleId).sort()).toEqual([
      'quota-near-limit',
      'replicaset-failed-create',
      'workload-unavailable',
    ]);
    const problems = rankFindings(findings, context.graph, new Set(['workload-unavailable']));
    // One problem, at the quota: the refusal waits on it, so the quota's finding explains it.
    expect(problems.map((p) => [p.rootCause.ruleId, p.symptoms.map((s) => s.ruleId).sort()])).toEqual([
      ['quota-near-limit', ['replicaset-failed-create', 'workload-unavailable']],
    ]);
  });

  it('names the LimitRange that refuses the pods, and makes it the object to change', () => {
    const rs = replicaSet(0);
    const limits: KubeObject = {
      kind: 'LimitRange',
      metadata: { name: 'container-bounds', namespace: 'shop' },
      spec: { limits: [{ type: 'Container', max: { cpu: '1', memory: '1Gi' }, min: { cpu: '50m' } }] },
    };
    // The LimitRanger's words, aggregated in brackets when more than one bound is broken.
    const refusal =
      'Error creating: pods "api-7d9f8c-x2x9q" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]';
    const objects = [deployment(0), rs, failedCreate('ReplicaSet', 'api-7d9f8c', refusal)];
    const [finding] = replicaSetFailedCreate.detect(rs, contextOf([...objects, limits]));
    expect(finding?.message).toBe(
      "ReplicaSet api-7d9f8c cannot create pods: LimitRange container-bounds refuses them: maximum cpu per Container is 1, the pod's limit is 2; maximum memory per Container is 1Gi, the pod's limit is 2Gi",
    );
    expect(finding?.fixObject).toEqual({ kind: 'LimitRange', namespace: 'shop', name: 'container-bounds' });
    expect(finding?.waitsOn).toEqual([{ kind: 'LimitRange', namespace: 'shop', name: 'container-bounds' }]);

    // LimitRanges not read: the refusal is still decoded, but no LimitRange is named.
    const [unread] = replicaSetFailedCreate.detect(rs, contextOf(objects));
    expect(unread?.message).toContain('a LimitRange refuses them: maximum cpu per Container is 1');
    expect(unread?.fixObject).toBeUndefined();
    expect(unread?.fix?.commands?.[0]).toBe('kubectl -n shop get limitrange -o yaml');

    // A container with no limit where the LimitRange sets a maximum.
    const noLimit = failedCreate(
      'ReplicaSet',
      'api-7d9f8c',
      'Error creating: pods "api-7d9f8c-x2x9q" is forbidden: maximum memory usage per Container is 1Gi.  No limit is specified',
    );
    const [unset] = replicaSetFailedCreate.detect(rs, contextOf([deployment(0), rs, noLimit, limits]));
    expect(unset?.message).toContain('maximum memory per Container is 1Gi, the pod sets no limit');
  });
});
