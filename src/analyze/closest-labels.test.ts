import { describe, expect, it } from 'vitest';
import { closestLabels } from './closest-labels.js';

const pods = (...sets: Record<string, string>[]) => sets.map((labels) => ({ metadata: { labels } }));

describe('closestLabels', () => {
  it('names the labels of the workload plausibly meant: a close value under the same key', () => {
    expect(
      closestLabels(
        pods(
          { app: 'webapp', tier: 'front' },
          { app: 'webapp', tier: 'front' },
          { app: 'db', tier: 'front' },
        ),
        { app: 'web', tier: 'front' },
      ),
    ).toEqual({ labels: 'app=webapp,tier=front', count: 2 });
    expect(closestLabels(pods({ app: 'paymnets' }), { app: 'payments' })).toEqual({
      labels: 'app=paymnets',
      count: 1,
    });
    expect(closestLabels(pods({ app: 'payment-svc' }), { app: 'payments' })).toEqual({
      labels: 'app=payment-svc',
      count: 1,
    });
  });

  it('never names another workload’s labels, however many generic keys they share', () => {
    // The only pods are the database's: app=db is no slip for app=web.
    expect(closestLabels(pods({ app: 'db', tier: 'front' }), { app: 'web', tier: 'front' })).toBeUndefined();
    expect(closestLabels(pods({ app: 'db' }), { app: 'web' })).toBeUndefined();
    // Pods without the identity key the selector names belong to no workload it meant.
    expect(closestLabels(pods({ tier: 'front' }), { app: 'web', tier: 'front' })).toBeUndefined();
    // Sibling workloads of one product are not slips for each other.
    expect(closestLabels(pods({ app: 'payments-worker' }), { app: 'payments-api' })).toBeUndefined();
  });

  it('takes a value close to the selecting object’s name as meant (Service payments over app=payments)', () => {
    expect(closestLabels(pods({ app: 'payments' }), { app: 'billing-v2' })).toBeUndefined();
    expect(closestLabels(pods({ app: 'payments' }), { app: 'billing-v2' }, 'payments')).toEqual({
      labels: 'app=payments',
      count: 1,
    });
  });
});
