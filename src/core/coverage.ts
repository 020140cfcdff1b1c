/**
 * Which kinds a source actually read, and where. A reference to an object we did not find means
 * "missing" only when its kind was read in its namespace; otherwise we do not know, and must not
 * say it is missing (that would send an engineer after a ghost).
 */
export class Coverage {
  readonly #everywhere = new Set<string>();
  readonly #inNamespace = new Set<string>();

  /** Records that `kind` was read in `namespace`, or in every namespace (and cluster scope) when undefined. */
  add(kind: string, namespace?: string): void {
    if (namespace === undefined) this.#everywhere.add(kind);
    else this.#inNamespace.add(`${kind}/${namespace}`);
  }

  /** Records everything `other` covers as covered here too: two reads taken as one. */
  merge(other: Coverage): void {
    for (const kind of other.#everywhere) this.#everywhere.add(kind);
    for (const key of other.#inNamespace) this.#inNamespace.add(key);
  }

  /** Was `kind` read where an object in `namespace` (undefined: cluster-scoped) would have been? */
  covers(kind: string, namespace: string | undefined): boolean {
    if (this.#everywhere.has(kind)) return true;
    return namespace !== undefined && this.#inNamespace.has(`${kind}/${namespace}`);
  }
}
