import type { Change } from './change.js';
import { refKey, type ResourceRef } from './resource-ref.js';

/**
 * The recorded changes an analysis may consult (the memory tier's, for the window before the
 * snapshot's moment), by object. Rules read it through their context; they never query a store.
 */
export class ChangeHistory {
  readonly #byObject = new Map<string, Change[]>();

  constructor(changes: readonly Change[]) {
    for (const change of changes) {
      const key = refKey(change.object);
      const list = this.#byObject.get(key);
      if (list === undefined) this.#byObject.set(key, [change]);
      else list.push(change);
    }
    for (const list of this.#byObject.values()) list.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** The object's changes, oldest first. */
  changesOf(ref: ResourceRef): readonly Change[] {
    return this.#byObject.get(refKey(ref)) ?? [];
  }

  /**
   * Every object with recorded changes, each as its changes oldest first, in the order of the
   * objects' keys: what a rule walks to find the changes that may explain a failure.
   */
  *byObject(): IterableIterator<readonly Change[]> {
    for (const key of [...this.#byObject.keys()].sort()) yield this.#byObject.get(key) ?? [];
  }
}
