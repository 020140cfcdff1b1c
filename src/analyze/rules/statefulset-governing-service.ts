import type { Evidence, Finding, Severity } from '../../core/finding.js';
import type { Service, StatefulSet } from '../../core/kube-types.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/**
 * A StatefulSet whose pods cannot have their stable DNS names (`db-0.db.shop.svc`): the governing
 * Service in spec.serviceName does not exist (said only when Services were read there), is not
 * headless (clusterIP not None), or selects none of its pods. And a volumeClaimTemplate naming a
 * StorageClass that does not exist (only when StorageClasses were read), when none of its claims
 * exists yet: once a claim exists, missing-dependency reports the class through the claim.
 *
 * Critical while the StatefulSet has fewer ready pods than it wants (peers that find each other
 * by these names, or claims that cannot be provisioned, are then the likely reason); warning
 * otherwise. A Service that is there but not headless is only info for a single replica: a lone
 * database reached through the Service's own name is a common, working setup. Not a symptom:
 * each is a mistake in the objects themselves.
 */
export const statefulSetGoverningService = defineRule({
  id: 'statefulset-governing-service',
  summary:
    'a StatefulSet whose governing Service is missing, not headless or selects none of its pods; a volumeClaimTemplate naming a missing StorageClass',
  reads: ['Service', 'StorageClass', 'PersistentVolumeClaim', 'Pod'],
  kinds: ['StatefulSet'],
  detect(sts, { snapshot, graph }) {
    const ref = refOf(sts);
    const namespace = ref.namespace ?? '';
    const desired = sts.spec?.replicas ?? 1;
    const ready = sts.status?.readyReplicas ?? 0;
    const severity: Severity = desired > 0 && ready < desired ? 'critical' : 'warning';
    const readiness: Evidence = {
      source: 'status',
      text: `${String(ready)} of ${String(desired)} pods ready`,
    };
    const findings: Finding[] = [];
    const serviceName = sts.spec?.serviceName;
    const start = sts.spec?.ordinals?.start ?? 0;
    const firstPod = `${sts.metadata.name}-${String(start)}`;

    if (serviceName !== undefined && serviceName !== '') {
      const serviceRef: ResourceRef = { kind: 'Service', namespace, name: serviceName };
      const service: Service | undefined = snapshot.get(serviceRef);
      const dnsName = `${firstPod}.${serviceName}.${namespace}.svc`;
      const base = { ruleId: this.id, severity, resource: ref };
      if (service === undefined) {
        if (snapshot.coverage.covers('Service', namespace))
          findings.push({
            ...base,
            message: `StatefulSet ${sts.metadata.name}'s governing Service ${serviceName} does not exist: its pods' DNS names (${dnsName}) do not resolve`,
            evidence: [{ source: 'spec', text: `serviceName: ${serviceName} (not found)` }, readiness],
            fix: {
              summary: `create headless Service ${serviceName} selecting the StatefulSet's pods (serviceName cannot be changed)`,
              commands: [createHeadless(sts, serviceName)],
            },
          });
      } else if (service.spec?.clusterIP !== 'None') {
        findings.push({
          ...base,
          severity: desired > 1 ? severity : 'info',
          message: `StatefulSet ${sts.metadata.name}'s governing Service ${serviceName} is not headless (clusterIP ${service.spec?.clusterIP ?? 'unset'}): its pods get no DNS names of their own (${dnsName})`,
          evidence: [
            { source: 'spec', text: `serviceName: ${serviceName}` },
            {
              source: 'spec',
              resource: serviceRef,
              text: `clusterIP: ${service.spec?.clusterIP ?? '(unset)'}, type ${service.spec?.type ?? 'ClusterIP'}`,
            },
            readiness,
          ],
          fix: {
            summary: `recreate Service ${serviceName} with clusterIP: None (clusterIP cannot be changed in place); if clients use it as a normal Service, give them another one`,
            commands: [
              `kubectl ${nsFlag(ref)}get service ${serviceName} -o yaml > service.yaml  # set spec.clusterIP: None, delete spec.clusterIPs, then: kubectl replace --force -f service.yaml`,
            ],
          },
        });
      } else {
        const unselected = podsNotSelected(sts, serviceRef, snapshot, graph);
        if (unselected !== undefined)
          findings.push({
            ...base,
            message: `StatefulSet ${sts.metadata.name}'s governing Service ${serviceName} selects none of its pods: their DNS names (${dnsName}) do not resolve`,
            evidence: [
              {
                source: 'spec',
                resource: serviceRef,
                text: `selector ${
                  Object.entries(service.spec.selector ?? {})
                    .map(([k, v]) => `${k}=${v}`)
                    .join(',') || '(none)'
                }`,
              },
              { source: 'graph', text: `pods ${unselected} are not selected by it` },
              readiness,
            ],
            fix: {
              summary: `make Service ${serviceName}'s selector match the StatefulSet's pod labels`,
              commands: [`kubectl ${nsFlag(ref)}set selector service ${serviceName} '${matchLabels(sts)}'`],
            },
          });
      }
    }

    if (snapshot.coverage.covers('StorageClass', undefined)) {
      for (const template of sts.spec?.volumeClaimTemplates ?? []) {
        const className = template.spec?.storageClassName;
        const claimName = template.metadata?.name;
        if (className === undefined || className === '' || claimName === undefined) continue;
        if (snapshot.get({ kind: 'StorageClass', name: className }) !== undefined) continue;
        // A claim made from the template names the class too: missing-dependency says it there.
        const claims = Array.from(
          { length: Math.max(desired, 1) },
          (_, i) => `${claimName}-${sts.metadata.name}-${String(start + i)}`,
        );
        if (
          claims.some(
            (name) => snapshot.get({ kind: 'PersistentVolumeClaim', namespace, name }) !== undefined,
          )
        )
          continue;
        findings.push({
          ruleId: this.id,
          severity,
          resource: ref,
          message: `StatefulSet ${sts.metadata.name}'s volumeClaimTemplate ${claimName} names StorageClass ${className}, which does not exist: its claims cannot be provisioned`,
          evidence: [
            {
              source: 'spec',
              text: `volumeClaimTemplates[${claimName}].spec.storageClassName: ${className} (not found)`,
            },
            readiness,
          ],
          fix: {
            summary: `create StorageClass ${className} with the cluster's provisioner, or recreate the StatefulSet with a class that exists (volumeClaimTemplates cannot be changed)`,
            commands: [
              'kubectl get storageclass',
              `kubectl ${nsFlag(ref)}get statefulset ${sts.metadata.name} -o yaml > sts.yaml  # set the storageClassName, then: kubectl delete statefulset ${sts.metadata.name} --cascade=orphan && kubectl apply -f sts.yaml`,
            ],
          },
        });
      }
    }
    return findings;
  },
});

/**
 * The StatefulSet's pods (by owner uid) when the Service selects none of them, as a list; undefined
 * when it selects one, or the StatefulSet has no pods to judge by.
 */
function podsNotSelected(
  sts: StatefulSet,
  serviceRef: ResourceRef,
  snapshot: Snapshot,
  graph: DependencyGraph,
): string | undefined {
  const uid = sts.metadata.uid;
  if (uid === undefined) return undefined;
  const pods = snapshot.ownedBy(uid).filter((object) => object.kind === 'Pod');
  if (pods.length === 0) return undefined;
  const selected = new Set(
    graph
      .outgoing(refKey(serviceRef))
      .filter((edge) => edge.kind === 'selects')
      .map((edge) => edge.to),
  );
  if (pods.some((pod) => selected.has(refKey(refOf(pod))))) return undefined;
  return pods
    .map((pod) => pod.metadata.name)
    .sort()
    .join(', ');
}

/** `app=db,tier=data`: the StatefulSet's matchLabels, as kubectl takes a selector. */
function matchLabels(sts: StatefulSet): string {
  const labels = sts.spec?.selector?.matchLabels ?? {};
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A headless Service with the StatefulSet's selector, in one kubectl pipeline. */
function createHeadless(sts: StatefulSet, name: string): string {
  const ns = nsFlag(refOf(sts));
  const selector = matchLabels(sts);
  return selector === ''
    ? `kubectl ${ns}create service clusterip ${name} --clusterip=None  # then set its selector to the pods' labels`
    : `kubectl ${ns}create service clusterip ${name} --clusterip=None --dry-run=client -o yaml | kubectl set selector --local -f - '${selector}' -o yaml | kubectl ${ns}apply -f -`;
}
