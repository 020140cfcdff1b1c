import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../core/errors.js';
import type { MemoryStore } from '../store/memory-store.js';
import { defaultStorePath, openStore } from '../store/open-store.js';
import { loadConfig } from './config.js';
import { gateState, requireGate } from './gates.js';
import type { Io } from './io.js';

/** The flags every memory command takes. */
export interface MemoryFlags {
  /** `--store`: a SQLite path, or `postgres://…`. */
  readonly store?: string;
  readonly alphaMemory?: boolean;
}

/** How a command uses the store: `record` makes one; the others read what a recording left. */
export interface StoreUse {
  readonly create: boolean;
  /** The embedded store's cap in bytes (`record --max-size`). */
  readonly maxBytes?: number;
}

/** True when the operational memory is on (see gates.ts: flag, environment or config file). */
export function memoryEnabled(flags: MemoryFlags, io: Io): boolean {
  return gateState('alphaMemory', { alphaMemory: flags.alphaMemory }, io).on;
}

/** Stops a memory command, in one line, when the tier is off. */
export function requireMemory(flags: MemoryFlags, io: Io, command: string): void {
  requireGate('alphaMemory', { alphaMemory: flags.alphaMemory }, io, command);
}

/** Where the store is: `--store`, else SMART_STORE_URL, else the config file's `store`, else the default path. */
export function storeLocation(flags: MemoryFlags, io: Io): string {
  const location = flags.store ?? io.env.SMART_STORE_URL ?? loadConfig(io.env).store;
  if (location === undefined) return defaultStorePath(io.env.HOME);
  // A config file is not a shell: `~/…` there means the home directory too.
  return location.startsWith('~/') ? join(io.env.HOME ?? homedir(), location.slice(2)) : location;
}

/**
 * Opens the store for `work` and closes it afterwards, whatever happens. A command that only reads
 * does not make an embedded store that is not there: it says how to make a recording.
 */
export async function withMemoryStore<T>(
  flags: MemoryFlags,
  io: Io,
  use: StoreUse,
  work: (store: MemoryStore) => Promise<T>,
): Promise<T> {
  const store = await openMemoryStore(flags, io, use);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** True when there is a store to read: a PostgreSQL URL, or an embedded store that exists. */
export function hasRecording(flags: MemoryFlags, io: Io): boolean {
  const location = storeLocation(flags, io);
  return /^postgres(ql)?:\/\//.test(location) || existsSync(location.replace(/^sqlite:/, ''));
}

/** Opens the store; the caller closes it. See {@link withMemoryStore}. */
export async function openMemoryStore(flags: MemoryFlags, io: Io, use: StoreUse): Promise<MemoryStore> {
  const location = storeLocation(flags, io);
  const isPostgres = /^postgres(ql)?:\/\//.test(location);
  const path = location.replace(/^sqlite:/, '');
  if (!use.create && !isPostgres && !existsSync(path)) {
    throw new AppError(
      'store',
      `no recording at ${path} yet: start one with \`kubectl smart record --alpha-memory\`, or point --store at an existing one`,
    );
  }
  return openStore(
    isPostgres ? location : path,
    use.maxBytes === undefined ? {} : { maxBytes: use.maxBytes },
  );
}
