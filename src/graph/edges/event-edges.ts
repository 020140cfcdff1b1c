import { toEventRecord } from '../../core/event-record.js';
import { refOf } from '../../core/resource-ref.js';
import type { EdgeExtractor } from './edge-sink.js';

/** Event → the object it is about. */
export const eventEdges: EdgeExtractor = (object, sink) => {
  if (object.kind !== 'Event') return;
  const record = toEventRecord(object);
  if (record === undefined) return;
  const { kind, namespace, name } = record.involved;
  sink.link(refOf(object), namespace === undefined ? { kind, name } : { kind, namespace, name }, 'involves');
};
