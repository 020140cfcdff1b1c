import { describe, expect, it } from 'vitest';
import { Debouncer } from './debounce.js';
import type { FailureTrigger } from './failure-detection.js';

const trigger = (over: Partial<FailureTrigger> = {}): FailureTrigger => ({
  namespace: 'a',
  pod: 'api-1',
  podUid: 'u1',
  container: 'api',
  reason: 'CrashLoopBackOff',
  message: 'back-off 10s restarting failed container',
  restartCount: 1,
  ...over,
});

describe('Debouncer', () => {
  it('lets one of ten triggers in a minute through, and counts the other nine', () => {
    let now = 0;
    const debouncer = new Debouncer({ nowMs: () => now });
    const admitted = Array.from({ length: 10 }, (_, i) => {
      now = i * 6_000;
      return debouncer.admit(trigger({ restartCount: i + 1 }));
    });
    expect(admitted.filter(Boolean)).toHaveLength(1);
    expect(admitted[0]).toBe(true);
    expect(debouncer.suppressed).toBe(9);
  });

  it('keys on pod, container and reason: another of any of them is a new failure', () => {
    const debouncer = new Debouncer({ nowMs: () => 0 });
    expect(debouncer.admit(trigger())).toBe(true);
    expect(debouncer.admit(trigger({ reason: 'OOMKilled' }))).toBe(true);
    expect(debouncer.admit(trigger({ container: 'sidecar' }))).toBe(true);
    expect(debouncer.admit(trigger({ pod: 'api-2' }))).toBe(true);
    expect(debouncer.admit(trigger({ namespace: 'b' }))).toBe(true);
    expect(debouncer.admit(trigger())).toBe(false);
  });

  it('lets a failure that goes on through again once the TTL has passed since the last harvest', () => {
    let now = 0;
    const debouncer = new Debouncer({ ttlMs: 300_000, nowMs: () => now });
    expect(debouncer.admit(trigger())).toBe(true);
    now = 299_999;
    expect(debouncer.admit(trigger())).toBe(false);
    now = 300_000;
    expect(debouncer.admit(trigger())).toBe(true);
    now = 400_000;
    expect(debouncer.admit(trigger())).toBe(false);
  });

  it('tells the incident let through again how many were held back in the window before it', () => {
    let now = 0;
    const debouncer = new Debouncer({ ttlMs: 300_000, nowMs: () => now });
    debouncer.admit(trigger());
    expect(debouncer.heldBackBefore(trigger())).toBe(0);
    for (let i = 1; i <= 4; i++) {
      now = i * 60_000;
      debouncer.admit(trigger());
    }
    // Another pod's admission in between does not lose the count.
    now = 320_000;
    debouncer.admit(trigger({ pod: 'api-2' }));
    now = 330_000;
    expect(debouncer.admit(trigger())).toBe(true);
    expect(debouncer.heldBackBefore(trigger())).toBe(4);
  });

  it('forgets expired keys and stays within its bound', () => {
    let now = 0;
    const debouncer = new Debouncer({ ttlMs: 1_000, nowMs: () => now, maxKeys: 3 });
    for (let i = 0; i < 5; i++) debouncer.admit(trigger({ pod: `p${String(i)}` }));
    expect(debouncer.size).toBe(3);
    now = 5_000;
    debouncer.admit(trigger({ pod: 'fresh' }));
    expect(debouncer.size).toBe(1);
  });
});
