import type { Finding } from '../../core/finding.js';
import type { Service } from '../../core/kube-types.js';
import { formatRef, refKey, refOf } from '../../core/resource-ref.js';
import { nsFlag } from '../pod-refs.js';
import { failingNow } from '../crash-moments.js';
import { defineRule } from '../rule.js';

/**
 * A program configured to dial a Service on a port the Service does not serve (`REDIS_ADDR=cache:6380`
 * when `cache` serves 6379): the connection is refused or times out, and the Service looks healthy.
 * A port is served when a Service port has that number or that name; a headless Service's clients
 * reach the pods directly, so its target ports count too. ExternalName Services are aliases, not
 * checked. Ports a URL only implies (`http://api` is 80) count as written: that is what is dialled.
 */
export const callPortUnserved = defineRule({
  id: 'call-port-unserved',
  summary:
    'a configured address names a port its Service does not serve (REDIS_ADDR=cache:6380, cache serves 6379)',
  reads: ['Service', 'Event'],
  kinds: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'],
  detect(object, { snapshot, graph, now }) {
    const ref = refOf(object);
    const key = refKey(ref);
    const findings: Finding[] = [];
    for (const edge of graph.outgoing(key)) {
      const port = edge.detail?.port;
      if (edge.kind !== 'calls' || port === undefined || edge.detail?.observed !== undefined) continue;
      const target = graph.nodeByKey(edge.to);
      const service: Service | undefined =
        target?.object === undefined ? undefined : snapshot.get(target.ref);
      if (service === undefined || service.kind !== 'Service' || service.spec?.type === 'ExternalName')
        continue;
      const ports = service.spec?.ports ?? [];
      const headless = service.spec?.clusterIP === 'None';
      const served = ports.some(
        (p) =>
          String(p.port) === port ||
          p.name === port ||
          (headless && p.targetPort !== undefined && String(p.targetPort) === port),
      );
      if (served || ports.length === 0) continue;
      const failing = failingNow(key, graph, snapshot, now);
      const offered = ports
        .map((p) => (p.name === undefined ? String(p.port) : `${String(p.port)} (${p.name})`))
        .join(', ');
      const serviceRef = refOf(service);
      findings.push({
        ruleId: this.id,
        severity: failing ? 'critical' : 'warning',
        resource: ref,
        message: `${edge.detail?.via ?? 'its configuration'} dials ${formatRef(serviceRef, { withNamespace: serviceRef.namespace !== ref.namespace })} on port ${port}, which the Service does not serve (it serves ${offered})`,
        evidence: [
          {
            source: 'spec',
            text: `${edge.detail?.via ?? ''}${edge.detail?.container === undefined ? '' : ` (container ${edge.detail.container})`}: ${edge.detail?.address ?? ''}`,
          },
          { source: 'spec', resource: serviceRef, text: `${formatRef(serviceRef)} ports: ${offered}` },
        ],
        fix: {
          summary: `point ${edge.detail?.via ?? 'the address'} at a port the Service serves (${offered}), or add port ${port} to the Service`,
          commands: [
            `kubectl ${nsFlag(serviceRef)}get service ${serviceRef.name} -o jsonpath='{.spec.ports}'`,
          ],
        },
      });
    }
    return findings;
  },
});
