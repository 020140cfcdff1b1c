/** A tiny JSON client for the API server, over client-certificate TLS (no client library). */
import https from 'node:https';

/** Result of {@link KubeClient.request}. */
export interface KubeResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

/** A tiny JSON client over client-certificate TLS. */
export interface KubeClient {
  request<T = unknown>(
    method: string,
    urlPath: string,
    body?: unknown,
    opts?: { readonly contentType?: string; readonly accept?: string; readonly timeoutMs?: number },
  ): Promise<KubeResponse<T>>;
}

/**
 * A client for `server` authenticating with `cert`/`key`. A JSON answer is parsed, anything else
 * (or JSON that does not parse) is left as text; errors are answers, not rejections.
 */
export function makeClient(server: URL, ca: Buffer, cert: Buffer, key: Buffer): KubeClient {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca, cert, key });
  return {
    request<T>(
      method: string,
      urlPath: string,
      body?: unknown,
      opts?: { readonly contentType?: string; readonly accept?: string; readonly timeoutMs?: number },
    ): Promise<KubeResponse<T>> {
      return new Promise((resolve, reject) => {
        const payload =
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
        const headers: Record<string, string> = { Accept: opts?.accept ?? 'application/json' };
        if (payload !== undefined) {
          headers['Content-Type'] = opts?.contentType ?? 'application/json';
          headers['Content-Length'] = String(Buffer.byteLength(payload));
        }
        const req = https.request(
          {
            host: server.hostname,
            port: server.port,
            path: urlPath,
            method,
            agent,
            headers,
            timeout: opts?.timeoutMs ?? 30_000,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = text;
              if ((res.headers['content-type'] ?? '').includes('json')) {
                try {
                  parsed = JSON.parse(text);
                } catch {
                  // leave as text
                }
              }
              resolve({ status: res.statusCode ?? 0, body: parsed as T, text });
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
        req.on('error', reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      });
    },
  };
}
