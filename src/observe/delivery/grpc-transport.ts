import { Code, ConnectError, createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { Health, HealthCheckResponse_ServingStatus } from '../../gen/grpc/health/v1/health_pb.js';
import { fromBinary } from '@bufbuild/protobuf';
import {
  IncidentContextSchema,
  IncidentSinkService,
} from '../../gen/kubectl_smart/incident/v1/incident_pb.js';
import type { IncidentTransport } from './delivery.js';
import type { OutboxEntry } from './outbox.js';

/** TLS for the connection: the CA that signed the receiver's certificate, and ours for mTLS. */
export interface GrpcTlsOptions {
  /** PEM; without it, the system's trusted CAs. */
  readonly ca?: string | Buffer;
  /** PEM client certificate and key, when the receiver asks for one (mTLS). */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

export interface GrpcIncidentTransportOptions {
  /** `grpc://host:port` (plaintext HTTP/2), `grpcs://host:port` or `https://host:port` (TLS). */
  readonly url: string;
  readonly tls?: GrpcTlsOptions;
  /** A batch not acknowledged within this long counts as a failure and is sent again. */
  readonly timeoutMs?: number;
}

type SessionManager = NonNullable<Parameters<typeof createGrpcTransport>[0]['sessionManager']>;

/**
 * The session manager with every HTTP/2 session it opens given a last-resort error listener.
 * Without it, a receiver's GOAWAY on an idle connection can surface as an uncaught exception and
 * end the agent (connectrpc/connect-es#1768, open as of v2.2.0); a stream on the session still
 * fails with the error, so the delivery loop sees it and retries.
 */
function quietSessions(manager: Http2SessionManager): SessionManager {
  const guarded = new WeakSet<object>();
  return {
    get authority() {
      return manager.authority;
    },
    async request(method, path, headers, options) {
      const stream = await manager.request(method, path, headers, options);
      const session = stream.session;
      if (session !== undefined && !guarded.has(session)) {
        guarded.add(session);
        session.on('error', () => undefined);
      }
      return stream;
    },
    notifyResponseByteRead(stream) {
      manager.notifyResponseByteRead(stream);
    },
  };
}

/** The endpoint as an HTTP/2 base URL: gRPC is HTTP/2 with `http(s)://host:port/package.Service/Method`. */
export function grpcBaseUrl(url: string): string {
  const match = /^(grpcs?|https?):\/\/([^/]+)\/?$/.exec(url);
  if (match === null)
    throw new Error(`"${url}" is not a gRPC endpoint: write grpc://host:port, or grpcs://host:port for TLS`);
  const scheme = match[1] === 'grpcs' || match[1] === 'https' ? 'https' : 'http';
  return `${scheme}://${match[2] ?? ''}`;
}

/**
 * Streams incidents to a receiver's IncidentSinkService over gRPC (HTTP/2, TLS or mTLS when the
 * URL says so), one bidirectional stream per batch on a kept connection, and asks the standard
 * health service (grpc.health.v1) whether it serves before sending. A receiver without a health
 * service counts as serving.
 */
export class GrpcIncidentTransport implements IncidentTransport {
  readonly description: string;
  readonly #sink: Client<typeof IncidentSinkService>;
  readonly #health: Client<typeof Health>;
  readonly #timeoutMs: number;
  readonly #session: Http2SessionManager;

  constructor(options: GrpcIncidentTransportOptions) {
    const baseUrl = grpcBaseUrl(options.url);
    this.description = `grpc ${options.url}`;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    const tls = options.tls;
    this.#session = new Http2SessionManager(
      baseUrl,
      { pingIntervalMs: 30_000, idleConnectionTimeoutMs: 5 * 60_000 },
      tls === undefined
        ? {}
        : {
            ...(tls.ca === undefined ? {} : { ca: tls.ca }),
            ...(tls.cert === undefined ? {} : { cert: tls.cert }),
            ...(tls.key === undefined ? {} : { key: tls.key }),
          },
    );
    const transport = createGrpcTransport({ baseUrl, sessionManager: quietSessions(this.#session) });
    this.#sink = createClient(IncidentSinkService, transport);
    this.#health = createClient(Health, transport);
  }

  async ready(signal: AbortSignal): Promise<boolean> {
    try {
      const answer = await this.#health.check(
        { service: IncidentSinkService.typeName },
        { signal, timeoutMs: Math.min(this.#timeoutMs, 5_000) },
      );
      return answer.status === HealthCheckResponse_ServingStatus.SERVING;
    } catch (error) {
      if (error instanceof ConnectError && error.code === Code.Unimplemented) return true;
      throw error;
    }
  }

  async send(
    entries: readonly OutboxEntry[],
    onAcknowledged: (id: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const pending = new Set(entries.map((entry) => entry.id));
    const requests = entries.map((entry) => ({ incident: fromBinary(IncidentContextSchema, entry.bytes) }));
    const answers = this.#sink.streamIncidents(toAsync(requests), { signal, timeoutMs: this.#timeoutMs });
    for await (const answer of answers) {
      if (pending.delete(answer.incidentId)) onAcknowledged(answer.incidentId);
      if (pending.size === 0) break;
    }
    if (pending.size > 0)
      throw new Error(
        `${this.description} closed the stream with ${String(pending.size)} incident(s) unacknowledged`,
      );
  }

  /** Closes the HTTP/2 connection, so the process can exit. */
  close(): void {
    this.#session.abort();
  }
}

/** The requests of a client stream, one after another. */
async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}
