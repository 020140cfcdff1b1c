import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { toJsonString } from '@bufbuild/protobuf';
import { parseDurationMs } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import {
  FailureReason,
  IncidentContextSchema,
  type IncidentContext,
} from '../../gen/kubectl_smart/incident/v1/incident_pb.js';
import { startIncidentReceiver } from '../../server/incident-receiver.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { readFlagFile } from '../flag-file.js';
import type { Io } from '../io.js';
import type { ReceiveFormat } from '../output-formats.js';

export interface ReceiveFlags {
  readonly listen: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly clientCa?: string;
  readonly output: ReceiveFormat;
  /** Append every incident kept, one JSON line each; ids already in it are duplicates. */
  readonly out?: string;
  readonly for?: string;
}

/**
 * `kubectl smart receive --listen ADDR`: the reference receiver of the incident contract. Serves
 * IncidentSinkService over gRPC (TLS with --tls-cert/--tls-key, mTLS with --client-ca) and the
 * standard health service; prints each incident (a line of text, or its JSON with -o json), keeps
 * it in --out, and acknowledges a retry it already has as a duplicate.
 */
export async function receiveCommand(flags: ReceiveFlags, io: Io): Promise<ExitCode> {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
    throw new AppError('usage', 'TLS needs both --tls-cert and --tls-key');
  if (flags.clientCa !== undefined && flags.tlsCert === undefined)
    throw new AppError('usage', '--client-ca (mTLS) needs TLS: add --tls-cert and --tls-key');
  const forMs = flags.for === undefined ? undefined : parseDurationMs(flags.for, '--for');
  const tls =
    flags.tlsCert === undefined || flags.tlsKey === undefined
      ? undefined
      : {
          cert: readFlagFile(flags.tlsCert, '--tls-cert'),
          key: readFlagFile(flags.tlsKey, '--tls-key'),
          ...(flags.clientCa === undefined ? {} : { clientCa: readFlagFile(flags.clientCa, '--client-ca') }),
        };
  let receiver;
  try {
    receiver = await startIncidentReceiver({
      listen: flags.listen,
      ...(tls === undefined ? {} : { tls }),
      knownIds: flags.out === undefined ? [] : idsIn(flags.out),
      onIncident: (incident) => {
        const json = toJsonString(IncidentContextSchema, incident);
        if (flags.out !== undefined) appendFileSync(flags.out, `${json}\n`);
        io.stdout(flags.output === 'json' ? `${json}\n` : describeIncident(incident));
      },
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new AppError(
      'usage',
      code === 'EADDRINUSE'
        ? `--listen ${flags.listen}: the address is in use; pick another port`
        : `--listen ${flags.listen}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  io.stderr(
    `receiving incidents on ${receiver.address} (gRPC${tls === undefined ? '' : tls.clientCa === undefined ? ', TLS' : ', mTLS'}: kubectl_smart.incident.v1.IncidentSinkService, grpc.health.v1.Health)${forMs === undefined ? '; Ctrl-C to stop' : ''}\n`,
  );
  const signal = forMs === undefined ? io.signal : AbortSignal.any([io.signal, AbortSignal.timeout(forMs)]);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener(
      'abort',
      () => {
        resolve();
      },
      { once: true },
    );
  });
  await receiver.close();
  io.stderr(
    `received ${String(receiver.counts.received)} incident(s), ${String(receiver.counts.duplicates)} duplicate(s) acknowledged and dropped\n`,
  );
  return EXIT.ok;
}

/** One line per incident: when, what, where, how much evidence, and the root cause when found. */
function describeIncident(incident: IncidentContext): string {
  const at =
    incident.detectedAt === undefined
      ? ''
      : new Date(Number(incident.detectedAt.seconds) * 1000).toISOString();
  const where = `${incident.pod?.namespace ?? ''}/${incident.pod?.name ?? ''}${incident.container === '' ? '' : ` ${incident.container}`}`;
  const root = incident.diagnosis?.rootCause;
  return (
    `${at} ${FailureReason[incident.reason]} ${where} id=${incident.incidentId} logs=${String(incident.logs.length)} manifests=${String(incident.manifests.length)} events=${String(incident.events.length)} redacted=${String(incident.redaction?.total ?? 0)}\n` +
    (root === undefined
      ? ''
      : `  root cause: ${root.resource?.kind ?? ''}/${root.resource?.name ?? ''}: ${root.message}\n`)
  );
}

/** The ids of the incidents an --out file holds already. */
function idsIn(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        const id = (JSON.parse(line) as { incidentId?: unknown }).incidentId;
        return typeof id === 'string' ? [id] : [];
      } catch {
        throw new AppError(
          'usage',
          `--out ${file}: a line is not an incident's JSON; point --out at a new file`,
        );
      }
    });
}
