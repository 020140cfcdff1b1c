import type { Service } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { sibling, type EdgeExtractor } from './edge-sink.js';
import { selectedPods } from './pod-selection.js';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * A Service depends on the pods its selector selects and on its EndpointSlices. A Service with no
 * selector (endpoints managed by hand) selects nothing, as in the API.
 */
export const serviceEdges: EdgeExtractor = (object, sink) => {
  if (object.kind !== 'Service') return;
  const from = refOf(object);
  const selector = (object as Service).spec?.selector;
  if (selector !== undefined && Object.keys(selector).length > 0) {
    for (const pod of selectedPods(sink.snapshot, object.metadata.namespace, { matchLabels: selector })) {
      sink.link(from, refOf(pod), 'selects');
    }
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
