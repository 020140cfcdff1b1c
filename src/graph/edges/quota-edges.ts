import type { Workload } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { sibling, type EdgeExtractor } from './edge-sink.js';

/**
 * How the API server's quota admission names the quota that refused an object: an object name
 * (at most 253 characters, so the search stays linear in the message), ending where the name does.
 */
const EXCEEDED_QUOTA = /exceeded quota: ([a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)(?![-a-z0-9.])/g;

/**
 * A controller whose pods a ResourceQuota refused → that quota (`limited-by`), as the refusal names
 * it: the ReplicaFailure condition, or the FailedCreate events the controller reports. Only a quota
 * that has bitten is linked: every quota of a namespace limits every workload there, and linking
 * them all would bury the one that matters.
 */
export const quotaEdges: EdgeExtractor = (object, sink) => {
  const ref = refOf(object);
  const texts = [
    ...((object as Workload).status?.conditions ?? [])
      .filter((c) => c.type === 'ReplicaFailure' && c.status === 'True')
      .map((c) => c.message ?? ''),
    ...sink.snapshot
      .eventsAbout(ref)
      .filter((event) => event.reason === 'FailedCreate')
      .map((event) => event.message),
  ];
  const quotas = new Set(texts.flatMap((text) => [...text.matchAll(EXCEEDED_QUOTA)].map((m) => m[1] ?? '')));
  for (const name of [...quotas].sort())
    sink.link(ref, sibling(object, 'ResourceQuota', name), 'limited-by', { via: 'FailedCreate' });
};
