import type { Evidence, Finding } from '../../core/finding.js';
import type { Container } from '../../core/kube-types.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { dependencyName, failedCalls, observationEvidence } from '../call-failures.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** Env names that carry credentials: where a rejected password most likely comes from. */
const CREDENTIAL_NAME = /pass|pwd|secret|token|cred|auth|user|key|dsn|url|uri/i;

/**
 * A dependency rejecting a pod's credentials (password authentication failed, Access denied,
 * NOAUTH/WRONGPASS, SASL failures), as the pod's logs say — and the Secrets and env vars the
 * credentials come from. Not a symptom: the dependency is up and answering; what it is given is
 * wrong (a rotated password, a Secret from another environment).
 */
export const dependencyRejectsCredentials = defineRule({
  id: 'dependency-rejects-credentials',
  summary:
    "a dependency rejects a pod's credentials (password authentication failed, Access denied, NOAUTH), with the Secret they come from",
  reads: [],
  kinds: ['Pod'],
  detect(pod, { graph }) {
    const ref = refOf(pod);
    return failedCalls(graph, refKey(ref), (failure) => failure === 'auth').map(
      ({ target, edges }): Finding => {
        const containers = new Set(edges.flatMap((edge) => edge.detail.container ?? []));
        const sources = credentialSources(
          (pod.spec?.containers ?? []).filter((c) => containers.size === 0 || containers.has(c.name)),
        );
        const evidence: Evidence[] = [
          ...edges.map(observationEvidence),
          ...sources.map((text): Evidence => ({ source: 'spec', text })),
        ];
        const secrets = [...new Set(sources.flatMap((text) => /Secret\/([^ ]+)/.exec(text)?.[1] ?? []))];
        return {
          ruleId: this.id,
          severity: 'critical',
          resource: ref,
          message: `${dependencyName(target, ref)} rejects the credentials ${containers.size === 1 ? `container ${[...containers][0] ?? ''}` : 'the pod'} presents${secrets.length > 0 ? ` (from Secret ${secrets.join(', ')})` : ''}`,
          evidence,
          fix: {
            summary:
              secrets.length > 0
                ? `make Secret ${secrets.join(', ')} hold the credentials ${dependencyName(target, ref)} expects now (a rotated password?), then restart the pods`
                : `give the pod the credentials ${dependencyName(target, ref)} expects now`,
            commands: secrets.map((name) => `kubectl ${nsFlag(ref)}describe secret ${name}`),
          },
        };
      },
    );
  },
});

/** `env DB_PASSWORD ← Secret/db-credentials key password`, `envFrom ← Secret/db`: where credentials come from. */
function credentialSources(containers: readonly Container[]): string[] {
  const sources = new Set<string>();
  for (const container of containers) {
    for (const variable of container.env ?? []) {
      const secret = variable.valueFrom?.secretKeyRef;
      if (secret?.name !== undefined && CREDENTIAL_NAME.test(variable.name))
        sources.add(`env ${variable.name} ← Secret/${secret.name} key ${secret.key ?? ''}`);
    }
    for (const from of container.envFrom ?? [])
      if (from.secretRef?.name !== undefined) sources.add(`envFrom ← Secret/${from.secretRef.name}`);
  }
  return [...sources].sort();
}
