import { isNamespaced } from '../../core/kinds.js';
import { refOf } from '../../core/resource-ref.js';
import { inNamespace, type EdgeExtractor } from './edge-sink.js';

/** Owner references, any depth: each hop is an `owns` edge from the owner to the owned object. */
export const ownerEdges: EdgeExtractor = (object, sink) => {
  for (const owner of object.metadata.ownerReferences ?? []) {
    const namespace = isNamespaced(owner.kind) ? object.metadata.namespace : undefined;
    sink.link({ kind: owner.kind, ...inNamespace(namespace), name: owner.name }, refOf(object), 'owns');
  }
};
