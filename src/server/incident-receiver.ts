import http2 from 'node:http2';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { Health, HealthCheckResponse_ServingStatus } from '../gen/grpc/health/v1/health_pb.js';
import { listenOn } from './listen.js';
import { IncidentSinkService, type IncidentContext } from '../gen/kubectl_smart/incident/v1/incident_pb.js';

/** The receiver's TLS: its certificate and key, and the CA its clients' certificates must chain to (mTLS). */
export interface ReceiverTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** With it, a client must present a certificate signed by this CA. */
  readonly clientCa?: string | Buffer;
}

export interface IncidentReceiverOptions {
  /** `host:port`; port 0 picks a free one. */
  readonly listen: string;
  readonly tls?: ReceiverTls;
  /**
   * Keeps (prints, stores) a new incident. The sender's acknowledgement waits for it, so an
   * incident acknowledged is an incident kept; if it throws, the stream fails and the sender retries.
   */
  readonly onIncident: (incident: IncidentContext) => void | Promise<void>;
  /** Ids already kept (from a previous run's output), so their retries count as duplicates. */
  readonly knownIds?: Iterable<string>;
  /** Ids remembered for duplicate detection, newest kept. */
  readonly rememberIds?: number;
}

/** A running receiver. */
export interface IncidentReceiver {
  /** Where it listens: `127.0.0.1:43127`. */
  readonly address: string;
  /** Incidents kept, and retries answered as duplicates. */
  readonly counts: { readonly received: number; readonly duplicates: number };
  /** What grpc.health.v1 answers: NOT_SERVING while false (a draining receiver). */
  setServing(serving: boolean): void;
  close(): Promise<void>;
}

/**
 * The reference receiver of the incident contract: serves IncidentSinkService (gRPC over HTTP/2,
 * TLS and mTLS when configured) and the standard health service. Each incident is kept once:
 * a retry of an id it has (at-least-once delivery) is acknowledged as a duplicate, not kept again.
 */
export async function startIncidentReceiver(options: IncidentReceiverOptions): Promise<IncidentReceiver> {
  const seen = new Set<string>(options.knownIds ?? []);
  const remember = options.rememberIds ?? 100_000;
  const counts = { received: 0, duplicates: 0 };
  let serving = true;
  const routes = (router: ConnectRouter): void => {
    router.service(IncidentSinkService, {
      async *streamIncidents(requests) {
        for await (const request of requests) {
          const incident = request.incident;
          if (incident === undefined || incident.incidentId === '')
            throw new ConnectError(
              'an incident without incident_id cannot be acknowledged',
              Code.InvalidArgument,
            );
          const id = incident.incidentId;
          const duplicate = seen.has(id);
          if (duplicate) counts.duplicates++;
          else {
            await options.onIncident(incident);
            seen.add(id);
            counts.received++;
            if (seen.size > remember) {
              const [oldest] = seen;
              if (oldest !== undefined) seen.delete(oldest);
            }
          }
          yield { incidentId: id, duplicate };
        }
      },
    });
    router.service(Health, {
      check(request) {
        return { status: statusOf(request.service, serving) };
      },
      async *watch(request, context) {
        yield { status: statusOf(request.service, serving) };
        await new Promise<void>((resolve) => {
          context.signal.addEventListener(
            'abort',
            () => {
              resolve();
            },
            { once: true },
          );
        });
      },
    });
  };
  const handler = connectNodeAdapter({ routes, connect: false, grpcWeb: false });
  const tls = options.tls;
  const server =
    tls === undefined
      ? http2.createServer(handler)
      : http2.createSecureServer(
          {
            cert: tls.cert,
            key: tls.key,
            allowHTTP1: false,
            ...(tls.clientCa === undefined
              ? {}
              : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }),
          },
          handler,
        );
  const address = await listenOn(server, options.listen);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return {
    address,
    counts,
    setServing(value) {
      serving = value;
    },
    close() {
      return new Promise((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/** Health for the whole server ('') and for the incident service; any other name is unknown. */
function statusOf(service: string, serving: boolean): HealthCheckResponse_ServingStatus {
  if (service !== '' && service !== IncidentSinkService.typeName)
    throw new ConnectError(`no service ${service} here`, Code.NotFound);
  return serving ? HealthCheckResponse_ServingStatus.SERVING : HealthCheckResponse_ServingStatus.NOT_SERVING;
}
