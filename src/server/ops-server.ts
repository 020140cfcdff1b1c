import http from 'node:http';
import type { Registry } from 'prom-client';
import { listenOn } from './listen.js';

export interface OpsServerOptions {
  /** `host:port`; port 0 picks a free one. */
  readonly listen: string;
  readonly registry: Registry;
  /** `/readyz` answers 200 while this says true (the agent has listed its pods), else 503 with the reason. */
  readonly ready: () => { readonly ready: boolean; readonly reason: string };
}

/** A running operations endpoint. */
export interface OpsServer {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * The agent's operations endpoint: `/metrics` (Prometheus text format), `/healthz` (the process
 * answers: a liveness probe) and `/readyz` (it is doing its job: a readiness probe).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string): void => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') reply(405, 'text/plain', 'GET only\n');
    else if (path === '/healthz') reply(200, 'text/plain', 'ok\n');
    else if (path === '/readyz') {
      const state = options.ready();
      reply(state.ready ? 200 : 503, 'text/plain', `${state.reason}\n`);
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          reply(200, options.registry.contentType, text);
        },
        (error: unknown) => {
          reply(500, 'text/plain', `${error instanceof Error ? error.message : String(error)}\n`);
        },
      );
    } else reply(404, 'text/plain', 'not found: /metrics, /healthz, /readyz\n');
  });
  const address = await listenOn(server, options.listen);
  return {
    address,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
