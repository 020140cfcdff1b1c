import type { Evidence, Finding } from '../../core/finding.js';
import type { Pod } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { formatBytesQuantity, parseBytes } from '../../core/resource-quantity.js';
import { topOwner } from '../../events/top-owner.js';
import { nsFlag } from '../pod-refs.js';
import type { Rule } from '../rule.js';

/** Without usage figures, half as much again as the limit that was too low is the starting point. */
const RAISE_FACTOR = 1.5;

/**
 * A container killed for using more memory than its limit (OOMKilled, exit 137), now or last time:
 * the limit against the request, restarts, when, and a higher limit to set. (Usage trends need a
 * metrics source; without one the suggestion is derived from the limit, and says so.)
 */
export const outOfMemory: Rule = {
  id: 'out-of-memory',
  kinds: ['Pod'],
  detect(object, { snapshot }) {
    const pod = object as Pod;
    const ref = refOf(pod);
    const findings: Finding[] = [];
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const status of statuses) {
      const killed = [status.state?.terminated, status.lastState?.terminated].find(
        (t) => t?.reason === 'OOMKilled',
      );
      if (killed === undefined) continue;
      const container = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find(
        (c) => c.name === status.name,
      );
      const limitText = container?.resources?.limits?.memory;
      const requestText = container?.resources?.requests?.memory;
      const limit = limitText === undefined ? undefined : parseBytes(limitText);
      const restarts = status.restartCount ?? 0;
      const evidence: Evidence[] = [
        {
          source: 'status',
          text: `container ${status.name}: OOMKilled, exit code ${String(killed.exitCode ?? 137)}, ${String(restarts)} restarts${killed.finishedAt === undefined ? '' : `, last at ${killed.finishedAt}`}`,
        },
        { source: 'spec', text: `memory limit ${limitText ?? 'none'}, request ${requestText ?? 'none'}` },
      ];
      const suggested = limit === undefined ? undefined : formatBytesQuantity(limit * RAISE_FACTOR);
      const owner = topOwner(ref, snapshot);
      const target =
        owner.kind === 'Pod' ? `pod/${pod.metadata.name}` : `${owner.kind.toLowerCase()}/${owner.name}`;
      findings.push({
        ruleId: this.id,
        severity: 'critical',
        resource: ref,
        message: `container ${status.name} is killed for using more memory than its limit (${limitText ?? 'no limit: the node ran out'}), ${String(restarts)} restarts`,
        evidence,
        fix:
          suggested === undefined
            ? {
                summary: 'set a memory limit and request that fit what it uses, or give the node more memory',
              }
            : {
                summary: `raise the memory limit above what it uses: ${suggested} is 1.5× the current limit (no usage figures were read)`,
                commands: [
                  `kubectl ${nsFlag(ref)}set resources ${target} -c ${status.name} --limits=memory=${suggested}`,
                ],
              },
      });
    }
    return findings;
  },
};
