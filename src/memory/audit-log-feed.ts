import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../core/errors.js';
import { AuditIndex } from './audit-attribution.js';
import type { AuditFeed } from './recorder.js';

const CHUNK_BYTES = 1 << 20;

/**
 * An API server audit log (JSON lines) followed as it grows, the way `tail -F` follows one: each
 * `refresh` indexes the lines appended since the last one. The API server rotates its log by
 * renaming it (100 MB by default) and starting a new file, so the file is held open: on rotation
 * the rest of the old file is read first, then the new one from its start. A log truncated in
 * place is read again from its start. Only the index's small records stay in memory, never the log.
 */
export class AuditLogFeed implements AuditFeed {
  readonly index = new AuditIndex();
  readonly #path: string;
  #fd: number | undefined;
  #ino = 0;
  #offset = 0;
  /** The end of the last read when it stopped mid-line: the line's start, kept for the next read. */
  #partial = '';
  /** Holds a character split between two reads. */
  #decoder = new StringDecoder('utf8');

  constructor(path: string) {
    this.#path = path;
    try {
      this.#open();
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
    if (this.#fd === undefined) {
      if (!this.#tryOpen()) return; // Rotated away and not yet recreated: a later refresh finds it.
    }
    this.#readToEnd();
    let ino: number;
    try {
      ino = statSync(this.#path).ino;
    } catch {
      return; // Renamed, the new file not there yet: keep the old one open and read it again next time.
    }
    if (ino === this.#ino) return;
    // Rotated: everything of the old file has been read above; what it left mid-line was never whole.
    this.close();
    if (this.#tryOpen()) this.#readToEnd();
  }

  /** Lets go of the file. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #open(): void {
    const fd = openSync(this.#path, 'r');
    this.#fd = fd;
    this.#ino = fstatSync(fd).ino;
    this.#offset = 0;
    this.#partial = '';
    this.#decoder = new StringDecoder('utf8');
  }

  #tryOpen(): boolean {
    try {
      this.#open();
      return true;
    } catch {
      return false;
    }
  }

  #readToEnd(): void {
    const fd = this.#fd;
    if (fd === undefined) return;
    const size = fstatSync(fd).size;
    if (size < this.#offset) {
      // Truncated in place (copytruncate): what is there now is new.
      this.#offset = 0;
      this.#partial = '';
      this.#decoder = new StringDecoder('utf8');
    }
    const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(1, size - this.#offset)));
    while (this.#offset < size) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - this.#offset), this.#offset);
      if (read === 0) break;
      this.#offset += read;
      const lines = (this.#partial + this.#decoder.write(buffer.subarray(0, read))).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) this.index.addLine(line);
    }
  }
}
