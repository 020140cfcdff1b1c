import { AppError } from '../core/errors.js';
import { pause } from '../core/pause.js';
import {
  LeaseConflictError,
  microTime,
  type LeaseLock,
  type LeaseRecord,
  type LeaseState,
} from '../kube/live/lease-lock.js';

export interface LeaderElectionTiming {
  /** How long a holder that stopped renewing keeps the Lease before another replica may take it. */
  readonly leaseDurationMs: number;
  /** How long the leader keeps acting without a successful renewal before it steps down; < lease duration. */
  readonly renewDeadlineMs: number;
  /** How often a standby tries to acquire and the leader renews; < renew deadline. */
  readonly retryPeriodMs: number;
}

/** client-go's defaults (15 s / 10 s / 2 s): a dead leader is replaced within about 20 s. */
export const DEFAULT_LEADER_ELECTION_TIMING: LeaderElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

/** client-go's jitter factor: a standby waits retry × (1 + up to 1.2) so replicas do not move in step. */
const JITTER = 1.2;

export interface LeaderElectionHooks {
  readonly onStartedLeading?: () => void;
  /** `lost`: the renewals failed past the deadline or another replica holds the Lease; `stopped`: shut down. */
  readonly onStoppedLeading?: (why: 'lost' | 'stopped') => void;
  /** The holder changed (undefined: nobody holds it). */
  readonly onNewLeader?: (identity: string | undefined) => void;
  /** A read or write of the Lease failed; the elector retries. */
  readonly onError?: (error: unknown) => void;
}

export interface LeaderElectorOptions {
  readonly lock: LeaseLock;
  /** This replica's name in the Lease: unique among the replicas (the pod's name). */
  readonly identity: string;
  readonly timing?: LeaderElectionTiming;
  readonly hooks?: LeaderElectionHooks;
  /** The clock (milliseconds), so tests control time. */
  readonly nowMs?: () => number;
  /** The wait between attempts, so tests control time. */
  readonly pause?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's leaderelection does it, so two
 * replicas run with one active: the holder renews the Lease every retry period; a standby takes it
 * once it has seen no renewal for the lease duration. Expiry is judged by when this replica saw the
 * Lease change, never by the timestamps written in it, so clocks that disagree between nodes do not
 * matter. The leader steps down when it cannot renew within the renew deadline (shorter than the
 * lease duration, so it stops before anyone else may start), and releases the Lease on shutdown so
 * the standby takes over at once.
 */
export class LeaderElector {
  readonly #lock: LeaseLock;
  readonly #identity: string;
  readonly #timing: LeaderElectionTiming;
  readonly #hooks: LeaderElectionHooks;
  readonly #nowMs: () => number;
  readonly #pause: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  /** The Lease as last seen, and when (our clock). */
  #observed: LeaseState | undefined;
  #observedAtMs = 0;
  #leading = false;

  constructor(options: LeaderElectorOptions) {
    const timing = options.timing ?? DEFAULT_LEADER_ELECTION_TIMING;
    if (!(
      timing.leaseDurationMs > timing.renewDeadlineMs &&
      timing.renewDeadlineMs > timing.retryPeriodMs * JITTER
    ))
      throw new RangeError('leader election needs lease duration > renew deadline > 1.2 × retry period');
    this.#lock = options.lock;
    this.#identity = options.identity;
    this.#timing = timing;
    this.#hooks = options.hooks ?? {};
    this.#nowMs = options.nowMs ?? Date.now;
    this.#pause = options.pause ?? pause;
    this.#random = options.random ?? Math.random;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  /** Who holds the Lease as last seen; undefined before the first read or when nobody does. */
  get leader(): string | undefined {
    return this.#observed?.record.holderIdentity;
  }

  /**
   * Waits to lead, runs `lead` while leading (its signal aborts when leadership is lost or the
   * elector stops), and goes back to waiting after a loss. Returns when `signal` aborts or `lead`
   * returns on its own, releasing the Lease; rethrows what `lead` throws, after releasing it.
   */
  async run(signal: AbortSignal, lead: (term: AbortSignal) => Promise<void>): Promise<void> {
    while (await this.#acquire(signal)) {
      const term = new AbortController();
      const termSignal = AbortSignal.any([signal, term.signal]);
      this.#leading = true;
      this.#hooks.onStartedLeading?.();
      const leading = lead(termSignal).then(
        () => ({ failed: false as const }),
        (error: unknown) => ({ failed: true as const, error }),
      );
      const renewing = this.#renewUntilLost(termSignal);
      const outcome = await Promise.race([renewing, leading.then(() => 'ended' as const)]);
      term.abort();
      const [ended] = await Promise.all([leading, renewing]);
      this.#leading = false;
      if (outcome === 'lost' && !ended.failed && !signal.aborted) {
        this.#hooks.onStoppedLeading?.('lost');
        continue;
      }
      await this.#release();
      this.#hooks.onStoppedLeading?.('stopped');
      if (ended.failed) throw ended.error;
      return;
    }
  }

  /** Tries until it holds the Lease (true) or the signal aborts (false). */
  async #acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      try {
        if ((await this.#tryAcquireOrRenew()) === 'held') return true;
      } catch (error) {
        if (!(error instanceof LeaseConflictError)) this.#hooks.onError?.(error);
        if (isFatal(error)) throw error;
      }
      const period = this.#timing.retryPeriodMs;
      await this.#pause(period + this.#random() * JITTER * period, signal);
    }
    return false;
  }

  /** Renews every retry period; resolves `lost` when it must step down, `stopped` when the term ends. */
  async #renewUntilLost(term: AbortSignal): Promise<'lost' | 'stopped'> {
    let renewedAtMs = this.#nowMs();
    for (;;) {
      await this.#pause(this.#timing.retryPeriodMs, term);
      if (term.aborted) return 'stopped';
      const left = renewedAtMs + this.#timing.renewDeadlineMs - this.#nowMs();
      let result: 'held' | 'taken' | 'failed';
      try {
        result = (await withDeadline(this.#tryAcquireOrRenew(), left, term)) ?? 'failed';
      } catch (error) {
        if (!(error instanceof LeaseConflictError)) this.#hooks.onError?.(error);
        if (isFatal(error)) return 'lost';
        result = 'failed';
      }
      if (stopped(term)) return 'stopped';
      if (result === 'held') renewedAtMs = this.#nowMs();
      else if (result === 'taken' || this.#nowMs() - renewedAtMs >= this.#timing.renewDeadlineMs)
        return 'lost';
    }
  }

  /**
   * One round of client-go's tryAcquireOrRenew: read the Lease; create it if missing; leave it if
   * another replica holds it and renewed it within its duration (by our clock); otherwise write
   * ourselves in, naming the version read so a concurrent writer makes this fail with a conflict.
   */
  async #tryAcquireOrRenew(): Promise<'held' | 'taken'> {
    const now = this.#nowMs();
    const state = await this.#lock.get();
    if (state === undefined) {
      this.#see(await this.#lock.create(this.#recordAfter(undefined, now)), now);
      return 'held';
    }
    this.#see(state, now);
    const holder = state.record.holderIdentity;
    if (
      holder !== undefined &&
      holder !== this.#identity &&
      this.#observedAtMs + state.record.leaseDurationSeconds * 1000 > now
    ) {
      return 'taken';
    }
    this.#see(await this.#lock.update(this.#recordAfter(state.record, now), state.resourceVersion), now);
    return 'held';
  }

  #recordAfter(previous: LeaseRecord | undefined, now: number): LeaseRecord {
    const renewing = previous?.holderIdentity === this.#identity;
    return {
      holderIdentity: this.#identity,
      leaseDurationSeconds: Math.ceil(this.#timing.leaseDurationMs / 1000),
      acquireTime: renewing && previous.acquireTime !== undefined ? previous.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (previous === undefined || renewing ? 0 : 1),
    };
  }

  /** Remembers the Lease when it changed, and when we saw it change. */
  #see(state: LeaseState, now: number): void {
    if (state.resourceVersion === this.#observed?.resourceVersion) return;
    const before = this.#observed?.record.holderIdentity;
    this.#observed = state;
    this.#observedAtMs = now;
    if (state.record.holderIdentity !== before) this.#hooks.onNewLeader?.(state.record.holderIdentity);
  }

  /**
   * Gives the Lease up (no holder, a one-second duration) so a standby takes over on its next try
   * instead of waiting out the lease duration. Only if we still hold it; a failure is reported and
   * the Lease simply expires.
   */
  async #release(): Promise<void> {
    const state = this.#observed;
    if (state?.record.holderIdentity !== this.#identity) return;
    const now = this.#nowMs();
    try {
      this.#see(
        await this.#lock.update(
          {
            leaseDurationSeconds: 1,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: state.record.leaseTransitions,
          },
          state.resourceVersion,
        ),
        now,
      );
    } catch (error) {
      this.#hooks.onError?.(error);
    }
  }
}

/** Whether the signal has aborted (a call, so the compiler does not assume it unchanged across awaits). */
function stopped(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Forbidden or unauthorized: retrying cannot help, the agent must say so and stop. */
function isFatal(error: unknown): boolean {
  return error instanceof AppError;
}

/** The promise's value, or undefined if `ms` pass (or the signal aborts) first. */
async function withDeadline<T>(promise: Promise<T>, ms: number, signal: AbortSignal): Promise<T | undefined> {
  if (ms <= 0) {
    promise.catch(() => undefined);
    return undefined;
  }
  const timeout = new AbortController();
  const waiting = pause(ms, AbortSignal.any([signal, timeout.signal])).then(() => undefined);
  try {
    return await Promise.race([promise, waiting]);
  } finally {
    timeout.abort();
    promise.catch(() => undefined);
  }
}
