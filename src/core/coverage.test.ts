import { describe, expect, it } from 'vitest';
import { Coverage } from './coverage.js';

describe('Coverage', () => {
  it('covers nothing until something was read', () => {
    const coverage = new Coverage();
    expect([coverage.covers('Pod', 'shop'), coverage.covers('Node', undefined)]).toEqual([false, false]);
  });

  it('covers a kind read in one namespace there only, not elsewhere and not at cluster scope', () => {
    const coverage = new Coverage();
    coverage.add('ConfigMap', 'shop');
    coverage.add('ConfigMap', 'billing');
    expect([
      coverage.covers('ConfigMap', 'shop'),
      coverage.covers('ConfigMap', 'billing'),
      coverage.covers('ConfigMap', 'default'),
      coverage.covers('ConfigMap', undefined),
      coverage.covers('Secret', 'shop'),
    ]).toEqual([true, true, false, false, false]);
  });

  it('covers a kind read everywhere (-A, or a cluster-scoped kind) in every namespace and at cluster scope', () => {
    const coverage = new Coverage();
    coverage.add('Pod');
    coverage.add('PersistentVolume');
    expect([
      coverage.covers('Pod', 'shop'),
      coverage.covers('Pod', 'kube-system'),
      coverage.covers('PersistentVolume', undefined),
      coverage.covers('PersistentVolumeClaim', 'shop'),
    ]).toEqual([true, true, true, false]);
  });

  it('keeps a kind covered everywhere when it is also added for one namespace', () => {
    const coverage = new Coverage();
    coverage.add('Service');
    coverage.add('Service', 'shop');
    expect([coverage.covers('Service', 'other'), coverage.covers('Service', 'shop')]).toEqual([true, true]);
  });
});
