import http from 'node:http';
import https from 'node:https';
import { KubeConfig, type Cluster } from '@kubernetes/client-node';
import { HttpStatusError, RequestTimeoutError, type KubeTransport } from './transport.js';

export interface HttpTransportOptions {
  readonly timeoutMs: number;
  /** Sockets kept open to the server; matches the live source's concurrency. */
  readonly maxSockets: number;
}

/**
 * A transport over node:http(s) that authenticates exactly as the kubeconfig says (client
 * certificates, bearer tokens, exec and auth-provider plugins) through client-node's KubeConfig,
 * and returns bodies as the server sent them: plain JSON, like `kubectl get -o json`.
 */
export async function createHttpTransport(
  config: KubeConfig,
  options: HttpTransportOptions,
): Promise<KubeTransport> {
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const base = new URL(cluster.server);
  const requestOptions: https.RequestOptions = {};
  await authConfigFor(config, cluster, base).applyToHTTPSOptions(requestOptions);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new https.Agent({ ...pickTls(requestOptions), keepAlive: true, maxSockets: options.maxSockets })
    : new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const headers = {
    Accept: 'application/json',
    ...(requestOptions.headers as Record<string, string> | undefined),
  };
  const basePath = base.pathname.replace(/\/$/, '');

  const request = (
    path: string,
    query: Readonly<Record<string, string>>,
    timeoutMs: number | undefined,
  ): Promise<http.IncomingMessage> =>
    new Promise((resolve, reject) => {
      const search = new URLSearchParams(query).toString();
      const call = (secure ? https : http).request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          path: `${basePath}${path}${search === '' ? '' : `?${search}`}`,
          method: 'GET',
          headers,
          agent,
          ...(requestOptions.auth === undefined ? {} : { auth: requestOptions.auth }),
        },
        resolve,
      );
      if (timeoutMs !== undefined) {
        call.setTimeout(timeoutMs, () => call.destroy(new RequestTimeoutError(path, timeoutMs)));
      }
      call.on('error', reject);
      call.end();
    });

  const getText = async (path: string, query: Readonly<Record<string, string>>): Promise<string> => {
    const response = await request(path, query, options.timeoutMs);
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
    getText,
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
 * client-node refuses `http:` servers unless TLS verification is off, but over plain HTTP there is
 * no TLS to verify (`kubectl proxy` serves http://127.0.0.1:8001). For those only, read the
 * credentials through a copy of the cluster entry that says so.
 */
function authConfigFor(config: KubeConfig, cluster: Cluster, base: URL): KubeConfig {
  if (base.protocol !== 'http:' || cluster.skipTLSVerify) return config;
  const user = config.getCurrentUser();
  if (user === null) return config;
  const plain = new KubeConfig();
  plain.loadFromClusterAndUser({ ...cluster, skipTLSVerify: true }, user);
  return plain;
}

function pickTls(options: https.RequestOptions): https.AgentOptions {
  const tls: https.AgentOptions = {};
  if (options.ca !== undefined) tls.ca = options.ca;
  if (options.cert !== undefined) tls.cert = options.cert;
  if (options.key !== undefined) tls.key = options.key;
  if (options.rejectUnauthorized !== undefined) tls.rejectUnauthorized = options.rejectUnauthorized;
  if (options.servername !== undefined) tls.servername = options.servername;
  return tls;
}

async function readBody(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
