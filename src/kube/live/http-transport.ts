import http from 'node:http';
import https from 'node:https';
import { credentialsFor } from './credentials.js';
import type { LoadedKubeConfig } from './kubeconfig.js';
import { HttpStatusError, RequestTimeoutError, type KubeTransport } from './transport.js';

export interface HttpTransportOptions {
  readonly timeoutMs: number;
  /** Sockets kept open to the server; matches the live source's concurrency. */
  readonly maxSockets: number;
}

/**
 * A transport over node:http(s) that authenticates exactly as the kubeconfig says (client
 * certificates, bearer tokens, token files, exec plugins, basic auth; see credentials.ts), and
 * returns bodies as the server sent them: plain JSON, like `kubectl get -o json`.
 */
export async function createHttpTransport(
  config: LoadedKubeConfig,
  options: HttpTransportOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KubeTransport> {
  const { cluster } = config;
  const base = new URL(cluster.server);
  const credentials = await credentialsFor(cluster, config.user, env);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ ...credentials.tls, keepAlive: true, maxSockets: options.maxSockets })
    : new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const basePath = base.pathname.replace(/\/$/, '');

  const request = (
    path: string,
    query: Readonly<Record<string, string>>,
    timeoutMs: number | undefined,
    write?: { readonly method: 'POST' | 'PUT'; readonly body: string },
  ): Promise<http.IncomingMessage> =>
    credentials.authorization().then(
      (authorization) =>
        new Promise((resolve, reject) => {
          const search = new URLSearchParams(query).toString();
          const call = (secure ? https : http).request(
            {
              protocol: base.protocol,
              hostname: base.hostname,
              port: base.port,
              path: `${basePath}${path}${search === '' ? '' : `?${search}`}`,
              method: write?.method ?? 'GET',
              headers: {
                Accept: 'application/json',
                ...(write === undefined
                  ? {}
                  : {
                      'Content-Type': 'application/json',
                      'Content-Length': Buffer.byteLength(write.body),
                    }),
                ...(authorization === undefined ? {} : { Authorization: authorization }),
              },
              agent,
              ...(credentials.basicAuth === undefined ? {} : { auth: credentials.basicAuth }),
            },
            resolve,
          );
          if (timeoutMs !== undefined) {
            call.setTimeout(timeoutMs, () => call.destroy(new RequestTimeoutError(path, timeoutMs)));
          }
          call.on('error', reject);
          call.end(write?.body);
        }),
    );

  const getText = async (
    path: string,
    query: Readonly<Record<string, string>>,
    write?: { readonly method: 'POST' | 'PUT'; readonly body: string },
  ): Promise<string> => {
    const response = await request(path, query, options.timeoutMs, write);
    const body = await readBody(response);
    if ((response.statusCode ?? 0) >= 300) throw new HttpStatusError(response.statusCode ?? 0, body, path);
    return body;
  };

  return {
    server: cluster.server,
    close() {
      agent.destroy();
    },
    async getJson(path, query) {
      return JSON.parse(await getText(path, query)) as unknown;
    },
    getText: (path, query) => getText(path, query),
    async sendJson(method, path, body) {
      return JSON.parse(await getText(path, {}, { method, body: JSON.stringify(body) })) as unknown;
    },
    async streamLines(path, query, onLine, signal) {
      const response = await request(path, query, undefined);
      if ((response.statusCode ?? 0) >= 300) {
        throw new HttpStatusError(response.statusCode ?? 0, await readBody(response), path);
      }
      await new Promise<void>((resolve, reject) => {
        const stop = (): void => {
          response.destroy();
          resolve();
        };
        if (signal.aborted) {
          stop();
          return;
        }
        signal.addEventListener('abort', stop, { once: true });
        let pending = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline >= 0) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (line.trim() !== '') onLine(line);
            newline = pending.indexOf('\n');
          }
        });
        response.on('end', () => {
          signal.removeEventListener('abort', stop);
          resolve();
        });
        response.on('error', (error) => {
          if (signal.aborted) resolve();
          else reject(error);
        });
      });
    },
  };
}

/**
 * The body as text, decoded as it arrives: a page of 500 pods is megabytes, better held as strings
 * in the heap (freed by the next scavenge) than as buffers outside it joined into one more.
 */
async function readBody(response: http.IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk as string;
  return text;
}
