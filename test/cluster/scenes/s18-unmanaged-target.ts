/**
 * S18 unmanaged-target: a failing Deployment without the opt-in label `ops.kubectl-smart.io/managed`.
 * The failure is S6's (a missing ConfigMap key); what the scene adds is that nobody opted in, so the
 * agent must diagnose and take no action.
 */
import type { ClusterHandle } from '../harness.ts';
import { scene06 } from './s06-missing-configmap-key.ts';
import { get } from './util.ts';
import type { Scene } from './util.ts';

export const MANAGED_LABEL = 'ops.kubectl-smart.io/managed';

export async function scene18(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const failing = await scene06(cluster, namespace);
  const target = await get(cluster.admin, failing.target.kind, failing.target.name, namespace);
  if (target === undefined) throw new Error(`S18: ${failing.target.kind}/${failing.target.name} is gone`);
  return {
    ...failing,
    expect: {
      rootCause: `${failing.expect.rootCause}; ${failing.target.kind}/${failing.target.name} has no ${MANAGED_LABEL} label: diagnosis only, no action`,
      evidence: failing.expect.evidence,
    },
    observed: { ...failing.observed, managedLabel: target.metadata.labels?.[MANAGED_LABEL] ?? null },
  };
}
