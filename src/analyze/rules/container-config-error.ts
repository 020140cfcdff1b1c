import type { Finding } from '../../core/finding.js';
import { refOf } from '../../core/resource-ref.js';
import { createMissing } from '../create-missing.js';
import { graphReferenceState, notReadText } from '../reference-state.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** The kubelet's words: `couldn't find key CACHE_SIZE in ConfigMap shop/api-config`. */
const MISSING_KEY = /couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)\/(\S+)/;
/** `configmap "api-config" not found`, `secret "db" not found`. */
const MISSING_OBJECT = /(configmap|secret) "([^"]+)" not found/i;

/**
 * CreateContainerConfigError resolved to the exact ConfigMap or Secret, and key, that is missing.
 * The finding is on that ConfigMap or Secret (or its missing node): the pods depend on it, so the
 * ranking makes it the root cause under every pod that needs it.
 */
export const containerConfigError = defineRule({
  id: 'container-config-error',
  summary: 'CreateContainerConfigError resolved to the exact ConfigMap/Secret **and key**',
  reads: [],
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { graph }) {
    const findings: Finding[] = [];
    for (const status of containerStatuses(pod)) {
      const waiting = status.state?.waiting;
      if (waiting?.reason !== 'CreateContainerConfigError') continue;
      const message = waiting.message ?? '';
      const key = MISSING_KEY.exec(message);
      const missing = MISSING_OBJECT.exec(message);
      const podRef = refOf(pod);
      const evidence = [
        {
          source: 'status' as const,
          resource: podRef,
          text: `container ${status.name}: CreateContainerConfigError: ${message}`,
        },
      ];
      if (key !== null) {
        const [, keyName = '', kind = 'ConfigMap', namespace = '', name = ''] = key;
        const ref = { kind, namespace, name };
        findings.push({
          ruleId: this.id,
          severity: 'critical',
          resource: ref,
          message: `${kind} ${name} has no key ${keyName}, and pods need it: their containers cannot be created`,
          evidence,
          fix: {
            summary: `add the key ${keyName} to ${kind} ${name}, or fix the reference in the pod template`,
            // stringData takes plain text; the API server encodes it into the Secret's data.
            commands: [
              `kubectl ${nsFlag(ref)}patch ${kind.toLowerCase()} ${name} --type=merge -p '${JSON.stringify({ [kind === 'Secret' ? 'stringData' : 'data']: { [keyName]: 'VALUE' } })}'`,
            ],
          },
        });
      } else if (missing !== null) {
        const kind = missing[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
        const name = missing[2] ?? '';
        const ref = {
          kind,
          ...(pod.metadata.namespace === undefined ? {} : { namespace: pod.metadata.namespace }),
          name,
        };
        // The kubelet did not find it; that it does not exist is ours to say only where the kind
        // was read (the read-only user reads no Secrets).
        const absent =
          graphReferenceState(graph, ref) === 'not-read'
            ? `was not found by the kubelet (${notReadText(kind, ref.namespace)})`
            : 'does not exist';
        findings.push({
          ruleId: this.id,
          severity: 'critical',
          resource: ref,
          message: `${kind} ${name} ${absent}, and pods need it: their containers cannot be created`,
          evidence,
          fix: createMissing(ref, graph),
        });
      } else {
        findings.push({
          ruleId: this.id,
          severity: 'critical',
          resource: podRef,
          message: `container ${status.name} cannot be created: ${message}`,
          evidence,
        });
      }
    }
    return findings;
  },
});
