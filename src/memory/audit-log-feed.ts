import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../core/errors.js';
import { AuditIndex } from './audit-attribution.js';
import type { AuditFeed } from './recorder.js';

const CHUNK_BYTES = 1 << 20;

/**
 * An API server audit log (JSON lines) followed as it grows: each `refresh` indexes the lines
 * appended since the last one. A log rotated away (now shorter than what was read) is read again
 * from its start. Only the index's small records stay in memory, never the log.
 */
export class AuditLogFeed implements AuditFeed {
  readonly index = new AuditIndex();
  readonly #path: string;
  #offset = 0;
  /** The end of the last read when it stopped mid-line: the line's start, kept for the next read. */
  #partial = '';
  /** Holds a character split between two reads. */
  #decoder = new StringDecoder('utf8');

  constructor(path: string) {
    this.#path = path;
    try {
      statSync(path);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError(
        'usage',
        `--audit-log ${path}: cannot read it (${message}); give the API server's audit log file (--audit-log-path)`,
        { cause: error },
      );
    }
    this.refresh();
  }

  refresh(): void {
    let size: number;
    try {
      size = statSync(this.#path).size;
    } catch {
      return; // Rotated away and not yet recreated: the next refresh finds the new one.
    }
    if (size < this.#offset) {
      this.#offset = 0;
      this.#partial = '';
      this.#decoder = new StringDecoder('utf8');
    }
    if (size === this.#offset) return;
    const fd = openSync(this.#path, 'r');
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      while (this.#offset < size) {
        const read = readSync(fd, buffer, 0, Math.min(CHUNK_BYTES, size - this.#offset), this.#offset);
        if (read === 0) break;
        this.#offset += read;
        const lines = (this.#partial + this.#decoder.write(buffer.subarray(0, read))).split('\n');
        this.#partial = lines.pop() ?? '';
        for (const line of lines) this.index.addLine(line);
      }
    } finally {
      closeSync(fd);
    }
  }
}
