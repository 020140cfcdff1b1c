/**
 * A cluster for tests that run every rule at once: the bundled example (examples/shop-outage),
 * real captures (a crash loop, image pull failures, an OOM-killed job, an unschedulable pod and
 * their events), and a namespace at its pod quota, so the quota rules take their longer paths.
 */
import { fileURLToPath } from 'node:url';
import { KINDS } from '../../src/core/kinds.js';
import type { KubeObject } from '../../src/core/kube-object.js';
import { FilesSource } from '../../src/kube/files/files-source.js';
import { realdataItems } from './realdata.js';

const example = fileURLToPath(new URL('../../examples/shop-outage', import.meta.url));

/** The objects of the example, the captures and the quota. */
export async function ruleCluster(): Promise<KubeObject[]> {
  const { snapshot } = await new FilesSource({ paths: [example] }).load({ kinds: KINDS });
  const captures = [
    'pods/troubleshoot_crashloop-exit127-containercannotrun_podlist.json',
    'pods/troubleshoot_errimagepull_podlist.json',
    'pods/troubleshoot_oomkilled-job-pod_podlist.json',
    'pods/troubleshoot_pending-unschedulable-insufficient-gpu_podlist.json',
    'events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json',
  ].flatMap((path) => realdataItems(path));
  const quota: KubeObject = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'pods', namespace: 'shop' },
    spec: { hard: { pods: '10', 'requests.cpu': '2' } },
    status: { hard: { pods: '10', 'requests.cpu': '2' }, used: { pods: '10', 'requests.cpu': '2' } },
  };
  return [...snapshot.all(), ...captures, quota];
}
