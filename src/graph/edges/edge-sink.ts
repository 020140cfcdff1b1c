import type { KubeObject } from '../../core/kube-object.js';
import type { ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import type { EdgeDetail, EdgeKind } from '../edge.js';
import type { ServiceDirectory } from '../network/service-directory.js';

/** What an edge extractor gets: the snapshot to look things up in, and a way to record an edge. */
export interface EdgeSink {
  readonly snapshot: Snapshot;
  /** The cluster's names (Services, their IPs, pod IPs), for edges from addresses a program dials. */
  readonly services: ServiceDirectory;
  /** Records `from → to`; each end becomes a present, missing or unknown node as the snapshot says. */
  link(from: ResourceRef, to: ResourceRef, kind: EdgeKind, detail?: EdgeDetail): void;
  /** Records an edge to something that is not an API object (an RBAC user or group). */
  linkExternal(from: ResourceRef, to: ResourceRef, kind: EdgeKind): void;
}

/** Finds the edges one object makes. One extractor per concern; each looks only at the kinds it knows. */
export type EdgeExtractor = (object: KubeObject, sink: EdgeSink) => void;

/** `{ namespace }` when defined, `{}` otherwise: keeps optional fields absent rather than undefined. */
export function inNamespace(namespace: string | undefined): { readonly namespace?: string } {
  return namespace === undefined ? {} : { namespace };
}

/** A reference to a namespaced object in the same namespace as `object`. */
export function sibling(object: KubeObject, kind: string, name: string): ResourceRef {
  return { kind, ...inNamespace(object.metadata.namespace), name };
}
