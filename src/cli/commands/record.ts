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
import { openLiveSource, type SourceFlags } from '../source-options.js';
import { withMemoryStore, type MemoryFlags } from '../store-options.js';

export interface RecordFlags extends SourceFlags, MemoryFlags {
  readonly kinds?: string;
  readonly crds?: boolean;
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
  if (flags.from !== undefined && flags.from.length > 0) {
    throw new AppError(
      'usage',
      'record follows a live cluster; files (--from) cannot be followed: drop --from',
    );
  }
  const named =
    flags.kinds === undefined ? { known: DEFAULT_RECORDED_KINDS, custom: [] } : parseKinds(flags.kinds);
  const retentionMs = parseDurationMs(flags.retention, '--retention');
  const checkpointEveryMs = parseDurationMs(flags.checkpointEvery, '--checkpoint-every');
  const forMs = flags.for === undefined ? undefined : parseDurationMs(flags.for, '--for');
  const maxBytes = flags.maxSize === undefined ? undefined : parseSize(flags.maxSize);
  const audit = flags.auditLog === undefined ? undefined : new AuditLogFeed(flags.auditLog);
  try {
    return await recordWith(flags, io, { named, retentionMs, checkpointEveryMs, forMs, maxBytes, audit });
  } finally {
    audit?.close();
  }
}

/** What record's flags ask for, checked before anything connects. */
interface RecordPlan {
  readonly named: NamedKinds;
  readonly retentionMs: number;
  readonly checkpointEveryMs: number;
  readonly forMs: number | undefined;
  readonly maxBytes: number | undefined;
  /** Held open while recording, so a rotation loses none of its lines. */
  readonly audit: AuditLogFeed | undefined;
}

async function recordWith(flags: RecordFlags, io: Io, plan: RecordPlan): Promise<ExitCode> {
  const { named, retentionMs, checkpointEveryMs, forMs, maxBytes, audit } = plan;
  // Every kind holds one watch open and lists once; with custom kinds, how many is not known yet.
  const { source, namespace } = await openLiveSource('record', flags, io, {
    streams: Number.POSITIVE_INFINITY,
  });
  try {
    const kinds = await kindsToFollow(named, flags.crds === true, source, io);
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

/** Kinds named with `--kinds`: those the registry knows, and custom ones (`widgets.example.com`) to look up. */
interface NamedKinds {
  readonly known: readonly KindInfo[];
  readonly custom: readonly string[];
}

/** `pods,deploy,cm,certificates.cert-manager.io`: kinds as kubectl names them, custom ones as plural.group. */
function parseKinds(text: string): NamedKinds {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const known = names.flatMap((name) => findKind(name) ?? []);
  const custom = names.filter((name) => findKind(name) === undefined && name.includes('.'));
  const unknown = names.filter((name) => findKind(name) === undefined && !name.includes('.'));
  if (unknown.length > 0 || names.length === 0) {
    throw new AppError(
      'usage',
      `--kinds ${text}: ${unknown.length > 0 ? `unknown kind ${unknown.join(', ')}` : 'no kind given'}; name them as kubectl does, e.g. --kinds pods,deployments,configmaps,events (custom resources as plural.group: widgets.example.com)`,
    );
  }
  return { known, custom };
}

/**
 * The kinds to follow: those named, and the custom ones (named, or all with `--crds`) as the
 * cluster's CustomResourceDefinitions define them now. A definition passed over is said once.
 */
async function kindsToFollow(
  named: NamedKinds,
  allCustom: boolean,
  source: LiveSource,
  io: Io,
): Promise<KindInfo[]> {
  const chosen = new Map(named.known.map((kind) => [kind.kind, kind]));
  if (!allCustom && named.custom.length === 0) return [...chosen.values()];
  const { kinds, skipped } = await source.customKinds();
  const byResource = new Map(kinds.map((kind) => [`${kind.plural}.${kind.group}`, kind]));
  for (const name of named.custom) {
    const kind = byResource.get(name);
    if (kind === undefined) {
      const passedOver = skipped.find((definition) => definition.name === name);
      throw new AppError(
        'usage',
        `--kinds ${name}: ${passedOver === undefined ? 'the cluster defines no such custom resource' : `its definition cannot be followed: ${passedOver.why}`}; kubectl get crd lists them`,
      );
    }
    chosen.set(kind.kind, kind);
  }
  if (allCustom) {
    for (const kind of kinds) chosen.set(kind.kind, kind);
    for (const definition of skipped) io.stderr(`not following ${definition.name}: ${definition.why}\n`);
  }
  return [...chosen.values()];
}
