import { formatBytesQuantity, parseQuantity } from '../core/resource-quantity.js';

/**
 * ResourceQuota figures by resource name: `requests.cpu` and `limits.cpu` are CPU, `*memory` and
 * `*storage` are bytes, the rest (`pods`, `count/deployments.apps`, `services`) are counts.
 */
export type QuotaUnit = 'cpu' | 'bytes' | 'count';

export function quotaUnit(resource: string): QuotaUnit {
  if (resource === 'cpu' || resource.endsWith('.cpu')) return 'cpu';
  if (/memory|storage/.test(resource)) return 'bytes';
  return 'count';
}

/**
 * A quota figure as a manifest takes it, rounded up so it never allows less than `value` (in base
 * units, as parseQuantity gives): CPU in cores or millicores, bytes in Mi/Gi, counts whole.
 */
export function formatQuotaValue(resource: string, value: number): string {
  switch (quotaUnit(resource)) {
    case 'cpu': {
      // Round to whole microcores first: 3.8 + 1.5 is 5.300000000000001 in floating point.
      const millicores = Math.ceil(Math.round(value * 1e6) / 1000);
      return millicores % 1000 === 0 ? String(millicores / 1000) : `${String(millicores)}m`;
    }
    case 'bytes':
      return formatBytesQuantity(value);
    case 'count':
      return String(Math.ceil(value));
  }
}

/** A quota's figure (`3800m`, `8Gi`, `20`) in base units. Throws AppError on a malformed quantity. */
export function quotaValue(text: string): number {
  return parseQuantity(text);
}
