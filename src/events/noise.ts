import type { EventRecord } from '../core/event-record.js';

/**
 * Normal events that say the machinery is working as designed: scheduling, pulls, container
 * starts, scaling, node boot chatter. During an incident they bury the signal, so they are hidden
 * unless `--all`. Normal events not listed here (BackOff, Killing, NodeNotReady…) stay visible.
 */
const ROUTINE_NORMAL_REASONS: ReadonlySet<string> = new Set([
  'Scheduled',
  'Pulling',
  'Pulled',
  'Created',
  'Started',
  'SuccessfulCreate',
  'SuccessfulDelete',
  'ScalingReplicaSet',
  'SuccessfulAttachVolume',
  'SuccessfulMountVolume',
  'LeaderElection',
  'RegisteredNode',
  'Starting',
  'NodeHasSufficientMemory',
  'NodeHasNoDiskPressure',
  'NodeHasSufficientPID',
  'NodeAllocatableEnforced',
  'NodeReady',
  'NodeSchedulable',
  'Completed',
  'SawCompletedJob',
  'SuccessfulRescale',
  'NoPods',
  'EnsuringLoadBalancer',
  'EnsuredLoadBalancer',
  'UpdatedLoadBalancer',
  'Sync',
  'CREATE',
  'UPDATE',
  'ExternalProvisioning',
  'Provisioning',
  'ProvisioningSucceeded',
  'WaitForFirstConsumer',
]);

/** Is this event routine churn that a person does not need during an incident? */
export function isRoutine(event: EventRecord): boolean {
  return event.type === 'Normal' && ROUTINE_NORMAL_REASONS.has(event.reason);
}
