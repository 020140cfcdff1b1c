import { certificateFactsOf } from '../../core/certificate-facts.js';
import type { Evidence, Finding } from '../../core/finding.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

const DAY_MS = 86_400_000;
const WARN_DAYS = 30;
const CRITICAL_DAYS = 7;

/**
 * A certificate in a Secret that has expired or expires within 30 days (critical within 7), with
 * the Ingress hosts that serve it. Reads the certificate facts the sources record before blanking
 * Secret values (`kubectl-smart.io/certificates`), never the value itself.
 */
export const tlsExpiring = defineRule({
  id: 'tls-expiring',
  summary:
    'a certificate in a Secret expired or expiring within 30 days (critical within 7), with the Ingress hosts serving it',
  reads: [],
  kinds: ['Secret'],
  detect(object, { graph, now }) {
    const ref = refOf(object);
    const findings: Finding[] = [];
    const ingresses = graph
      .incoming(refKey(ref))
      .filter((edge) => edge.kind === 'terminates-tls-with')
      .map((edge) => ({
        ingress: graph.nodeByKey(edge.from)?.ref.name ?? edge.from,
        hosts: (edge.detail?.via ?? '').replace(/^tls:/, ''),
      }));
    for (const certificate of certificateFactsOf(object.metadata.annotations)) {
      const notAfterMs = timeMs(certificate.notAfter);
      if (notAfterMs === undefined) continue;
      const daysLeft = (notAfterMs - now.getTime()) / DAY_MS;
      if (daysLeft > WARN_DAYS) continue;
      const when =
        daysLeft < 0 ? `expired ${formatDays(-daysLeft)} ago` : `expires in ${formatDays(daysLeft)}`;
      const evidence: Evidence[] = [
        {
          source: 'spec',
          text: `${certificate.key}: ${certificate.subject}, issued by ${certificate.issuer}, not after ${certificate.notAfter}`,
        },
        ...(certificate.dnsNames.length === 0
          ? []
          : [{ source: 'spec' as const, text: `names: ${certificate.dnsNames.join(', ')}` }]),
        ...ingresses.map(({ ingress, hosts }) => ({
          source: 'graph' as const,
          text: `served by Ingress ${ingress} for ${hosts === '' ? 'its hosts' : hosts}`,
        })),
      ];
      findings.push({
        ruleId: this.id,
        severity: daysLeft < CRITICAL_DAYS ? 'critical' : 'warning',
        resource: ref,
        message: `the certificate in Secret ${object.metadata.name} (${certificate.key}) ${when}${ingresses.length === 0 ? '' : `; Ingress ${ingresses.map((i) => i.ingress).join(', ')} serves it`}`,
        evidence,
        fix: {
          summary:
            'renew the certificate (cert-manager: check its Certificate; otherwise replace the Secret)',
          commands: [
            `kubectl ${nsFlag(ref)}create secret tls ${object.metadata.name} --cert=NEW.crt --key=NEW.key --dry-run=client -o yaml | kubectl apply -f -`,
          ],
        },
      });
    }
    return findings;
  },
});

function formatDays(days: number): string {
  if (days >= 2) return `${String(Math.floor(days))} days`;
  const hours = Math.floor(days * 24);
  return hours >= 1 ? `${String(hours)} hours` : 'less than an hour';
}
