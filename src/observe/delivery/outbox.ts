import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OutboxOptions {
  /** The directory it keeps its files in; created if absent, resumed if it holds some. */
  readonly directory: string;
  /** Incidents kept at most; past it, the oldest are dropped (and counted). */
  readonly maxEntries?: number;
  /** Bytes kept at most, likewise. */
  readonly maxBytes?: number;
}

/** One incident waiting to be delivered. */
export interface OutboxEntry {
  readonly id: string;
  readonly bytes: Uint8Array;
}

interface Held {
  readonly file: string;
  readonly id: string;
  readonly size: number;
}

const ENTRY_FILE = /^(\d{16})-([0-9A-Za-z_-]{1,128})\.binpb$/;

/**
 * A bounded queue of incidents on disk, oldest first, so a receiver outage or an agent restart
 * loses nothing: an incident is written (to a temporary file, then renamed, so a crash leaves
 * either the whole entry or none) before any attempt to send it, and removed only once the
 * receiver acknowledged it. When full, the oldest entries go first and are counted in `dropped`.
 */
export class Outbox {
  readonly #directory: string;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #held: Held[] = [];
  #bytes = 0;
  #sequence = 0;
  #dropped = 0;
  readonly #waiting = new Set<() => void>();

  constructor(options: OutboxOptions) {
    this.#directory = options.directory;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    mkdirSync(this.#directory, { recursive: true });
    for (const name of readdirSync(this.#directory).sort()) {
      const match = ENTRY_FILE.exec(name);
      if (match === null) {
        // A temporary file a crash left half written: never delivered, never counted.
        if (name.endsWith('.tmp')) rmSync(join(this.#directory, name), { force: true });
        continue;
      }
      const size = statSync(join(this.#directory, name)).size;
      this.#held.push({ file: name, id: match[2] ?? '', size });
      this.#bytes += size;
      this.#sequence = Math.max(this.#sequence, Number(match[1]));
    }
  }

  /** Keeps an incident until it is acknowledged; the same id twice is kept once. */
  put(entry: OutboxEntry): void {
    if (!/^[0-9A-Za-z_-]{1,128}$/.test(entry.id))
      throw new Error(`outbox: unusable incident id "${entry.id}"`);
    if (this.#held.some((held) => held.id === entry.id)) return;
    this.#sequence++;
    const file = `${String(this.#sequence).padStart(16, '0')}-${entry.id}.binpb`;
    const temporary = join(this.#directory, `${file}.tmp`);
    writeFileSync(temporary, entry.bytes);
    renameSync(temporary, join(this.#directory, file));
    this.#held.push({ file, id: entry.id, size: entry.bytes.byteLength });
    this.#bytes += entry.bytes.byteLength;
    while (this.#held.length > 1 && (this.#held.length > this.#maxEntries || this.#bytes > this.#maxBytes)) {
      const oldest = this.#held[0];
      if (oldest === undefined) break;
      this.#remove(oldest);
      this.#dropped++;
    }
    for (const wake of this.#waiting) wake();
    this.#waiting.clear();
  }

  /** The oldest `count` entries, read from disk, still held until acknowledged. */
  peek(count: number): OutboxEntry[] {
    return this.#held.slice(0, count).flatMap((held) => {
      try {
        return [{ id: held.id, bytes: readFileSync(join(this.#directory, held.file)) }];
      } catch {
        // Removed under us (acknowledged meanwhile): nothing to send.
        return [];
      }
    });
  }

  /** The receiver has it: forget it. */
  acknowledge(id: string): void {
    const held = this.#held.find((entry) => entry.id === id);
    if (held !== undefined) this.#remove(held);
  }

  /** Resolves when an entry is put (at once if one is held) or the signal aborts. */
  whenNotEmpty(signal: AbortSignal): Promise<void> {
    if (this.#held.length > 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        signal.removeEventListener('abort', wake);
        this.#waiting.delete(wake);
        resolve();
      };
      this.#waiting.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /** The ids waiting, oldest first. */
  ids(): string[] {
    return this.#held.map((held) => held.id);
  }

  /** Entries waiting. */
  get depth(): number {
    return this.#held.length;
  }

  /** Entries dropped, oldest first, because the outbox was full. */
  get dropped(): number {
    return this.#dropped;
  }

  #remove(held: Held): void {
    const index = this.#held.indexOf(held);
    if (index >= 0) this.#held.splice(index, 1);
    this.#bytes -= held.size;
    rmSync(join(this.#directory, held.file), { force: true });
  }
}
