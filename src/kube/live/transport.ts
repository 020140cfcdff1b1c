/**
 * The HTTP conversation with the API server, reduced to what the live source and the agent's
 * leader election need, so its request pattern can be tested against a fake and run against a real
 * server unchanged.
 */
export interface KubeTransport {
  /** The API server's address, for messages. */
  readonly server: string;
  /** GET a path with a query and parse the JSON body. Throws `HttpStatusError` on a non-2xx answer. */
  getJson(path: string, query: Readonly<Record<string, string>>): Promise<unknown>;
  /** GET a path that answers plain text (pod logs). Throws `HttpStatusError` on a non-2xx answer. */
  getText(path: string, query: Readonly<Record<string, string>>): Promise<string>;
  /** GET a streaming path (a watch) and call `onLine` with each line until it ends or the signal aborts. */
  streamLines(
    path: string,
    query: Readonly<Record<string, string>>,
    onLine: (line: string) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /**
   * POST or PUT a JSON body and parse the JSON answer: the one write the agent makes (its
   * leader-election Lease). Throws `HttpStatusError` on a non-2xx answer; a 409 is a lost race.
   */
  sendJson(method: 'POST' | 'PUT', path: string, body: unknown): Promise<unknown>;
  /** Closes kept-alive connections so the process can exit. */
  close(): void;
}

/** The API server answered, but not with success. */
export class HttpStatusError extends Error {
  readonly status: number;
  readonly body: string;

  constructor(status: number, body: string, path: string) {
    super(`${path}: HTTP ${status}: ${statusMessage(body)}`);
    this.name = 'HttpStatusError';
    this.status = status;
    this.body = body;
  }
}

/** The request took longer than allowed. */
export class RequestTimeoutError extends Error {
  constructor(path: string, timeoutMs: number) {
    super(`${path}: no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The `message` of a Kubernetes Status body, or the body itself (shortened). */
export function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.length > 200 ? `${body.slice(0, 200)}…` : body;
}
