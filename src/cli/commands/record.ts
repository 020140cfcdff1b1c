import { parseDurationMs } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import { findKind, type KindInfo } from '../../core/kinds.js';
import { parseBytes } from '../../core/resource-quantity.js';
import { LiveSource } from '../../kube/index.js';
import { AuditLogFeed } from '../../memory/audit-log-feed.js';
import { loadStateAt } from '../../memory/reconstruct.js';
import { DEFAULT_RECORDED_KINDS } from '../../memory/recorded-kinds.js';
import { Recorder } from '../../memory/recorder.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { openSource, type SourceFlags } from '../source-options.js';
import { requireMemory, withMemoryStore, type MemoryFlags } from '../store-options.js';

export interface RecordFlags extends SourceFlags, MemoryFlags {
  readonly kinds?: string;
  readonly auditLog?: string;
  readonly retention: string;
  readonly checkpointEvery: string;
  readonly maxSize?: string;
  readonly for?: string;
}

/**
 * `kubectl smart record`: follows the cluster and records every change of the kinds that matter
 * (field diffs, summary, who, why), and events beyond their hour, until Ctrl-C (or `--for`). A
 * restart resumes where the last run got to.
 */
export async function recordCommand(flags: RecordFlags, io: Io): Promise<ExitCode> {
  requireMemory(flags, io, 'record');
  if (flags.from !== undefined && flags.from.length > 0) {
    throw new AppError(
      'usage',
      'record follows a live cluster; files (--from) cannot be followed: drop --from',
    );
  }
  const kinds = flags.kinds === undefined ? DEFAULT_RECORDED_KINDS : parseKinds(flags.kinds);
  const retentionMs = parseDurationMs(flags.retention, '--retention');
  const checkpointEveryMs = parseDurationMs(flags.checkpointEvery, '--checkpoint-every');
  const forMs = flags.for === undefined ? undefined : parseDurationMs(flags.for, '--for');
  const maxBytes = flags.maxSize === undefined ? undefined : parseSize(flags.maxSize);
  const audit = flags.auditLog === undefined ? undefined : new AuditLogFeed(flags.auditLog);

  // Every kind holds one watch open, beside the usual lists.
  const { source, namespace } = await openSource(flags, io, { streams: kinds.length });
  try {
    if (!(source instanceof LiveSource)) throw new AppError('internal', 'record needs a live source');
    return await withMemoryStore(
      flags,
      io,
      { create: true, ...(maxBytes === undefined ? {} : { maxBytes }) },
      async (store) => {
        // What the last run knew, so its diffs continue where they stopped.
        const knownObjects = await loadStateAt(store, {
          atMs: Date.now(),
          ...(namespace === undefined ? {} : { namespace }),
        });
        const recorder = new Recorder({
          follower: source,
          store,
          kinds,
          ...(namespace === undefined ? {} : { namespace }),
          knownObjects,
          ...(audit === undefined ? {} : { audit }),
          retentionMs,
          checkpointEveryMs,
          ...(maxBytes === undefined ? {} : { maxBytes }),
        });
        const signal =
          forMs === undefined ? io.signal : AbortSignal.any([io.signal, AbortSignal.timeout(forMs)]);
        io.stderr(
          `recording ${String(kinds.length)} kinds in ${namespace === undefined ? 'all namespaces' : `namespace ${namespace}`} of ${source.description} into ${store.location}${forMs === undefined ? '; Ctrl-C to stop' : ` for ${flags.for ?? ''}`}\n`,
        );
        const stats = await recorder.run(signal);
        io.stdout(
          `recorded ${String(stats.changes)} changes, ${String(stats.events)} events and ${String(stats.checkpoints)} checkpoints; ${String(stats.objects)} objects followed\n`,
        );
        return EXIT.ok;
      },
    );
  } finally {
    source.close();
  }
}

/** `2Gi`, `500Mi`: a size as Kubernetes writes one. */
function parseSize(text: string): number {
  let bytes: number;
  try {
    bytes = parseBytes(text);
  } catch {
    throw new AppError(
      'usage',
      `--max-size ${text}: not a size; write it as Kubernetes does, e.g. 2Gi or 500Mi`,
    );
  }
  if (bytes < 1024 * 1024)
    throw new AppError('usage', `--max-size ${text}: too small to record anything; give at least 1Mi`);
  return bytes;
}

/** `pods,deploy,cm`: kinds as kubectl names them. */
function parseKinds(text: string): KindInfo[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => findKind(name) === undefined);
  if (unknown.length > 0 || names.length === 0) {
    throw new AppError(
      'usage',
      `--kinds ${text}: ${unknown.length > 0 ? `unknown kind ${unknown.join(', ')}` : 'no kind given'}; name them as kubectl does, e.g. --kinds pods,deployments,configmaps,events`,
    );
  }
  return [
    ...new Map(
      names.map((name) => findKind(name)).flatMap((kind) => (kind === undefined ? [] : [[kind.kind, kind]])),
    ).values(),
  ];
}
