import type { Finding } from '../../core/finding.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { dependencyName, FAILURE_WORDS, failedCalls, observationEvidence } from '../call-failures.js';
import { nsFlag } from '../pod-refs.js';
import { failingNow } from '../crash-moments.js';
import { defineRule } from '../rule.js';

/**
 * A pod whose logs (or termination message) say it cannot reach something it dials: connections
 * refused, timing out, reset, names not resolving, TLS failing — counted, with the first and last
 * time and the latest line. Seen on Running, Ready pods too: a failure only callers see. A symptom:
 * when the dependency has a failure of its own (crash loop, no endpoints, missing, a policy
 * dropping traffic), the caller ranks under it, and this is the link's evidence.
 */
export const dependencyUnreachable = defineRule({
  id: 'dependency-unreachable',
  summary:
    'logs of a pod (failing or Ready) show it cannot reach a Service it dials: refused, timeouts, DNS, resets, TLS; counted, first and last',
  reads: ['Event'],
  symptom: true,
  kinds: ['Pod'],
  detect(pod, { snapshot, graph, now }) {
    const ref = refOf(pod);
    const calls = failedCalls(graph, refKey(ref), (failure) => failure !== 'auth');
    // Most pods saw nothing fail: whether they fail themselves is asked only of those that did.
    const failing = calls.length > 0 && failingNow(refKey(ref), graph, snapshot, now);
    return calls.map(({ target, edges }): Finding => {
      const classes = [...new Set(edges.map((edge) => edge.detail.observed.failure))].sort();
      const containers = [...new Set(edges.flatMap((edge) => edge.detail.container ?? []))].sort();
      return {
        ruleId: this.id,
        severity: failing ? 'critical' : 'warning',
        resource: ref,
        message: `${containers.length === 1 ? `container ${containers[0] ?? ''}` : 'its containers'} cannot reach ${dependencyName(target, ref)}: ${classes.map((c) => FAILURE_WORDS[c]).join('; ')}`,
        evidence: edges.map(observationEvidence),
        fix: {
          summary: `find why ${dependencyName(target, ref)} does not answer: its pods, endpoints and the network policies in front of it`,
          commands: [
            `kubectl ${nsFlag(target)}get ${target.kind.toLowerCase()} ${target.name} -o wide`,
            ...(target.kind === 'Service'
              ? [`kubectl ${nsFlag(target)}get endpointslices -l kubernetes.io/service-name=${target.name}`]
              : []),
          ],
        },
      };
    });
  },
});
