import { AppError } from './errors.js';

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** A Kubernetes quantity (`250m`, `1.5`, `64Mi`, `1e3`) as a plain number of base units. */
export function parseQuantity(text: string): number {
  const match = QUANTITY.exec(text.trim());
  if (match === null) throw new AppError('malformed-input', `"${text}" is not a Kubernetes quantity`);
  const [, number = '0', suffix = ''] = match;
  return Number(number) * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** CPU in millicores: `250m` → 250, `2` → 2000. */
export function parseCpuMillicores(text: string): number {
  return Math.round(parseQuantity(text) * 1000);
}

/** Bytes: `64Mi` → 67108864, `1G` → 1e9. */
export function parseBytes(text: string): number {
  return Math.round(parseQuantity(text));
}

/** `250m` or `1.5 cores`, as people say CPU. */
export function formatCpu(millicores: number): string {
  if (millicores < 1000) return `${String(millicores)}m`;
  // Two decimals at most, without trailing zeros: 1500 → `1.5 cores`, 1250 → `1.25 cores`.
  const cores = Number((millicores / 1000).toFixed(2));
  return `${String(cores)} ${cores === 1 ? 'core' : 'cores'}`;
}

/** Bytes in the largest binary unit that keeps a number ≥ 1: `512Mi`, `1.5Gi`. */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const size = BINARY[unit] ?? 1;
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? String(value) : value.toFixed(1)}${unit}`;
    }
  }
  return `${String(bytes)}B`;
}

/**
 * Bytes as a quantity to write into a manifest, rounded up to a whole mebibyte so it never asks for
 * less than `bytes`: `768Mi`, or `2Gi` when that is exact. `formatBytes` is for reading, and rounds.
 */
export function formatBytesQuantity(bytes: number): string {
  const mebibytes = Math.ceil(bytes / 2 ** 20);
  return mebibytes % 1024 === 0 ? `${String(mebibytes / 1024)}Gi` : `${String(mebibytes)}Mi`;
}
