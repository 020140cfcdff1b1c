import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatBytesQuantity,
  formatCpu,
  parseBytes,
  parseCpuMillicores,
  parseQuantity,
} from './resource-quantity.js';

describe('resource quantities', () => {
  it('parses CPU and memory as the API writes them', () => {
    expect(['250m', '1', '1.5', '2000m', '0.1'].map(parseCpuMillicores)).toEqual([
      250, 1000, 1500, 2000, 100,
    ]);
    expect(['64Mi', '1Gi', '500M', '1e3', '12345', '1.5Gi', '128974848'].map(parseBytes)).toEqual([
      67_108_864, 1_073_741_824, 500_000_000, 1000, 12345, 1_610_612_736, 128_974_848,
    ]);
    expect(parseQuantity('100k')).toBe(100_000);
  });
  it('refuses what is not a quantity', () => {
    expect(() => parseQuantity('lots')).toThrow('"lots" is not a Kubernetes quantity');
    expect(() => parseQuantity('10 Mi')).toThrow();
  });
  it('prints them as people say them', () => {
    expect([250, 1000, 1500, 12000].map(formatCpu)).toEqual(['250m', '1 core', '1.5 cores', '12 cores']);
    expect([512, 67_108_864, 1_610_612_736, 2048].map(formatBytes)).toEqual(['512B', '64Mi', '1.5Gi', '2Ki']);
  });
  it('writes byte figures for manifests rounded up to whole mebibytes, never below what was asked', () => {
    // 700Mi × 1.5 = 1050Mi: formatBytes would say 1.0Gi, which is less.
    expect([700 * 1.5 * 2 ** 20, 2 ** 31, 1, 3 * 2 ** 30 + 1].map(formatBytesQuantity)).toEqual([
      '1050Mi',
      '2Gi',
      '1Mi',
      '3073Mi',
    ]);
  });
});
