import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ResourceRef } from '../core/resource-ref.js';
import { contextOf } from '../../test/support/analyzer-context.js';
import { fixPlaceOf } from './fix-object.js';

const TEMPLATE_RULES = new Set(['crash-loop']);

const deployment: KubeObject = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: { name: 'web', namespace: 'shop', uid: 'uid-deploy' },
};
const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  metadata: {
    name: 'web-6d4cf56db6',
    namespace: 'shop',
    uid: 'uid-rs',
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-deploy', controller: true },
    ],
  },
};
const podWith = (container: object, volumes: object[] = [], name = 'web-6d4cf56db6-7xk2p'): KubeObject => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name,
    namespace: 'shop',
    labels: { app: 'web', 'pod-template-hash': '6d4cf56db6' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6d4cf56db6', uid: 'uid-rs', controller: true },
    ],
  },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ...container }], volumes },
});
const crashing = (pod: KubeObject, ...lines: string[]): Finding => ({
  ruleId: 'crash-loop',
  severity: 'critical',
  resource: { kind: 'Pod', namespace: 'shop', name: pod.metadata.name },
  message: 'container nginx keeps crashing (exit code 1, application error), 4 restarts',
  evidence: lines.map((text) => ({ source: 'log', text: `previous log: ${text}` })),
});
const placeOf = (finding: Finding, objects: KubeObject[]) =>
  fixPlaceOf(finding, contextOf(objects).snapshot, TEMPLATE_RULES);

const confVolume = { name: 'conf', configMap: { name: 'nginx-conf' } };
const confMount = { volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/conf.d' }] };
// nginx's own words when a directive in an included file is wrong.
const NGINX_EMERG =
  '2026/12/07 10:01:02 [emerg] 1#1: unknown directive "servr_name" in /etc/nginx/conf.d/default.conf:3';

describe('fixPlaceOf', () => {
  it('names the Deployment whose template made a crash-looping pod, with the pod template as the link', () => {
    const pod = podWith({});
    expect(placeOf(crashing(pod, 'panic: boom'), [deployment, replicaSet, pod])).toEqual({
      object: 'shop/Deployment/web',
      topOwner: 'shop/Deployment/web',
      objectFrom: 'pod template',
    });
    // Its ReplicaSet and Deployment not read: the names still say whose pod it is.
    expect(placeOf(crashing(pod), [pod]).object).toBe('shop/Deployment/web');
  });

  it('names the ConfigMap mounted where a failing line’s file lies, and the key that is the file', () => {
    const pod = podWith(confMount, [confVolume]);
    expect(placeOf(crashing(pod, NGINX_EMERG), [deployment, replicaSet, pod])).toEqual({
      object: 'shop/ConfigMap/nginx-conf',
      topOwner: 'shop/ConfigMap/nginx-conf',
      objectFrom: 'file /etc/nginx/conf.d/default.conf, key default.conf',
    });
  });

  it('follows a subPath mount and a projected volume to their sources', () => {
    const subPath = podWith(
      { volumeMounts: [{ name: 'conf', mountPath: '/app/config.yaml', subPath: 'app.yaml' }] },
      [{ name: 'conf', secret: { secretName: 'app-settings' } }],
    );
    const yamlError =
      'Error: yaml: unmarshal errors: line 4 in /app/config.yaml: cannot unmarshal !!str into int';
    expect(placeOf(crashing(subPath, yamlError), [subPath])).toMatchObject({
      object: 'shop/Secret/app-settings',
      objectFrom: 'file /app/config.yaml, key app.yaml',
    });
    const projected = podWith({ volumeMounts: [{ name: 'all', mountPath: '/config' }] }, [
      {
        name: 'all',
        projected: {
          sources: [
            { secret: { name: 'tls', items: [{ key: 'tls.crt' }] } },
            { configMap: { name: 'features', items: [{ key: 'flags.json' }] } },
          ],
        },
      },
    ]);
    const jsonError =
      'SyntaxError: Unexpected token } in JSON at position 112 while parsing /config/flags.json';
    expect(placeOf(crashing(projected, jsonError), [projected]).object).toBe('shop/ConfigMap/features');
  });

  it('names the ConfigMap a variable comes from when a failing line names the variable', () => {
    const pod = podWith({
      env: [{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'web-env', key: 'log-level' } } }],
      envFrom: [{ configMapRef: { name: 'web-flags' }, prefix: 'FEATURE_' }],
    });
    const flags: KubeObject = {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { name: 'web-flags', namespace: 'shop' },
      data: { CHECKOUT: 'on' },
    };
    expect(placeOf(crashing(pod, 'fatal: invalid LOG_LEVEL "verbose"'), [pod, flags])).toMatchObject({
      object: 'shop/ConfigMap/web-env',
      objectFrom: 'env LOG_LEVEL, key log-level',
    });
    expect(
      placeOf(crashing(pod, 'error: FEATURE_CHECKOUT must be true or false'), [pod, flags]),
    ).toMatchObject({
      object: 'shop/ConfigMap/web-flags',
      objectFrom: 'env FEATURE_CHECKOUT, key CHECKOUT',
    });
    // envFrom's ConfigMap not read: its keys are unknown, so nothing links to it.
    expect(placeOf(crashing(pod, 'error: FEATURE_CHECKOUT must be true or false'), [pod]).object).toBe(
      'shop/Deployment/web',
    );
  });

  it('keeps the template when the failing file is not under a ConfigMap or Secret mount', () => {
    const pod = podWith(confMount, [confVolume]);
    const trace = 'File "/app/main.py", line 12, in <module>';
    expect(placeOf(crashing(pod, trace), [pod]).object).toBe('shop/Deployment/web');
  });

  it('climbs a Job’s pod to its CronJob, and leaves a pod nothing owns as itself', () => {
    const cronJob: KubeObject = {
      kind: 'CronJob',
      apiVersion: 'batch/v1',
      metadata: { name: 'report', namespace: 'shop', uid: 'uid-cj' },
    };
    const job: KubeObject = {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: {
        name: 'report-29402880',
        namespace: 'shop',
        uid: 'uid-job',
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'CronJob', name: 'report', uid: 'uid-cj', controller: true },
        ],
      },
    };
    const jobPod: KubeObject = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: {
        name: 'report-29402880-abcde',
        namespace: 'shop',
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'Job', name: 'report-29402880', uid: 'uid-job', controller: true },
        ],
      },
    };
    expect(placeOf(crashing(jobPod), [cronJob, job, jobPod]).object).toBe('shop/CronJob/report');
    const bare: KubeObject = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'debug', namespace: 'shop' },
    };
    expect(placeOf(crashing(bare), [bare])).toEqual({ object: 'shop/Pod/debug', topOwner: 'shop/Pod/debug' });
  });

  it('keeps the finding’s own object for rules that do not find template faults, and a rule’s own choice', () => {
    const node: ResourceRef = { kind: 'Node', name: 'worker-2' };
    const notReady: Finding = {
      ruleId: 'node-not-ready',
      severity: 'critical',
      resource: node,
      message: 'x',
      evidence: [],
    };
    expect(placeOf(notReady, [])).toEqual({ object: 'Node/worker-2', topOwner: 'Node/worker-2' });
    const quota: ResourceRef = { kind: 'ResourceQuota', namespace: 'shop', name: 'compute' };
    const refused: Finding = { ...crashing(podWith({})), fixObject: quota };
    expect(placeOf(refused, []).object).toBe('shop/ResourceQuota/compute');
  });

  it('reads a bounded part of a hostile line', () => {
    const pod = podWith(confMount, [confVolume]);
    const huge = `${'x'.repeat(1_000_000)} /etc/nginx/conf.d/default.conf`;
    // The path lies past the 4,096 characters read: no link, the template stands.
    expect(placeOf(crashing(pod, huge), [pod]).object).toBe('shop/Deployment/web');
  });
});
