import { join } from 'node:path';
import { AppError } from '../../core/errors.js';
import type { AgentTelemetry } from '../agent-telemetry.js';
import { Delivery, type IncidentTransport } from './delivery.js';
import { GrpcIncidentTransport } from './grpc-transport.js';
import { Outbox } from './outbox.js';
import { NdjsonSink, OutboxSink, type IncidentSink } from './sinks.js';
import { WebhookTransport } from './webhook-transport.js';

/** What opening a sink needs beside its address. */
export interface SinkOptions {
  /** Where `stdout` sinks write a line. */
  readonly write: (line: string) => void;
  /** The durable sinks' outboxes live in `sink-<index>` below this. */
  readonly outboxDir: string;
  /** For grpcs:// sinks: the CA to trust, and a client certificate and key for mTLS. */
  readonly tls: { readonly ca?: Buffer; readonly cert?: Buffer; readonly key?: Buffer };
  /** For webhook sinks: the HMAC secret, and the variable it was to come from (for the warning). */
  readonly webhookSecret?: string;
  readonly webhookSecretEnv: string;
  readonly telemetry: AgentTelemetry;
}

/**
 * A sink from its address: `grpc://host:port` or `grpcs://host:port` (gRPC, TLS from the tls
 * options), `http(s)://…` (webhook, signed with the secret), `file:PATH` (NDJSON appended),
 * `stdout` (NDJSON). gRPC and webhook sinks keep an outbox each. A bad address is a usage error.
 */
export function openSink(spec: string, index: number, options: SinkOptions): IncidentSink {
  if (spec === 'stdout' || spec === '-') return new NdjsonSink({ write: options.write });
  if (spec.startsWith('file:')) return new NdjsonSink({ file: spec.slice('file:'.length) });
  const transport = transportFor(spec, options);
  const name = transport.description;
  const outbox = new Outbox({ directory: join(options.outboxDir, `sink-${String(index)}`) });
  const delivery = new Delivery({ outbox, transport, hooks: options.telemetry.delivery(name, outbox) });
  return new OutboxSink(name, delivery, () => {
    transport.close();
  });
}

function transportFor(spec: string, options: SinkOptions): IncidentTransport {
  if (/^grpcs?:\/\//.test(spec)) {
    try {
      return new GrpcIncidentTransport({
        url: spec,
        ...(spec.startsWith('grpcs:') ? { tls: options.tls } : {}),
      });
    } catch (error) {
      throw new AppError(
        'usage',
        `--sink ${spec}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (/^https?:\/\//.test(spec)) {
    const secret = options.webhookSecret;
    if (secret === undefined)
      options.telemetry.log.warn(
        { sink: spec },
        `webhook without a signature: ${options.webhookSecretEnv} is not set`,
      );
    return new WebhookTransport({ url: spec, ...(secret === undefined ? {} : { secret }) });
  }
  throw new AppError(
    'usage',
    `--sink ${spec}: write grpc://host:port, grpcs://host:port, https://… (webhook), file:PATH or stdout`,
  );
}
