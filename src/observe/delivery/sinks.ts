import { appendFileSync } from 'node:fs';
import { toBinary, toJsonString } from '@bufbuild/protobuf';
import {
  IncidentContextSchema,
  type IncidentContext,
} from '../../gen/kubectl_smart/incident/v1/incident_pb.js';
import type { Delivery } from './delivery.js';

/** Where the agent's incidents go: a receiver behind an outbox, or lines in a file. */
export interface IncidentSink {
  readonly description: string;
  /** Takes an incident; a sink with an outbox has it on disk when this returns. */
  accept(incident: IncidentContext): void;
  /** Delivers until the signal aborts; a sink with nothing to deliver returns at once. */
  run(signal: AbortSignal): Promise<void>;
  close(): void;
}

/** A receiver reached through an outbox and a delivery loop (gRPC, webhook). */
export class OutboxSink implements IncidentSink {
  readonly description: string;
  readonly #delivery: Delivery;
  readonly #close: () => void;

  constructor(description: string, delivery: Delivery, close: () => void) {
    this.description = description;
    this.#delivery = delivery;
    this.#close = close;
  }

  accept(incident: IncidentContext): void {
    this.#delivery.enqueue({ id: incident.incidentId, bytes: toBinary(IncidentContextSchema, incident) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#delivery.run(signal);
  }

  close(): void {
    this.#close();
  }
}

/**
 * One incident per line as the contract's JSON (proto3 JSON names), appended to a file or written
 * to stdout: for `jq`, log shippers, or a quick look with no receiver at all.
 */
export class NdjsonSink implements IncidentSink {
  readonly description: string;
  readonly #write: (line: string) => void;

  constructor(target: { readonly file: string } | { readonly write: (line: string) => void }) {
    if ('file' in target) {
      this.description = `file ${target.file}`;
      this.#write = (line) => {
        appendFileSync(target.file, line);
      };
    } else {
      this.description = 'stdout';
      this.#write = target.write;
    }
  }

  accept(incident: IncidentContext): void {
    this.#write(`${toJsonString(IncidentContextSchema, incident)}\n`);
  }

  run(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    // Every line was written whole when accepted.
  }
}
