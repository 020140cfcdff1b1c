import { createHash } from 'node:crypto';
import type { FailureTrigger } from './failure-detection.js';

/**
 * The incident's id: a digest of the pod's uid, the container, the reason, the restart count and
 * the debounce window the detection fell in. A retry carries the same id (it is the same value),
 * and so does a second replica that detects the same failure in the same window after taking over
 * the lease, so a receiver that drops ids it has seen stores each failure once. A failure that
 * goes on past the window, or restarts again, is a new incident with fresh evidence.
 */
export function incidentId(trigger: FailureTrigger, detectedAt: Date, windowMs: number): string {
  const window = Math.floor(detectedAt.getTime() / Math.max(1, windowMs));
  const identity = [
    trigger.podUid === '' ? `${trigger.namespace}/${trigger.pod}` : trigger.podUid,
    trigger.container ?? '',
    trigger.reason,
    String(trigger.restartCount),
    String(window),
  ].join('\u0000');
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}
