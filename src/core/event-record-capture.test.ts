import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toEventRecord, type EventRecord } from './event-record.js';
import type { KubeObject } from './kube-object.js';
import { realdataPath } from '../../test/support/realdata.js';

// `kubectl get events -o json` from a minikube cluster (see test/fixtures/realdata/SOURCES.md).
const eventList = JSON.parse(
  readFileSync(
    realdataPath('events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json'),
    'utf8',
  ),
) as { kind: string; items: KubeObject[] };

const ns = 'message-image-pull-fail';
const imagePod = {
  kind: 'Pod',
  namespace: ns,
  name: 'no-image-deployment-849c4c4958-rxqmt',
  uid: '209076ce-26d6-4836-981b-8c05cb0081eb',
};
const imageContainer = { ...imagePod, fieldPath: 'spec.containers{demo-deployment-container}' };
const oomPod = {
  kind: 'Pod',
  namespace: ns,
  name: 'oom-kill-job3-gbb89',
  uid: 'c8d3f094-b80c-4ff8-aff7-f0e624f1bf3a',
};
const oomContainer = { ...oomPod, fieldPath: 'spec.containers{memory-eater}' };
const oomJob = {
  kind: 'Job',
  namespace: ns,
  name: 'oom-kill-job3',
  uid: 'a85295e8-54e4-40a4-aeb0-b47c19f1a69f',
};
const pendingPod = {
  kind: 'Pod',
  namespace: ns,
  name: 'pending-pod-resources-5fddcf7688-djjfc',
  uid: 'e4d4c4cc-2c41-4ab7-b41c-9c8b28ded451',
};
const image = 'us-central1-docker.pkg.dev/genuine-flight-317411/devel/memory-eater:1.0';

/** What each captured event says, in the order the EventList holds them. */
const expected: EventRecord[] = [
  {
    // Written by the scheduler through the new API: no count, null timestamps, eventTime only.
    name: 'no-image-deployment-849c4c4958-rxqmt.1770b96096f009dd',
    namespace: ns,
    type: 'Normal',
    reason: 'Scheduled',
    message: 'Successfully assigned default/no-image-deployment-849c4c4958-rxqmt to minikube',
    involved: imagePod,
    count: 1,
    firstSeen: '2023-07-11T05:34:44.764227Z',
    lastSeen: '2023-07-11T05:34:44.764227Z',
    source: 'default-scheduler',
  },
  {
    name: 'no-image-deployment-849c4c4958-rxqmt.1770b960b6f1e0ea',
    namespace: ns,
    type: 'Normal',
    reason: 'Pulling',
    message: 'Pulling image "noimage.com/no-such-image"',
    involved: imageContainer,
    count: 4,
    firstSeen: '2023-07-11T05:34:45Z',
    lastSeen: '2023-07-11T05:36:11Z',
    source: 'kubelet',
  },
  {
    name: 'no-image-deployment-849c4c4958-rxqmt.1770b960f12b4918',
    namespace: ns,
    type: 'Warning',
    reason: 'Failed',
    message:
      'Failed to pull image "noimage.com/no-such-image": rpc error: code = Unknown desc = Error response from daemon: Get "https://noimage.com/v2/": x509: certificate is not valid for any names, but wanted to match noimage.com',
    involved: imageContainer,
    count: 4,
    firstSeen: '2023-07-11T05:34:46Z',
    lastSeen: '2023-07-11T05:36:12Z',
    source: 'kubelet',
  },
  {
    name: 'no-image-deployment-849c4c4958-rxqmt.1770b960f12bd46b',
    namespace: ns,
    type: 'Warning',
    reason: 'Failed',
    message: 'Error: ErrImagePull',
    involved: imageContainer,
    count: 4,
    firstSeen: '2023-07-11T05:34:46Z',
    lastSeen: '2023-07-11T05:36:12Z',
    source: 'kubelet',
  },
  {
    name: 'no-image-deployment-849c4c4958-rxqmt.1770b960fa64918a',
    namespace: ns,
    type: 'Normal',
    reason: 'BackOff',
    message: 'Back-off pulling image "noimage.com/no-such-image"',
    involved: imageContainer,
    count: 5,
    firstSeen: '2023-07-11T05:34:46Z',
    lastSeen: '2023-07-11T05:36:25Z',
    source: 'kubelet',
  },
  {
    name: 'no-image-deployment-849c4c4958-rxqmt.1770b960fa64bb88',
    namespace: ns,
    type: 'Warning',
    reason: 'Failed',
    message: 'Error: ImagePullBackOff',
    involved: imageContainer,
    count: 5,
    firstSeen: '2023-07-11T05:34:46Z',
    lastSeen: '2023-07-11T05:36:25Z',
    source: 'kubelet',
  },
  {
    name: 'no-image-deployment-849c4c4958.1770b96096c622fa',
    namespace: ns,
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: 'Created pod: no-image-deployment-849c4c4958-rxqmt',
    involved: {
      kind: 'ReplicaSet',
      namespace: ns,
      name: 'no-image-deployment-849c4c4958',
      uid: 'd992c1a5-d2c4-4065-ac5b-3bb893f9000a',
    },
    count: 1,
    firstSeen: '2023-07-11T05:34:44Z',
    lastSeen: '2023-07-11T05:34:44Z',
    source: 'replicaset-controller',
  },
  {
    name: 'no-image-deployment.1770b96096492cbe',
    namespace: ns,
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set no-image-deployment-849c4c4958 to 1',
    involved: {
      kind: 'Deployment',
      namespace: ns,
      name: 'no-image-deployment',
      uid: 'abe37ef6-38c5-4f29-a956-f79def48c342',
    },
    count: 1,
    firstSeen: '2023-07-11T05:34:44Z',
    lastSeen: '2023-07-11T05:34:44Z',
    source: 'deployment-controller',
  },
  {
    name: 'oom-kill-job3-gbb89.1770b6922c75433d',
    namespace: ns,
    type: 'Normal',
    reason: 'Scheduled',
    message: 'Successfully assigned default/oom-kill-job3-gbb89 to minikube',
    involved: oomPod,
    count: 1,
    firstSeen: '2023-07-11T04:43:19.191283Z',
    lastSeen: '2023-07-11T04:43:19.191283Z',
    source: 'default-scheduler',
  },
  {
    name: 'oom-kill-job3-gbb89.1770b6924d361854',
    namespace: ns,
    type: 'Normal',
    reason: 'Pulling',
    message: `Pulling image "${image}"`,
    involved: oomContainer,
    count: 1,
    firstSeen: '2023-07-11T04:43:19Z',
    lastSeen: '2023-07-11T04:43:19Z',
    source: 'kubelet',
  },
  {
    name: 'oom-kill-job3-gbb89.1770b6939d446433',
    namespace: ns,
    type: 'Normal',
    reason: 'Pulled',
    message: `Successfully pulled image "${image}" in 5.638046961s`,
    involved: oomContainer,
    count: 1,
    firstSeen: '2023-07-11T04:43:25Z',
    lastSeen: '2023-07-11T04:43:25Z',
    source: 'kubelet',
  },
  {
    name: 'oom-kill-job3-gbb89.1770b6939f884130',
    namespace: ns,
    type: 'Normal',
    reason: 'Created',
    message: 'Created container memory-eater',
    involved: oomContainer,
    count: 1,
    firstSeen: '2023-07-11T04:43:25Z',
    lastSeen: '2023-07-11T04:43:25Z',
    source: 'kubelet',
  },
  {
    name: 'oom-kill-job3-gbb89.1770b693a39538e4',
    namespace: ns,
    type: 'Normal',
    reason: 'Started',
    message: 'Started container memory-eater',
    involved: oomContainer,
    count: 1,
    firstSeen: '2023-07-11T04:43:25Z',
    lastSeen: '2023-07-11T04:43:25Z',
    source: 'kubelet',
  },
  {
    name: 'oom-kill-job3.1770b6922c53f55c',
    namespace: ns,
    type: 'Normal',
    reason: 'SuccessfulCreate',
    message: 'Created pod: oom-kill-job3-gbb89',
    involved: oomJob,
    count: 1,
    firstSeen: '2023-07-11T04:43:19Z',
    lastSeen: '2023-07-11T04:43:19Z',
    source: 'job-controller',
  },
  {
    name: 'oom-kill-job3.1770b6944e3d254b',
    namespace: ns,
    type: 'Warning',
    reason: 'BackoffLimitExceeded',
    message: 'Job has reached the specified backoff limit',
    involved: oomJob,
    count: 1,
    firstSeen: '2023-07-11T04:43:28Z',
    lastSeen: '2023-07-11T04:43:28Z',
    source: 'job-controller',
  },
  {
    // core/v1 with `series` and null first/lastTimestamp: it happened 3 times, from eventTime
    // to series.lastObservedTime.
    name: 'pending-pod-resources-5fddcf7688-djjfc.1770b59c8b866b56',
    namespace: ns,
    type: 'Warning',
    reason: 'FailedScheduling',
    message:
      '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    involved: pendingPod,
    count: 3,
    firstSeen: '2023-07-11T04:25:44.224298Z',
    lastSeen: '2023-07-11T04:40:44.264058Z',
    source: 'default-scheduler',
  },
  {
    name: 'pending-pod-resources-5fddcf7688-djjfc.1770b68fb368b5a6',
    namespace: ns,
    type: 'Warning',
    reason: 'FailedScheduling',
    message: 'skip schedule deleting pod: default/pending-pod-resources-5fddcf7688-djjfc',
    involved: pendingPod,
    count: 1,
    firstSeen: '2023-07-11T04:43:08.570490Z',
    lastSeen: '2023-07-11T04:43:08.570490Z',
    source: 'default-scheduler',
  },
];

describe('toEventRecord over a real EventList', () => {
  it('normalises every captured event, core/v1 classic and new-API-written alike', () => {
    expect(eventList.kind).toBe('EventList');
    // Items of a kubectl List carry their own kind.
    expect(eventList.items.map((item) => toEventRecord(item))).toEqual(expected);
  });
});

describe('toEventRecord over events.k8s.io/v1 events', () => {
  it('reads a scheduler event written through events.k8s.io/v1 with a series', () => {
    // The shape `kubectl get events.v1.events.k8s.io -o json` prints: regarding/note/series, the
    // core/v1-only fields under deprecated* names, left empty by the new recorder.
    const event = {
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      metadata: {
        name: 'web-5c7d9b8f4d-qt6zn.17e1a3b0c9d2e4f1',
        namespace: 'shop',
        uid: '5d4e7f3a-9b2c-4d1e-8f6a-3c2b1a0e9d8c',
        resourceVersion: '48211',
        creationTimestamp: '2026-11-20T03:00:05Z',
      },
      eventTime: '2026-11-20T03:00:05.118204Z',
      series: { count: 12, lastObservedTime: '2026-11-20T03:11:05.402611Z' },
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-control-plane',
      action: 'Scheduling',
      reason: 'FailedScheduling',
      regarding: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'web-5c7d9b8f4d-qt6zn',
        uid: '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
        apiVersion: 'v1',
        resourceVersion: '48190',
      },
      note: '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      type: 'Warning',
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    } as unknown as KubeObject;
    expect(toEventRecord(event)).toEqual({
      name: 'web-5c7d9b8f4d-qt6zn.17e1a3b0c9d2e4f1',
      namespace: 'shop',
      type: 'Warning',
      reason: 'FailedScheduling',
      message:
        '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      involved: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'web-5c7d9b8f4d-qt6zn',
        uid: '0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d',
      },
      count: 12,
      firstSeen: '2026-11-20T03:00:05.118204Z',
      lastSeen: '2026-11-20T03:11:05.402611Z',
      source: 'default-scheduler',
    });
  });

  it('reads a core/v1-recorded event served through events.k8s.io/v1 (deprecatedCount and timestamps)', () => {
    // The API server converts count/firstTimestamp/lastTimestamp to deprecated* fields and leaves
    // eventTime null for events that a core/v1 recorder wrote.
    const event = {
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      metadata: {
        name: 'api-7d9f8c-x2x9q.17e1a3c4d5e6f7a8',
        namespace: 'shop',
        uid: '9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b',
        resourceVersion: '48377',
        creationTimestamp: '2026-11-20T03:04:10Z',
      },
      eventTime: null,
      reportingController: 'kubelet',
      reportingInstance: 'worker-1',
      reason: 'BackOff',
      regarding: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'api-7d9f8c-x2x9q',
        uid: '3f1c2a7e-5b9d-4e8f-a1c2-0d9e8f7a6b51',
        apiVersion: 'v1',
        resourceVersion: '48012',
        fieldPath: 'spec.containers{api}',
      },
      note: 'Back-off restarting failed container api in pod api-7d9f8c-x2x9q_shop(3f1c2a7e-5b9d-4e8f-a1c2-0d9e8f7a6b51)',
      type: 'Warning',
      deprecatedSource: { component: 'kubelet', host: 'worker-1' },
      deprecatedFirstTimestamp: '2026-11-20T03:04:10Z',
      deprecatedLastTimestamp: '2026-11-20T03:11:42Z',
      deprecatedCount: 31,
    } as unknown as KubeObject;
    expect(toEventRecord(event)).toEqual({
      name: 'api-7d9f8c-x2x9q.17e1a3c4d5e6f7a8',
      namespace: 'shop',
      type: 'Warning',
      reason: 'BackOff',
      message:
        'Back-off restarting failed container api in pod api-7d9f8c-x2x9q_shop(3f1c2a7e-5b9d-4e8f-a1c2-0d9e8f7a6b51)',
      involved: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'api-7d9f8c-x2x9q',
        uid: '3f1c2a7e-5b9d-4e8f-a1c2-0d9e8f7a6b51',
        fieldPath: 'spec.containers{api}',
      },
      count: 31,
      firstSeen: '2026-11-20T03:04:10Z',
      lastSeen: '2026-11-20T03:11:42Z',
      source: 'kubelet',
    });
  });

  it('takes the namespace of a regarding object that omits it from the event, for namespaced kinds only', () => {
    const about = (kind: string): KubeObject => ({
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      metadata: { name: `${kind}.1`, namespace: 'shop' },
      eventTime: '2026-11-20T03:00:00.000000Z',
      reportingController: 'example-controller',
      reason: 'Synced',
      regarding: { kind, name: 'x' },
      note: 'ok',
      type: 'Normal',
    });
    expect(toEventRecord(about('ConfigMap'))?.involved).toEqual({
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'x',
    });
    expect(toEventRecord(about('PersistentVolume'))?.involved).toEqual({
      kind: 'PersistentVolume',
      name: 'x',
    });
  });
});
