import { createHmac } from 'node:crypto';
import { fromBinary, toJsonString } from '@bufbuild/protobuf';
import { IncidentContextSchema } from '../../gen/kubectl_smart/incident/v1/incident_pb.js';
import type { IncidentTransport } from './delivery.js';
import type { OutboxEntry } from './outbox.js';

/** The header that carries the body's HMAC-SHA256: `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'x-kubectl-smart-signature';
/** The header that carries the incident id, so a receiver can drop a retry before parsing. */
export const INCIDENT_ID_HEADER = 'x-kubectl-smart-incident-id';

export interface WebhookTransportOptions {
  readonly url: string;
  /** The shared secret the body is signed with; without it, requests go unsigned. */
  readonly secret?: string;
  readonly timeoutMs?: number;
}

/** `sha256=` and the hex HMAC-SHA256 of the body with the shared secret, as GitHub-style webhooks sign. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * POSTs each incident as the contract's JSON to a URL, signed with HMAC-SHA256 over the body. A
 * 2xx answer acknowledges it; anything else (or no answer) fails the batch and the delivery loop
 * sends it again later, with the same id.
 */
export class WebhookTransport implements IncidentTransport {
  readonly description: string;
  readonly #options: WebhookTransportOptions;

  constructor(options: WebhookTransportOptions) {
    this.#options = options;
    this.description = `webhook ${new URL(options.url).origin}`;
  }

  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async send(
    entries: readonly OutboxEntry[],
    onAcknowledged: (id: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    for (const entry of entries) {
      const body = toJsonString(IncidentContextSchema, fromBinary(IncidentContextSchema, entry.bytes));
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        [INCIDENT_ID_HEADER]: entry.id,
      };
      if (this.#options.secret !== undefined)
        headers[SIGNATURE_HEADER] = signBody(body, this.#options.secret);
      const response = await fetch(this.#options.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeoutMs ?? 30_000)]),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`${this.description} answered HTTP ${String(response.status)}`);
      onAcknowledged(entry.id);
    }
  }

  close(): void {
    // fetch keeps no connection of ours open.
  }
}
