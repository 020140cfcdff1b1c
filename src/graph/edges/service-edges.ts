import { CONTROLLER_KINDS } from '../../core/kinds.js';
import type { Service, Workload } from '../../core/kube-types.js';
import { selectorMatches } from '../../core/label-selector.js';
import { refOf } from '../../core/resource-ref.js';
import { sibling, type EdgeExtractor } from './edge-sink.js';
import { selectedPods } from './pod-selection.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * A Service depends on the pods its selector selects and on its EndpointSlices. A Service with no
 * selector (endpoints managed by hand) selects nothing, as in the API. When it selects no pod, it
 * depends on the workloads whose pod template it would select (`selects-workload`): a Deployment
 * scaled to zero is why its Service has no endpoints. An `ExternalName` Service that aliases a
 * cluster name calls the Service behind that name.
 */
export const serviceEdges: EdgeExtractor = (object, sink) => {
  if (object.kind !== 'Service') return;
  const from = refOf(object);
  const { spec } = object as Service;
  const selector = spec?.selector;
  if (selector !== undefined && Object.keys(selector).length > 0) {
    const pods = selectedPods(sink.snapshot, object.metadata.namespace, { matchLabels: selector });
    for (const pod of pods) sink.link(from, refOf(pod), 'selects');
    if (pods.length === 0) {
      for (const kind of CONTROLLER_KINDS) {
        for (const workload of sink.snapshot.objectsOfKind(
          kind,
          object.metadata.namespace,
        ) as readonly Workload[]) {
          const isTopLevel = !(workload.metadata.ownerReferences ?? []).some(
            (owner) => owner.controller === true,
          );
          const labels = workload.spec?.template?.metadata?.labels;
          if (isTopLevel && labels !== undefined && selectorMatches({ matchLabels: selector }, labels))
            sink.link(from, refOf(workload), 'selects-workload', { via: 'template' });
        }
      }
    }
  }
  if (spec?.type === 'ExternalName' && spec.externalName !== undefined) {
    const resolved = sink.services.resolve(
      spec.externalName.toLowerCase().replace(/\.$/, ''),
      object.metadata.namespace,
    );
    if (resolved !== undefined && spec.externalName.includes('.svc'))
      sink.link(from, resolved.target, 'calls', { via: 'externalName', address: spec.externalName });
  }
  for (const slice of sink.snapshot.withLabel(
    'EndpointSlice',
    object.metadata.namespace,
    SERVICE_NAME_LABEL,
    object.metadata.name,
  )) {
    sink.link(from, sibling(object, 'EndpointSlice', slice.metadata.name), 'has-endpoint-slice');
  }
};
