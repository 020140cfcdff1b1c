import { readFileSync } from 'node:fs';
import { AppError } from '../core/errors.js';

/** Reads a file a flag names (a certificate, a key); one usage line naming the flag if it cannot. */
export function readFlagFile(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new AppError('usage', `${flag} ${file}: cannot be read`);
  }
}
