import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toEventRecord } from './event-record.js';
import type { KubeObject } from './kube-object.js';
import { realdataPath } from '../../test/support/realdata.js';

const realEvents = (
  JSON.parse(
    readFileSync(
      realdataPath('events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json'),
      'utf8',
    ),
  ) as { items: KubeObject[] }
).items;
const named = (suffix: string): KubeObject => realEvents.find((e) => e.metadata.name.endsWith(suffix))!;

describe('toEventRecord', () => {
  it('reads a classic core/v1 event with count and timestamps', () => {
    expect(toEventRecord(named('1770b960f12b4918'))).toEqual({
      name: 'no-image-deployment-849c4c4958-rxqmt.1770b960f12b4918',
      namespace: 'message-image-pull-fail',
      type: 'Warning',
      reason: 'Failed',
      message:
        'Failed to pull image "noimage.com/no-such-image": rpc error: code = Unknown desc = Error response from daemon: Get "https://noimage.com/v2/": x509: certificate is not valid for any names, but wanted to match noimage.com',
      involved: {
        kind: 'Pod',
        namespace: 'message-image-pull-fail',
        name: 'no-image-deployment-849c4c4958-rxqmt',
        uid: '209076ce-26d6-4836-981b-8c05cb0081eb',
        fieldPath: 'spec.containers{demo-deployment-container}',
      },
      count: 4,
      firstSeen: '2023-07-11T05:34:46Z',
      lastSeen: '2023-07-11T05:36:12Z',
      source: 'kubelet',
    });
  });

  it('reads a core/v1 event written by the new API: series, eventTime, null timestamps', () => {
    expect(toEventRecord(named('1770b59c8b866b56'))).toEqual({
      name: 'pending-pod-resources-5fddcf7688-djjfc.1770b59c8b866b56',
      namespace: 'message-image-pull-fail',
      type: 'Warning',
      reason: 'FailedScheduling',
      message:
        '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
      involved: {
        kind: 'Pod',
        namespace: 'message-image-pull-fail',
        name: 'pending-pod-resources-5fddcf7688-djjfc',
        uid: 'e4d4c4cc-2c41-4ab7-b41c-9c8b28ded451',
      },
      count: 3,
      firstSeen: '2023-07-11T04:25:44.224298Z',
      lastSeen: '2023-07-11T04:40:44.264058Z',
      source: 'default-scheduler',
    });
  });

  it('reads an events.k8s.io/v1 event', () => {
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'api-0.17a2', namespace: 'shop', creationTimestamp: '2026-11-20T03:04:04Z' },
      eventTime: '2026-11-20T03:04:04.120000Z',
      reportingController: 'kubelet',
      reportingInstance: 'worker-1',
      action: 'Pulling',
      reason: 'BackOff',
      regarding: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'api-0',
        uid: 'u1',
        fieldPath: 'spec.containers{api}',
      },
      note: 'Back-off restarting failed container api in pod api-0_shop(u1)',
      type: 'Warning',
      series: { count: 17, lastObservedTime: '2026-11-20T03:11:38.000000Z' },
      deprecatedCount: 0,
    } as unknown as KubeObject;
    expect(toEventRecord(event)).toEqual({
      name: 'api-0.17a2',
      namespace: 'shop',
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container api in pod api-0_shop(u1)',
      involved: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'api-0',
        uid: 'u1',
        fieldPath: 'spec.containers{api}',
      },
      count: 17,
      firstSeen: '2026-11-20T03:04:04.120000Z',
      lastSeen: '2026-11-20T03:11:38.000000Z',
      source: 'kubelet',
    });
  });

  it('puts events about cluster-scoped objects outside any namespace, and skips events about nothing', () => {
    const nodeEvent = {
      kind: 'Event',
      metadata: { name: 'n.1', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'worker-1' },
      reason: 'NodeNotReady',
      type: 'Normal',
    } as unknown as KubeObject;
    expect(toEventRecord(nodeEvent)?.involved).toEqual({ kind: 'Node', name: 'worker-1' });
    expect(toEventRecord({ kind: 'Event', metadata: { name: 'x' } })).toBeUndefined();
  });

  it('normalises every real captured event', () => {
    expect(realEvents.map((e) => toEventRecord(e)?.count)).toEqual([
      1, 4, 4, 4, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 1,
    ]);
  });

  it('takes the source of an events.k8s.io event from deprecatedSource when reportingController is empty', () => {
    const event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'p.1', namespace: 'shop' },
      reportingController: '',
      deprecatedSource: { component: 'kubelet', host: 'worker-1' },
      regarding: { kind: 'Pod', namespace: 'shop', name: 'p' },
      note: 'Back-off pulling image "x"',
      type: 'Normal',
      reason: 'BackOff',
      deprecatedCount: 5,
      deprecatedLastTimestamp: '2026-11-20T03:00:00Z',
    } as unknown as KubeObject;
    expect(toEventRecord(event)).toMatchObject({
      source: 'kubelet',
      count: 5,
      lastSeen: '2026-11-20T03:00:00Z',
    });
  });
});
