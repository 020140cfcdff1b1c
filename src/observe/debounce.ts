import type { FailureTrigger } from './failure-detection.js';

export interface DebouncerOptions {
  /** How long one pod+container+reason stays quiet after it was let through. Default 5 minutes. */
  readonly ttlMs?: number;
  /** The clock (milliseconds), so tests and replays control time. */
  readonly nowMs?: () => number;
  /**
   * Keys remembered at most; past it, the ones let through longest ago are forgotten first (they
   * would be the first to expire anyway). Bounds memory when thousands of pods fail at once.
   */
  readonly maxKeys?: number;
}

export const DEFAULT_DEBOUNCE_TTL_MS = 5 * 60_000;

/** The identity of a failure for debouncing: the same pod, container and reason. */
export function debounceKey(trigger: FailureTrigger): string {
  return `${trigger.namespace}/${trigger.pod}/${trigger.container ?? ''}/${trigger.reason}`;
}

/**
 * Lets the first trigger of a pod+container+reason through and holds back the rest for a TTL:
 * a crash loop reported on every status update (ten in a minute) is harvested once. The window
 * starts at the trigger let through, not at the latest one, so a failure that never stops is
 * harvested again once per TTL with fresh evidence.
 */
export class Debouncer {
  readonly #ttlMs: number;
  readonly #nowMs: () => number;
  readonly #maxKeys: number;
  /**
   * Key → when it was last let through, how many were held back since, and how many were held back
   * in the window before. Insertion order is admission order (re-admission moves it to the end).
   */
  readonly #admitted = new Map<string, { at: number; held: number; heldBefore: number }>();
  #suppressed = 0;

  constructor(options: DebouncerOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_DEBOUNCE_TTL_MS;
    this.#nowMs = options.nowMs ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 50_000;
  }

  /** True when this trigger should be harvested; false when one like it was within the TTL. */
  admit(trigger: FailureTrigger): boolean {
    const key = debounceKey(trigger);
    const now = this.#nowMs();
    const last = this.#admitted.get(key);
    if (last !== undefined && now - last.at < this.#ttlMs) {
      last.held++;
      this.#suppressed++;
      return false;
    }
    this.#admitted.delete(key);
    this.#admitted.set(key, { at: now, held: 0, heldBefore: last?.held ?? 0 });
    this.#forgetExpired(now);
    return true;
  }

  /**
   * How many triggers like this one were held back in the window before it was last let through:
   * the `debounced` count an incident carries. Known for a window that ended within the last TTL.
   */
  heldBackBefore(trigger: FailureTrigger): number {
    return this.#admitted.get(debounceKey(trigger))?.heldBefore ?? 0;
  }

  /** Forgets a failure let through (its harvest failed), so its next detection is let through. */
  forget(trigger: FailureTrigger): void {
    this.#admitted.delete(debounceKey(trigger));
  }

  /** Triggers held back so far (the `debounced` counter). */
  get suppressed(): number {
    return this.#suppressed;
  }

  /** Keys remembered now. */
  get size(): number {
    return this.#admitted.size;
  }

  #forgetExpired(now: number): void {
    for (const [key, { at }] of this.#admitted) {
      // Kept one TTL past its window, so a failure that goes on is let through again with its count.
      if (now - at < 2 * this.#ttlMs && this.#admitted.size <= this.#maxKeys) break;
      this.#admitted.delete(key);
    }
  }
}
