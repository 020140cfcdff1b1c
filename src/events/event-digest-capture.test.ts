import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Coverage } from '../core/coverage.js';
import type { KubeObject } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import { digestEvents } from './event-digest.js';
import { realdataPath } from '../../test/support/realdata.js';

const realdata = (path: string): { items: KubeObject[] } =>
  JSON.parse(readFileSync(realdataPath(path), 'utf8')) as {
    items: KubeObject[];
  };

// A real minikube incident: an image that cannot be pulled, an OOM-killed Job, an unschedulable pod.
const events = realdata(
  'events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json',
).items;
// The pod of the image-pull failure, captured in the same namespace as the events.
const pods = realdata('pods/troubleshoot_errimagepull_podlist.json').items;

const ns = 'message-image-pull-fail';

describe('digestEvents over a real capture', () => {
  const snapshot = new Snapshot({
    objects: [...pods, ...events],
    coverage: new Coverage(),
    capturedAt: new Date('2023-07-11T05:36:30Z'),
  });

  it('shows what went wrong, grouped by owner, and hides the routine chatter', () => {
    expect(digestEvents(snapshot.events(), snapshot, { includeRoutine: false })).toEqual({
      groups: [
        {
          // The pod is in the capture, its ReplicaSet is not: the owner reference names the
          // ReplicaSet, whose name ends in the pod's pod-template-hash, so the Deployment's it is.
          object: { kind: 'Deployment', namespace: ns, name: 'no-image-deployment' },
          events: [
            {
              type: 'Warning',
              reason: 'Failed',
              message: 'Error: ImagePullBackOff',
              count: 5,
              firstSeen: '2023-07-11T05:34:46Z',
              lastSeen: '2023-07-11T05:36:25Z',
              objects: [{ kind: 'Pod', namespace: ns, name: 'no-image-deployment-849c4c4958-rxqmt' }],
              source: 'kubelet',
            },
            {
              type: 'Warning',
              reason: 'Failed',
              message:
                'Failed to pull image "noimage.com/no-such-image": rpc error: code = Unknown desc = Error response from daemon: Get "https://noimage.com/v2/": x509: certificate is not valid for any names, but wanted to match noimage.com',
              count: 4,
              firstSeen: '2023-07-11T05:34:46Z',
              lastSeen: '2023-07-11T05:36:12Z',
              objects: [{ kind: 'Pod', namespace: ns, name: 'no-image-deployment-849c4c4958-rxqmt' }],
              source: 'kubelet',
            },
            {
              type: 'Warning',
              reason: 'Failed',
              message: 'Error: ErrImagePull',
              count: 4,
              firstSeen: '2023-07-11T05:34:46Z',
              lastSeen: '2023-07-11T05:36:12Z',
              objects: [{ kind: 'Pod', namespace: ns, name: 'no-image-deployment-849c4c4958-rxqmt' }],
              source: 'kubelet',
            },
            {
              type: 'Normal',
              reason: 'BackOff',
              message: 'Back-off pulling image "noimage.com/no-such-image"',
              count: 5,
              firstSeen: '2023-07-11T05:34:46Z',
              lastSeen: '2023-07-11T05:36:25Z',
              objects: [{ kind: 'Pod', namespace: ns, name: 'no-image-deployment-849c4c4958-rxqmt' }],
              source: 'kubelet',
            },
          ],
        },
        {
          object: { kind: 'Job', namespace: ns, name: 'oom-kill-job3' },
          events: [
            {
              type: 'Warning',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
              count: 1,
              firstSeen: '2023-07-11T04:43:28Z',
              lastSeen: '2023-07-11T04:43:28Z',
              objects: [{ kind: 'Job', namespace: ns, name: 'oom-kill-job3' }],
              source: 'job-controller',
            },
          ],
        },
        {
          // Neither the pod nor its ReplicaSet is in the capture: the pod stands for itself.
          object: { kind: 'Pod', namespace: ns, name: 'pending-pod-resources-5fddcf7688-djjfc' },
          events: [
            {
              type: 'Warning',
              reason: 'FailedScheduling',
              message: 'skip schedule deleting pod: default/pending-pod-resources-5fddcf7688-djjfc',
              count: 1,
              firstSeen: '2023-07-11T04:43:08.570490Z',
              lastSeen: '2023-07-11T04:43:08.570490Z',
              objects: [{ kind: 'Pod', namespace: ns, name: 'pending-pod-resources-5fddcf7688-djjfc' }],
              source: 'default-scheduler',
            },
            {
              type: 'Warning',
              reason: 'FailedScheduling',
              message:
                '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
              count: 3,
              firstSeen: '2023-07-11T04:25:44.224298Z',
              lastSeen: '2023-07-11T04:40:44.264058Z',
              objects: [{ kind: 'Pod', namespace: ns, name: 'pending-pod-resources-5fddcf7688-djjfc' }],
              source: 'default-scheduler',
            },
          ],
        },
      ],
      // Scheduled ×2, Pulling ×2, Pulled, Created, Started, SuccessfulCreate ×2, ScalingReplicaSet.
      hiddenRoutine: 10,
      hiddenOld: 0,
    });
  });

  it('groups under the Deployment once the capture holds the ReplicaSet that owns the pod', () => {
    // The ReplicaSet as the Deployment controller creates it (uids from the captured events).
    const replicaSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'no-image-deployment-849c4c4958',
        namespace: ns,
        uid: 'd992c1a5-d2c4-4065-ac5b-3bb893f9000a',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'no-image-deployment',
            uid: 'abe37ef6-38c5-4f29-a956-f79def48c342',
            controller: true,
          },
        ],
      },
    };
    const withOwner = new Snapshot({
      objects: [...pods, replicaSet, ...events],
      coverage: new Coverage(),
      capturedAt: new Date('2023-07-11T05:36:30Z'),
    });
    const digest = digestEvents(withOwner.events(), withOwner, { includeRoutine: true });
    const deploymentGroup = digest.groups.find((group) => group.object.kind === 'Deployment');
    // The pod's, the ReplicaSet's and the Deployment's own events all land under the Deployment.
    expect(deploymentGroup?.object).toEqual({
      kind: 'Deployment',
      namespace: ns,
      name: 'no-image-deployment',
    });
    const lines = (deploymentGroup?.events ?? []).map(
      (event) => `${event.type} ${event.reason} ${event.objects[0]?.kind ?? ''}`,
    );
    expect(lines.slice(0, 5)).toEqual([
      'Warning Failed Pod',
      'Warning Failed Pod',
      'Warning Failed Pod',
      'Normal BackOff Pod',
      'Normal Pulling Pod',
    ]);
    // The last three happened within one second (05:34:44); their order is not asserted here.
    expect(lines.slice(5).sort()).toEqual([
      'Normal ScalingReplicaSet Deployment',
      'Normal Scheduled Pod',
      'Normal SuccessfulCreate ReplicaSet',
    ]);
    // Groups with a Warning first; the Job's gone pod (only routine events) stands for itself, last.
    expect(digest.groups.map((group) => `${group.object.kind}/${group.object.name}`)).toEqual([
      'Deployment/no-image-deployment',
      'Job/oom-kill-job3',
      'Pod/pending-pod-resources-5fddcf7688-djjfc',
      'Pod/oom-kill-job3-gbb89',
    ]);
  });
});
