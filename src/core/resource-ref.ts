/** A pointer to one object: its kind (canonical, e.g. `Deployment`), namespace and name. */
export interface ResourceRef {
  readonly kind: string;
  /** Absent for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
}

/** The stable identity of a reference, used as a map key: `Kind/namespace/name`. */
export function refKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** How a person reads a reference: `Deployment/api` or, across namespaces, `Deployment/shop/api`. */
export function formatRef(ref: ResourceRef, options: { readonly withNamespace?: boolean } = {}): string {
  return options.withNamespace === true && ref.namespace !== undefined
    ? `${ref.kind}/${ref.namespace}/${ref.name}`
    : `${ref.kind}/${ref.name}`;
}

/**
 * The form tools use to name an object: `shop/Deployment/api`, or `Node/worker-1` for a
 * cluster-scoped one. What `analyze -o json` gives as a problem's object and top owner.
 */
export function objectId(ref: ResourceRef): string {
  return ref.namespace === undefined ? `${ref.kind}/${ref.name}` : `${ref.namespace}/${ref.kind}/${ref.name}`;
}

/** The reference an {@link objectId} names. */
export function refOfObjectId(id: string): ResourceRef {
  const parts = id.split('/');
  const [namespace = '', kind = '', name = ''] = parts.length === 3 ? parts : ['', ...parts];
  return namespace === '' ? { kind, name } : { kind, namespace, name };
}

/** The reference of an object. */
export function refOf(object: {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}): ResourceRef {
  return object.metadata.namespace === undefined
    ? { kind: object.kind, name: object.metadata.name }
    : { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name };
}
