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
 * `mentioning` (a cheap filter before parsing: a full run writes about 100 MB).
 */
export function readAuditEvents(auditLogPath: string, mentioning: string): AuditEvent[] {
  const dir = path.dirname(auditLogPath);
  const base = path.basename(auditLogPath, '.log');
  // Rotated files carry the time of rotation (2026-11-23T16-21-00.000), so names sort by age.
  const rotated = readdirSync(dir)
    .filter((name) => name.startsWith(`${base}-`) && name.endsWith('.log'))
    .sort();
  return [...rotated.map((name) => path.join(dir, name)), auditLogPath].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes(mentioning))
      .map((line) => JSON.parse(line) as AuditEvent),
  );
}
