import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../core/errors.js';
import {
  LeaseConflictError,
  type LeaseLock,
  type LeaseRecord,
  type LeaseState,
} from '../kube/live/lease-lock.js';
import { LeaderElector, type LeaderElectionTiming } from './leader-election.js';

/**
 * One Lease held in memory with the API server's optimistic concurrency: every write bumps the
 * resourceVersion, a create of an existing Lease or an update naming an old version is a conflict.
 * (The same calls against the real API server are exercised by test/cluster/agent-leader.test.ts.)
 */
class MemoryLease {
  state: LeaseState | undefined;
  #version = 0;

  lockFor(replica: { down: boolean }): LeaseLock {
    const reachable = (): void => {
      if (replica.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    return {
      description: 'Lease ops/agent',
      get: () => Promise.resolve().then(() => (reachable(), this.state)),
      create: (record) =>
        Promise.resolve().then(() => {
          reachable();
          if (this.state !== undefined) throw new LeaseConflictError('Lease ops/agent');
          return this.#write(record);
        }),
      update: (record, resourceVersion) =>
        Promise.resolve().then(() => {
          reachable();
          if (this.state?.resourceVersion !== resourceVersion)
            throw new LeaseConflictError('Lease ops/agent');
          return this.#write(record);
        }),
    };
  }

  #write(record: LeaseRecord): LeaseState {
    this.#version++;
    this.state = { record, resourceVersion: String(this.#version) };
    return this.state;
  }
}

const TIMING: LeaderElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

interface Replica {
  readonly name: string;
  readonly elector: LeaderElector;
  readonly stop: AbortController;
  readonly network: { down: boolean };
  /** [start, end] of each term, in fake milliseconds. */
  readonly terms: [number, number | undefined][];
  readonly done: Promise<unknown>;
}

function replica(lease: MemoryLease, name: string, lead?: (term: AbortSignal) => Promise<void>): Replica {
  const network = { down: false };
  const stop = new AbortController();
  const terms: [number, number | undefined][] = [];
  const elector = new LeaderElector({
    lock: lease.lockFor(network),
    identity: name,
    timing: TIMING,
    random: () => 0.5,
  });
  const done = elector
    .run(
      stop.signal,
      lead ??
        ((term) => {
          const entry: [number, number | undefined] = [Date.now(), undefined];
          terms.push(entry);
          return new Promise<void>((resolve) => {
            term.addEventListener('abort', () => {
              entry[1] = Date.now();
              resolve();
            });
          });
        }),
    )
    .then(
      () => 'returned',
      (error: unknown) => error,
    );
  return { name, elector, stop, network, terms, done };
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-23T03:00:00Z') });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LeaderElector', () => {
  it('lets exactly one of two replicas lead, and the other stays on standby while the leader renews', async () => {
    const lease = new MemoryLease();
    const a = replica(lease, 'agent-a');
    await vi.advanceTimersByTimeAsync(100);
    const b = replica(lease, 'agent-b');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(a.elector.isLeader).toBe(true);
    expect(b.elector.isLeader).toBe(false);
    expect(b.elector.leader).toBe('agent-a');
    expect(b.terms).toEqual([]);
    expect(lease.state?.record).toMatchObject({
      holderIdentity: 'agent-a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    const renewTime = lease.state?.record.renewTime ?? '';
    expect(renewTime).toMatch(/^2026-11-23T03:0\d:\d\d\.\d{6}Z$/);
    expect(Date.now() - Date.parse(renewTime)).toBeLessThanOrEqual(TIMING.retryPeriodMs);
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.done, b.done]);
  });

  it('a leader cut off from the API server steps down before the standby takes over: never two at once', async () => {
    const lease = new MemoryLease();
    const a = replica(lease, 'agent-a');
    await vi.advanceTimersByTimeAsync(100);
    const b = replica(lease, 'agent-b');
    await vi.advanceTimersByTimeAsync(30_000);
    const lastRenewal = Date.parse(lease.state?.record.renewTime ?? '');
    a.network.down = true;
    await vi.advanceTimersByTimeAsync(40_000);

    const [aStart, aEnd] = a.terms[0] ?? [];
    const [bStart] = b.terms[0] ?? [];
    expect(aStart).toBeDefined();
    expect(aEnd).toBeDefined();
    expect(bStart).toBeDefined();
    // a steps down within the renew deadline of its last renewal; b starts no sooner than the lease
    // duration after it, so their terms do not overlap.
    expect(aEnd).toBeLessThanOrEqual(lastRenewal + TIMING.renewDeadlineMs + TIMING.retryPeriodMs);
    expect(bStart).toBeGreaterThanOrEqual(lastRenewal + TIMING.leaseDurationMs);
    expect(aEnd).toBeLessThan(bStart ?? 0);
    expect(lease.state?.record).toMatchObject({ holderIdentity: 'agent-b', leaseTransitions: 1 });

    // The cut-off replica comes back as a standby and stays one.
    a.network.down = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(a.terms).toHaveLength(1);
    expect(a.elector.leader).toBe('agent-b');
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.done, b.done]);
  });

  it('a killed leader (no release, no renewals) is replaced once its lease duration has passed', async () => {
    const lease = new MemoryLease();
    const a = replica(lease, 'agent-a');
    await vi.advanceTimersByTimeAsync(100);
    const b = replica(lease, 'agent-b');
    await vi.advanceTimersByTimeAsync(10_000);
    // SIGKILL: a's writes stop without a word; it never releases.
    a.network.down = true;
    const killedAt = Date.now();
    await vi.advanceTimersByTimeAsync(30_000);
    const bStart = b.terms[0]?.[0] ?? Number.NaN;
    expect(bStart - killedAt).toBeGreaterThanOrEqual(TIMING.leaseDurationMs - TIMING.retryPeriodMs);
    expect(bStart - killedAt).toBeLessThanOrEqual(TIMING.leaseDurationMs + (1 + 1.2) * TIMING.retryPeriodMs);
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.done, b.done]);
  });

  it('releases the Lease on shutdown so the standby takes over on its next try, not after the lease duration', async () => {
    const lease = new MemoryLease();
    const a = replica(lease, 'agent-a');
    await vi.advanceTimersByTimeAsync(100);
    const b = replica(lease, 'agent-b');
    await vi.advanceTimersByTimeAsync(10_000);
    const stoppedAt = Date.now();
    a.stop.abort();
    expect(await a.done).toBe('returned');
    expect(a.terms[0]?.[1]).toBe(stoppedAt);
    await vi.advanceTimersByTimeAsync(6_000);
    const bStart = b.terms[0]?.[0] ?? Number.NaN;
    expect(bStart - stoppedAt).toBeLessThanOrEqual((1 + 1.2) * TIMING.retryPeriodMs);
    b.stop.abort();
    await b.done;
  });

  it('judges expiry by its own clock: a holder whose clock runs an hour behind is not taken over while it renews', async () => {
    const lease = new MemoryLease();
    const network = { down: false };
    const stop = new AbortController();
    const behind = new LeaderElector({
      lock: lease.lockFor(network),
      identity: 'agent-a',
      timing: TIMING,
      nowMs: () => Date.now() - 3_600_000,
    });
    const leading = behind.run(
      stop.signal,
      (term) =>
        new Promise((resolve) => {
          term.addEventListener('abort', () => {
            resolve();
          });
        }),
    );
    await vi.advanceTimersByTimeAsync(100);
    const b = replica(lease, 'agent-b');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(Date.parse(lease.state?.record.renewTime ?? '')).toBeLessThan(Date.now() - 3_000_000);
    expect(b.terms).toEqual([]);
    expect(behind.isLeader).toBe(true);
    stop.abort();
    b.stop.abort();
    await Promise.all([leading, b.done]);
  });

  it('releases the Lease and rethrows when the leader’s work fails', async () => {
    const lease = new MemoryLease();
    const failing = replica(lease, 'agent-a', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      throw new Error('observer crashed');
    });
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await failing.done).toEqual(new Error('observer crashed'));
    expect(lease.state?.record.holderIdentity).toBeUndefined();
    expect(lease.state?.record.leaseDurationSeconds).toBe(1);
  });

  it('stops with the AppError when it may not touch the Lease (RBAC), instead of retrying for ever', async () => {
    const forbidden = new AppError(
      'unauthorized',
      'cannot get Lease ops/agent: leases.coordination.k8s.io "agent" is forbidden',
    );
    const elector = new LeaderElector({
      lock: {
        description: 'Lease ops/agent',
        get: () => Promise.reject(forbidden),
        create: () => Promise.reject(forbidden),
        update: () => Promise.reject(forbidden),
      },
      identity: 'agent-a',
      timing: TIMING,
    });
    const lead = vi.fn(() => Promise.resolve());
    await expect(elector.run(new AbortController().signal, lead)).rejects.toBe(forbidden);
    expect(lead).not.toHaveBeenCalled();
  });

  it('refuses timings where the leader could outlive its lease', () => {
    expect(
      () =>
        new LeaderElector({
          lock: new MemoryLease().lockFor({ down: false }),
          identity: 'a',
          timing: { leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
        }),
    ).toThrow(/lease duration > renew deadline/);
  });
});
