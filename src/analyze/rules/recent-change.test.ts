import { describe, expect, it } from 'vitest';
import type { Change } from '../../core/change.js';
import { ChangeHistory } from '../../core/change-history.js';
import type { KubeObject } from '../../core/kube-object.js';
import { analyze } from '../analyze.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { recentChange } from './recent-change.js';

const NS = 'shop';
const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'api-config', namespace: NS, uid: 'cm-1', resourceVersion: '812' },
  data: { CACHE_SIZE: 'lots', LOG_LEVEL: 'info' },
};
/** As the recorder stores it (makeChange over the real edit, attributed from the audit log). */
const edit: Change = {
  at: '2026-11-20T03:02:10.000Z',
  object: { kind: 'ConfigMap', namespace: NS, name: 'api-config', uid: 'cm-1' },
  resourceVersion: '812',
  action: 'modified',
  fields: [{ path: 'data.CACHE_SIZE', op: 'changed', old: '512Mi', new: 'lots' }],
  summary: ['ConfigMap key CACHE_SIZE: 512Mi→lots'],
  actor: { manager: 'kubectl-patch', operation: 'Update', user: 'kubernetes-admin' },
};
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: NS, uid: 'd-1' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api' } } },
  status: { replicas: 1, readyReplicas: 0 },
};
const replicaSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: 'api-7d4b9',
    namespace: NS,
    uid: 'rs-2',
    ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'd-1', controller: true }],
  },
};
const pod = (created: string, crashing: boolean): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'api-7d4b9-x2x7q',
    namespace: NS,
    uid: 'p-1',
    creationTimestamp: created,
    labels: { app: 'api' },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'api-7d4b9', uid: 'rs-2', controller: true }],
  },
  spec: {
    containers: [
      {
        name: 'api',
        image: 'registry.example.com/api:1.4.2',
        envFrom: [{ configMapRef: { name: 'api-config' } }],
      },
    ],
  },
  status: {
    phase: 'Running',
    containerStatuses: [
      crashing
        ? {
            name: 'api',
            ready: false,
            restartCount: 3,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 40s restarting failed container=api',
              },
            },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-20T03:10:00Z' } },
          }
        : { name: 'api', ready: true, restartCount: 0, state: { running: { startedAt: created } } },
    ],
  },
});

describe('recent-change', () => {
  it('names the ConfigMap edit made just before the pods reading it began to crash, with who and the old value to put back', () => {
    const crashing = pod('2026-11-20T03:04:40Z', true);
    const context = {
      ...contextOf([configMap, deployment, replicaSet, crashing]),
      history: new ChangeHistory([edit]),
    };
    expect(recentChange.detect(configMap, context)).toEqual([
      {
        ruleId: 'recent-change',
        severity: 'critical',
        resource: { kind: 'ConfigMap', namespace: NS, name: 'api-config' },
        message:
          'ConfigMap api-config key changed: CACHE_SIZE "512Mi" → "lots" (by kubernetes-admin), 2m before the pods reading it began to fail',
        evidence: [
          {
            source: 'history',
            resource: { kind: 'ConfigMap', namespace: NS, name: 'api-config' },
            text: '2026-11-20T03:02:10.000Z: ConfigMap key CACHE_SIZE: 512Mi→lots (by kubernetes-admin)',
          },
          {
            source: 'history',
            resource: { kind: 'ConfigMap', namespace: NS, name: 'api-config' },
            text: 'data.CACHE_SIZE: "512Mi" → "lots"',
          },
          {
            source: 'status',
            resource: { kind: 'Pod', namespace: NS, name: 'api-7d4b9-x2x7q' },
            text: 'Pod/api-7d4b9-x2x7q api CrashLoopBackOff, failing since 2026-11-20T03:04:40.000Z, 2m after the change',
          },
        ],
        fix: {
          summary:
            'put the previous values back in ConfigMap api-config (or fix the new ones), then restart what reads it',
          commands: [
            `kubectl -n shop patch configmap api-config --type=merge -p '{"data":{"CACHE_SIZE":"512Mi"}}'`,
            'kubectl -n shop rollout restart deployment/api',
          ],
        },
      },
    ]);
  });

  it('ranks the crash loop and the unavailable Deployment under the edit', () => {
    const crashing = pod('2026-11-20T03:04:40Z', true);
    const { snapshot, graph } = contextOf([configMap, deployment, replicaSet, crashing]);
    const { problems } = analyze(snapshot, graph, { history: new ChangeHistory([edit]) });
    expect(problems.map((p) => [p.rootCause.ruleId, p.symptoms.map((s) => s.ruleId).sort()])).toEqual([
      ['recent-change', ['crash-loop', 'workload-unavailable']],
    ]);
    // Without a recording, the crash loop is the root cause, as before.
    const without = analyze(snapshot, graph);
    expect(without.problems[0]?.rootCause.ruleId).toBe('crash-loop');
  });

  it('counts a failure stamped in the same second as the edit as after it (the API server stamps whole seconds)', () => {
    const sameSecond: Change = { ...edit, at: '2026-11-20T03:04:40.363Z' };
    const crashing = pod('2026-11-20T03:04:40Z', true);
    const context = { ...contextOf([configMap, crashing]), history: new ChangeHistory([sameSecond]) };
    const [finding] = recentChange.detect(configMap, context);
    expect(finding?.message).toBe(
      'ConfigMap api-config key changed: CACHE_SIZE "512Mi" → "lots" (by kubernetes-admin), 0s before the pods reading it began to fail',
    );
    // A second later is a second later.
    const late = pod('2026-11-20T03:04:39Z', true);
    expect(
      recentChange.detect(configMap, {
        ...contextOf([configMap, late]),
        history: new ChangeHistory([sameSecond]),
      }),
    ).toEqual([]);
  });

  it('counts a pod read in the seconds it runs between crashes as failing, but not one that crashed long ago', () => {
    const history = new ChangeHistory([edit]);
    const between = (finishedAt: string): KubeObject => {
      const crashing = pod('2026-11-20T03:04:40Z', true);
      const status = crashing['status'] as { containerStatuses: Record<string, unknown>[] };
      return {
        ...crashing,
        status: {
          ...status,
          containerStatuses: [
            {
              ...status.containerStatuses[0],
              ready: true,
              restartCount: 5,
              state: { running: { startedAt: finishedAt } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt } },
            },
          ],
        },
      };
    };
    const up = recentChange.detect(configMap, {
      ...contextOf([configMap, between('2026-11-20T03:11:58Z')]),
      history,
    });
    expect(up.map((f) => f.ruleId)).toEqual(['recent-change']);
    const longAgo = recentChange.detect(configMap, {
      ...contextOf([configMap, between('2026-11-20T03:01:00Z')]),
      history,
    });
    expect(longAgo).toEqual([]);
  });

  it('says nothing without a recording, when the pods are healthy, or when they failed before the edit', () => {
    const history = new ChangeHistory([edit]);
    expect(recentChange.detect(configMap, contextOf([configMap, pod('2026-11-20T03:04:40Z', true)]))).toEqual(
      [],
    );
    const healthy = contextOf([configMap, pod('2026-11-20T03:04:40Z', false)]);
    expect(recentChange.detect(configMap, { ...healthy, history })).toEqual([]);
    const earlier = contextOf([configMap, pod('2026-11-20T02:40:00Z', true)]);
    expect(recentChange.detect(configMap, { ...earlier, history })).toEqual([]);
    // A label edit is not a change of what the pods read.
    const labelOnly: Change = {
      ...edit,
      fields: [{ path: 'metadata.labels.team', op: 'added', new: 'cart' }],
    };
    const crashing = contextOf([configMap, pod('2026-11-20T03:04:40Z', true)]);
    expect(recentChange.detect(configMap, { ...crashing, history: new ChangeHistory([labelOnly]) })).toEqual(
      [],
    );
  });
});
