import { pause } from '../../core/pause.js';
import type { Outbox, OutboxEntry } from './outbox.js';

/**
 * How incidents reach one receiver: a gRPC stream, a webhook. The delivery loop above it keeps
 * the outbox, the retries and the back-off; a transport only sends and reports acknowledgements.
 */
export interface IncidentTransport {
  /** For logs: `grpc https://receiver:8443`. */
  readonly description: string;
  /**
   * Whether the receiver says it is serving (gRPC health checking) before a batch is sent; a
   * transport with no such check answers true.
   */
  ready(signal: AbortSignal): Promise<boolean>;
  /**
   * Sends the entries in order and calls `onAcknowledged` for each one the receiver confirms.
   * Resolves when all are confirmed; throws when the receiver cannot be reached or breaks off
   * (what was confirmed before stays confirmed).
   */
  send(
    entries: readonly OutboxEntry[],
    onAcknowledged: (id: string) => void,
    signal: AbortSignal,
  ): Promise<void>;
  close(): void;
}

/** What the delivery loop reports, for metrics and logs. */
export interface DeliveryHooks {
  /** An incident the receiver confirmed, `latencyMs` after it was put in the outbox (this run). */
  onDelivered?(id: string, latencyMs: number | undefined): void;
  /** The receiver could not be reached, or broke off: the loop waits `delayMs` and tries again. */
  onRetry?(error: unknown, delayMs: number): void;
}

export interface DeliveryOptions {
  readonly outbox: Outbox;
  readonly transport: IncidentTransport;
  /** Incidents per send. */
  readonly batchSize?: number;
  /** First retry waits up to this long; each failure doubles it, up to `maxBackoffMs`. */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** The jitter's randomness (0 ≤ x < 1), so tests can fix it. */
  readonly random?: () => number;
  readonly nowMs?: () => number;
  readonly hooks?: DeliveryHooks;
}

/**
 * Drains an outbox into one receiver, at least once: an entry leaves the outbox only when the
 * receiver acknowledged its id, so an entry sent just before a connection broke is sent again
 * (receivers drop the duplicate by id). Failures back off exponentially with full jitter (a delay
 * drawn between 0 and the doubled ceiling), so a fleet of agents does not reconnect in step.
 */
export class Delivery {
  readonly #options: DeliveryOptions;
  readonly #putAt = new Map<string, number>();
  #failures = 0;

  constructor(options: DeliveryOptions) {
    this.#options = options;
  }

  /** Puts an incident in the outbox and wakes the loop. */
  enqueue(entry: OutboxEntry): void {
    this.#putAt.set(entry.id, (this.#options.nowMs ?? Date.now)());
    this.#options.outbox.put(entry);
  }

  /** Consecutive failed attempts so far (0 once a send succeeds). */
  get failures(): number {
    return this.#failures;
  }

  /** Delivers until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { outbox, transport } = this.#options;
    const now = this.#options.nowMs ?? Date.now;
    // A function, not a property read: the signal aborts during the awaits, which narrowing ignores.
    const stopped = (): boolean => signal.aborted;
    while (!stopped()) {
      await outbox.whenNotEmpty(signal);
      if (stopped()) break;
      const batch = outbox.peek(this.#options.batchSize ?? 32);
      try {
        if (!(await transport.ready(signal))) throw new Error(`${transport.description} is not serving`);
        await transport.send(
          batch,
          (id) => {
            outbox.acknowledge(id);
            const putAt = this.#putAt.get(id);
            this.#putAt.delete(id);
            this.#options.hooks?.onDelivered?.(id, putAt === undefined ? undefined : now() - putAt);
          },
          signal,
        );
        this.#failures = 0;
      } catch (error) {
        if (stopped()) break;
        this.#failures++;
        const delayMs = this.#backoffMs();
        this.#options.hooks?.onRetry?.(error, delayMs);
        await pause(delayMs, signal);
      }
      this.#forgetDropped();
    }
  }

  /** Full jitter: uniform between 0 and base × 2^(failures−1), capped. */
  #backoffMs(): number {
    const base = this.#options.baseBackoffMs ?? 250;
    const ceiling = Math.min(
      this.#options.maxBackoffMs ?? 30_000,
      base * 2 ** Math.min(20, this.#failures - 1),
    );
    return Math.round((this.#options.random ?? Math.random)() * ceiling);
  }

  /** Entries the outbox dropped when full are never acknowledged: their start times go too. */
  #forgetDropped(): void {
    if (this.#putAt.size <= this.#options.outbox.depth) return;
    const held = new Set(this.#options.outbox.ids());
    for (const id of this.#putAt.keys()) if (!held.has(id)) this.#putAt.delete(id);
  }
}
