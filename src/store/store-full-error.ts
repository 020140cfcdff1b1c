import { AppError } from '../core/errors.js';

/**
 * The store refused a write for want of space: the disk is full, or the store reached its size
 * cap (`--max-size`). The write was a transaction and did not happen; pruning may make room.
 */
export class StoreFullError extends AppError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('store', message, options);
    this.name = 'StoreFullError';
  }
}
