import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toEventRecord, type EventRecord } from '../core/event-record.js';
import type { KubeObject } from '../core/kube-object.js';
import { isRoutine } from './noise.js';
import { realdataPath } from '../../test/support/realdata.js';

const captured = (
  JSON.parse(
    readFileSync(
      realdataPath('events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json'),
      'utf8',
    ),
  ) as { items: KubeObject[] }
).items.map((item) => toEventRecord(item)!);

const record = (type: string, reason: string): EventRecord => ({
  name: `x.${reason}`,
  namespace: 'shop',
  type,
  reason,
  message: '',
  involved: { kind: 'Pod', namespace: 'shop', name: 'x' },
  count: 1,
});

describe('isRoutine', () => {
  it('hides the machinery-working chatter of a real incident and keeps what went wrong', () => {
    expect(captured.map((event) => [event.type, event.reason, isRoutine(event)])).toEqual([
      ['Normal', 'Scheduled', true],
      ['Normal', 'Pulling', true],
      ['Warning', 'Failed', false],
      ['Warning', 'Failed', false],
      // A Normal event that says something is stuck stays visible.
      ['Normal', 'BackOff', false],
      ['Warning', 'Failed', false],
      ['Normal', 'SuccessfulCreate', true],
      ['Normal', 'ScalingReplicaSet', true],
      ['Normal', 'Scheduled', true],
      ['Normal', 'Pulling', true],
      ['Normal', 'Pulled', true],
      ['Normal', 'Created', true],
      ['Normal', 'Started', true],
      ['Normal', 'SuccessfulCreate', true],
      ['Warning', 'BackoffLimitExceeded', false],
      ['Warning', 'FailedScheduling', false],
      ['Warning', 'FailedScheduling', false],
    ]);
  });

  it('keeps Normal events that tell of trouble: kills, node trouble, evictions', () => {
    for (const reason of [
      'Killing',
      'NodeNotReady',
      'Evicted',
      'Preempting',
      'NodeHasDiskPressure',
      'Rebooted',
    ])
      expect(isRoutine(record('Normal', reason))).toBe(false);
  });

  it('never hides a Warning, even with a reason that is routine as a Normal event', () => {
    for (const reason of ['Created', 'Started', 'Pulled', 'SuccessfulCreate', 'Sync'])
      expect(isRoutine(record('Warning', reason))).toBe(false);
  });

  it('hides node boot, scaling and provisioning chatter', () => {
    for (const reason of [
      'Starting',
      'NodeReady',
      'RegisteredNode',
      'NodeHasSufficientMemory',
      'SuccessfulDelete',
      'SuccessfulRescale',
      'SuccessfulAttachVolume',
      'ProvisioningSucceeded',
      'LeaderElection',
      'Completed',
      'SawCompletedJob',
    ])
      expect(isRoutine(record('Normal', reason))).toBe(true);
  });
});
