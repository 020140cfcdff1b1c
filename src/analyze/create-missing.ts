import type { Fix } from '../core/finding.js';
import { refKey, type ResourceRef } from '../core/resource-ref.js';
import type { Pod } from '../core/kube-types.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { GraphEdge } from '../graph/edge.js';
import { registryOf } from './image-reference.js';
import { nsFlag } from './pod-refs.js';

/**
 * How to bring back an object that others reference but that does not exist, with what the graph
 * knows they need of it: the keys of a ConfigMap or Secret, a pull Secret's registry form, a TLS
 * Secret's files. Values are placeholders in capitals: kubectl-smart never knows them.
 */
export function createMissing(missing: ResourceRef, graph: DependencyGraph): Fix {
  const ns = nsFlag(missing);
  const { kind, name } = missing;
  const edges = graph.incoming(refKey(missing)).filter((edge) => edge.kind !== 'involves');
  const keys = [
    ...new Set(edges.flatMap((edge) => (edge.detail?.key === undefined ? [] : [edge.detail.key]))),
  ];
  const literals = keys.map((key) => ` --from-literal=${key}=VALUE`).join('');
  const summary = `create ${kind} ${name}, or fix the reference`;
  switch (kind) {
    case 'ConfigMap':
      return { summary, commands: [`kubectl ${ns}create configmap ${name}${literals}`] };
    case 'Secret':
      if (edges.some((edge) => edge.kind === 'pulls-with'))
        return {
          summary,
          commands: registriesPulledWith(edges, graph).map(
            (registry) =>
              `kubectl ${ns}create secret docker-registry ${name} --docker-server=${registry} --docker-username=USER --docker-password=TOKEN`,
          ),
        };
      if (edges.some((edge) => edge.kind === 'terminates-tls-with'))
        return { summary, commands: [`kubectl ${ns}create secret tls ${name} --cert=tls.crt --key=tls.key`] };
      return { summary, commands: [`kubectl ${ns}create secret generic ${name}${literals}`] };
    case 'ServiceAccount':
      return { summary, commands: [`kubectl ${ns}create serviceaccount ${name}`] };
    case 'PriorityClass':
      return { summary, commands: [`kubectl create priorityclass ${name} --value=VALUE`] };
    case 'StorageClass':
      // A claim's storageClassName cannot be changed: the other way out is a new claim.
      return {
        summary: `create StorageClass ${name} with the cluster's provisioner, or recreate the claims with a class that exists (storageClassName cannot be changed)`,
        commands: [
          'kubectl get storageclass',
          ...edges
            .flatMap((edge) => {
              const claim = graph.nodeByKey(edge.from)?.ref;
              return claim?.kind === 'PersistentVolumeClaim' ? [claim] : [];
            })
            .map(
              (claim) =>
                `kubectl ${nsFlag(claim)}get pvc ${claim.name} -o yaml > claim.yaml  # set spec.storageClassName, then: kubectl replace --force -f claim.yaml`,
            ),
        ],
      };
    default:
      return { summary, commands: [`kubectl ${ns}get ${kind.toLowerCase()}`] };
  }
}

/** The registries of the images that the pods pulling with a Secret run; REGISTRY when none is known. */
function registriesPulledWith(edges: readonly GraphEdge[], graph: DependencyGraph): string[] {
  const registries = new Set<string>();
  for (const edge of edges) {
    if (edge.kind !== 'pulls-with') continue;
    const pod: Pod | undefined = graph.nodeByKey(edge.from)?.object;
    if (pod?.kind !== 'Pod') continue;
    for (const container of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])])
      if (container.image !== undefined) registries.add(registryOf(container.image));
  }
  return registries.size === 0 ? ['REGISTRY'] : [...registries].sort();
}
