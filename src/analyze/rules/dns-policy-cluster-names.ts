import type { Finding } from '../../core/finding.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { Pod, PodSpec, Workload } from '../../core/kube-types.js';
import { refKey, refOf } from '../../core/resource-ref.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

const SHOWN = 3;
const IP = /^[0-9.]+$|:/;

/**
 * A pod whose DNS policy cannot resolve the cluster names its configuration dials: `dnsPolicy:
 * Default` uses the node's resolver, and a `hostNetwork` pod left at `ClusterFirst` falls back to it
 * (it needs `ClusterFirstWithHostNet`), see
 * https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#pod-s-dns-policy. The
 * node's resolver knows nothing of `db.data.svc`: the calls fail with "no such host" while the
 * Service is fine. Critical when the pod's logs show names failing to resolve.
 */
export const dnsPolicyClusterNames = defineRule({
  id: 'dns-policy-cluster-names',
  summary:
    'a pod whose dnsPolicy (Default, or hostNetwork without ClusterFirstWithHostNet) cannot resolve the cluster names it dials',
  reads: [],
  kinds: ['Pod', ...CONTROLLER_KINDS],
  fixInTemplate: true,
  detect(object, { graph }) {
    const spec = specOf(object);
    const policy = spec?.dnsPolicy ?? 'ClusterFirst';
    const nodeResolver = policy === 'Default' || (spec?.hostNetwork === true && policy === 'ClusterFirst');
    if (spec === undefined || !nodeResolver) return [];
    const ref = refOf(object);
    const calls = graph.outgoing(refKey(ref)).filter((edge) => edge.kind === 'calls');
    const names = [
      ...new Set(
        calls
          .filter((edge) => edge.detail?.observed === undefined)
          .flatMap((edge) => edge.detail?.address ?? [])
          .map((address) => address.replace(/:[^:]*$/, ''))
          .filter((host) => !IP.test(host)),
      ),
    ].sort();
    if (names.length === 0) return [];
    const unresolved = calls.filter((edge) => edge.detail?.observed?.failure === 'dns');
    const how = policy === 'Default' ? 'dnsPolicy Default' : 'hostNetwork with dnsPolicy ClusterFirst';
    const shown =
      names.slice(0, SHOWN).join(', ') +
      (names.length > SHOWN ? ` and ${String(names.length - SHOWN)} more` : '');
    const finding: Finding = {
      ruleId: this.id,
      severity: unresolved.length > 0 ? 'critical' : 'warning',
      resource: ref,
      message: `${how} resolves names with the node's resolver, which does not know cluster names: ${shown} will not resolve`,
      evidence: [
        {
          source: 'spec',
          text: `dnsPolicy: ${spec.dnsPolicy ?? '(unset: ClusterFirst)'}${spec.hostNetwork === true ? ', hostNetwork: true' : ''}`,
        },
        ...unresolved
          .slice(0, SHOWN)
          .flatMap((edge) =>
            edge.detail?.observed === undefined
              ? []
              : [{ source: 'log' as const, text: edge.detail.observed.line }],
          ),
      ],
      fix: {
        summary: `set dnsPolicy to ${spec.hostNetwork === true ? 'ClusterFirstWithHostNet' : 'ClusterFirst'} in the pod template (or dial addresses the node's resolver knows)`,
        commands: [
          `kubectl ${nsFlag(ref)}get ${object.kind.toLowerCase()} ${ref.name} -o jsonpath='{.spec${object.kind === 'Pod' ? '' : '.template.spec'}.dnsPolicy}'`,
        ],
      },
    };
    return [finding];
  },
});

function specOf(object: KubeObject): PodSpec | undefined {
  if (object.kind === 'Pod') return (object as Pod).spec;
  const workload = object as Workload;
  // A workload's template speaks only while it has no pods: the pods carry the edges otherwise.
  return workload.spec?.template?.spec ?? workload.spec?.jobTemplate?.spec?.template?.spec;
}
