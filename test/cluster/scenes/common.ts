/** Pieces several scenes share. */
import type { ClusterHandle } from '../harness.ts';
import type { FaultParams, FaultType } from '../faults.ts';
import { patch } from './util.ts';

/** The annotation `kubectl rollout restart` puts on the pod template. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** `kubectl rollout restart deployment/<name>`: a strategic merge patch of the template annotation (RFC 3339, seconds). */
export async function rolloutRestart(cluster: ClusterHandle, ns: string, name: string): Promise<string> {
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await patch(
    cluster.admin,
    'Deployment',
    name,
    ns,
    { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } },
    { type: 'strategic' },
  );
  return at;
}

/**
 * Plays `type` on the pods of `ns` with label app=`app` that satisfy `extra` (KWOK stages; nothing is
 * written on the workload). Stage names are derived from the namespace, so scenes do not collide.
 */
export async function faultPods(
  cluster: ClusterHandle,
  ns: string,
  app: string,
  type: FaultType,
  params: FaultParams,
  extra: 'restarted' | { readonly image: string } | 'all' = 'all',
): Promise<void> {
  const matchExpressions =
    extra === 'restarted'
      ? [{ key: `.metadata.annotations["${RESTARTED_AT}"]`, operator: 'Exists' as const }]
      : extra === 'all'
        ? []
        : [{ key: '.spec.containers.[].image', operator: 'In' as const, values: [extra.image] }];
  await cluster.addFaultStages({
    namespace: ns,
    matchLabels: { app },
    matchExpressions,
    type,
    params,
    namePrefix: `scene-${ns}-${app}`,
  });
}
