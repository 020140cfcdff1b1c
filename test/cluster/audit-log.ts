/**
 * The test cluster's audit log as the tests read it. The API server rotates its log as real ones
 * do (`--audit-log-maxsize`, 100 MB by default): audit.log is renamed audit-<time>.log and a new
 * one started, which a whole cluster run outgrows. Reading audit.log alone then misses whatever
 * was written before the last rotation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface AuditEvent {
  readonly stage: string;
  readonly verb: string;
  readonly user: { readonly username: string };
  readonly requestURI: string;
  readonly requestReceivedTimestamp: string;
  readonly objectRef?: {
    readonly resource?: string;
    readonly subresource?: string;
    readonly namespace?: string;
    readonly name?: string;
  };
}

/**
 * Every event of the audit log and its rotated files, oldest first, whose line contains
 * `mentioning` (a cheap filter before parsing: a full run writes about 100 MB). The API server may
 * rotate while the files are read (audit.log renamed after the listing, then read anew and nearly
 * empty): the read is taken again until the listing did not change under it. A line the API server
 * is still writing is left for the next read.
 */
export function readAuditEvents(auditLogPath: string, mentioning: string): AuditEvent[] {
  const dir = path.dirname(auditLogPath);
  const base = path.basename(auditLogPath, '.log');
  // Rotated files carry the time of rotation (2026-11-23T16-21-00.000), so names sort by age.
  const rotated = (): string[] =>
    readdirSync(dir)
      .filter((name) => name.startsWith(`${base}-`) && name.endsWith('.log'))
      .sort();
  for (let attempt = 0; ; attempt++) {
    const before = rotated();
    const events = [...before.map((name) => path.join(dir, name)), auditLogPath].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.includes(mentioning))
        .flatMap((line) => parsed(line)),
    );
    if (attempt >= 4 || rotated().join('\n') === before.join('\n')) return events;
  }
}

/** One audit event, or none for a line cut short (the API server still writing it). */
function parsed(line: string): AuditEvent[] {
  try {
    return [JSON.parse(line) as AuditEvent];
  } catch {
    return [];
  }
}
