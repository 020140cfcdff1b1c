import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/kube-types.js';
import { contextOf } from '../../test/support/analyzer-context.js';
import { realdataItems } from '../../test/support/realdata.js';
import { podWorkload, rolloutHistoryCommand, setResourcesCommand } from './pod-workload.js';

describe('podWorkload', () => {
  it('is the Job of the real OOM-killed Job pod read alone, its CronJob when the Job was read', () => {
    const [pod] = realdataItems('pods/troubleshoot_oomkilled-job-pod_podlist.json') as [Pod];
    expect(podWorkload(pod, contextOf([pod]).snapshot)).toEqual({
      kind: 'Job',
      namespace: 'message-oomkill-pod',
      name: 'oom-kill-job3',
    });
    const job = {
      kind: 'Job',
      metadata: {
        name: 'oom-kill-job3',
        namespace: 'message-oomkill-pod',
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'CronJob', name: 'oom', uid: 'c', controller: true },
        ],
      },
    };
    expect(podWorkload(pod, contextOf([pod, job]).snapshot)).toEqual({
      kind: 'CronJob',
      namespace: 'message-oomkill-pod',
      name: 'oom',
    });
  });

  it('takes a hash-suffixed ReplicaSet that was not read for its Deployment, and nothing else', () => {
    const pod = (labels: Record<string, string>): Pod => ({
      kind: 'Pod',
      metadata: {
        name: 'api-7d9f8c6b5-x2x9q',
        namespace: 'shop',
        labels,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9f8c6b5', uid: 'r', controller: true },
        ],
      },
    });
    const hashed = pod({ app: 'api', 'pod-template-hash': '7d9f8c6b5' });
    expect(podWorkload(hashed, contextOf([hashed]).snapshot)).toEqual({
      kind: 'Deployment',
      namespace: 'shop',
      name: 'api',
    });
    // A hash that is not the name's suffix, or none: the ReplicaSet is all that is known.
    for (const labels of [{ app: 'api' }, { 'pod-template-hash': 'ffff' }] as Record<string, string>[]) {
      const other = pod(labels);
      expect(podWorkload(other, contextOf([other]).snapshot)).toEqual({
        kind: 'ReplicaSet',
        namespace: 'shop',
        name: 'api-7d9f8c6b5',
      });
    }
  });
});

describe('setResourcesCommand', () => {
  it('patches what takes a patch, and re-creates what is immutable (a pod, a Job)', () => {
    const at = (kind: string, name: string) => ({ kind, namespace: 'shop', name });
    expect(setResourcesCommand(at('Deployment', 'api'), 'api', '--limits=memory=1Gi')).toBe(
      'kubectl -n shop set resources deployment/api -c api --limits=memory=1Gi',
    );
    expect(setResourcesCommand(at('CronJob', 'nightly'), 'run', '--limits=memory=1Gi')).toBe(
      'kubectl -n shop set resources cronjob/nightly -c run --limits=memory=1Gi',
    );
    expect(setResourcesCommand(at('Job', 'migrate'), 'run', '--limits=memory=1Gi')).toMatch(
      /^kubectl -n shop get job migrate -o yaml > job\.yaml {2}# a Job's template is immutable: .* kubectl replace --force -f job\.yaml/,
    );
    expect(setResourcesCommand(at('Pod', 'one'), 'c', '--limits=memory=1Gi')).toBe(
      'kubectl -n shop get pod one -o yaml > pod.yaml  # set containers[c].resources (--limits=memory=1Gi), then: kubectl replace --force -f pod.yaml',
    );
    expect(rolloutHistoryCommand(at('Job', 'migrate'))).toBeUndefined();
  });
});
