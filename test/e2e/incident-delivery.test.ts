import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, fromJsonString, toBinary } from '@bufbuild/protobuf';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  IncidentContextSchema,
  type IncidentContext,
} from '../../src/gen/kubectl_smart/incident/v1/incident_pb.js';
import { Delivery } from '../../src/observe/delivery/delivery.js';
import { GrpcIncidentTransport } from '../../src/observe/delivery/grpc-transport.js';
import { Outbox } from '../../src/observe/delivery/outbox.js';
import { NdjsonSink } from '../../src/observe/delivery/sinks.js';
import {
  INCIDENT_ID_HEADER,
  SIGNATURE_HEADER,
  signBody,
  WebhookTransport,
} from '../../src/observe/delivery/webhook-transport.js';
import { startIncidentReceiver, type IncidentReceiver } from '../../src/server/incident-receiver.js';
import { makeTestPki, type TestPki } from '../support/test-pki.js';

/** An incident as the agent writes one (shape of build-incident's output on the shop example). */
function incident(id: string): IncidentContext {
  return create(IncidentContextSchema, {
    schemaVersion: 1,
    incidentId: id,
    cluster: { name: 'shop-prod', server: 'https://10.0.0.1:6443', agentId: 'agent-0' },
    pod: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: `api-${id}`, uid: `uid-${id}` },
    container: 'api',
    message: "couldn't find key CACHE_SIZE in ConfigMap shop/api-config",
    logs: [{ container: 'api', previous: true, text: 'panic: config\n', tailLines: 200 }],
  });
}

const entry = (id: string): { id: string; bytes: Uint8Array } => ({
  id,
  bytes: toBinary(IncidentContextSchema, incident(id)),
});

interface Running {
  readonly delivery: Delivery;
  readonly outbox: Outbox;
  readonly transport: GrpcIncidentTransport;
  readonly stop: () => Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function outboxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smart-outbox-'));
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

function deliver(
  url: string,
  directory: string,
  tls?: ConstructorParameters<typeof GrpcIncidentTransport>[0]['tls'],
): Running {
  const outbox = new Outbox({ directory });
  const transport = new GrpcIncidentTransport({
    url,
    ...(tls === undefined ? {} : { tls }),
    timeoutMs: 5_000,
  });
  const delivery = new Delivery({ outbox, transport, baseBackoffMs: 20, maxBackoffMs: 200 });
  const stopper = new AbortController();
  const loop = delivery.run(stopper.signal);
  const stop = async (): Promise<void> => {
    stopper.abort();
    await loop;
    transport.close();
  };
  cleanups.push(stop);
  return { delivery, outbox, transport, stop };
}

async function receiver(options: Partial<Parameters<typeof startIncidentReceiver>[0]> = {}): Promise<{
  receiver: IncidentReceiver;
  kept: IncidentContext[];
}> {
  const kept: IncidentContext[] = [];
  const started = await startIncidentReceiver({
    listen: '127.0.0.1:0',
    onIncident: (incident) => {
      kept.push(incident);
    },
    ...options,
  });
  cleanups.push(() => started.close());
  return { receiver: started, kept };
}

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (test()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('incident delivery over gRPC to the reference receiver', () => {
  it('delivers each incident whole, in order, and empties the outbox once acknowledged', async () => {
    const { receiver: peer, kept } = await receiver();
    const dir = outboxDir();
    const { delivery, outbox } = deliver(`grpc://${peer.address}`, dir);
    for (const id of ['a1', 'a2', 'a3']) delivery.enqueue(entry(id));
    await until(() => kept.length === 3, 'three incidents');
    expect(kept.map((i) => i.incidentId)).toEqual(['a1', 'a2', 'a3']);
    expect(kept[0]).toEqual(incident('a1'));
    await until(() => outbox.depth === 0, 'an empty outbox');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('loses nothing while the receiver is down: the outbox keeps them until it is back', async () => {
    const first = await receiver();
    const address = first.receiver.address;
    await first.receiver.close();
    const dir = outboxDir();
    const { delivery, outbox } = deliver(`grpc://${address}`, dir);
    for (const id of ['b1', 'b2', 'b3', 'b4', 'b5']) delivery.enqueue(entry(id));
    await until(() => delivery.failures >= 2, 'failed attempts');
    expect(outbox.depth).toBe(5);
    expect(readdirSync(dir)).toHaveLength(5);
    const back = await receiver({ listen: address });
    await until(() => back.kept.length === 5, 'five incidents after the outage');
    expect(back.kept.map((i) => i.incidentId)).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    await until(() => outbox.depth === 0, 'an empty outbox');
  });

  it('resumes an outbox a stopped agent left behind, and the receiver keeps a retried id once', async () => {
    const { receiver: peer, kept } = await receiver({ knownIds: ['c1'] });
    const dir = outboxDir();
    const left = new Outbox({ directory: dir });
    left.put(entry('c1'));
    left.put(entry('c2'));
    const { outbox } = deliver(`grpc://${peer.address}`, dir);
    await until(() => outbox.depth === 0, 'the resumed outbox drained');
    expect(kept.map((i) => i.incidentId)).toEqual(['c2']);
    expect(peer.counts).toEqual({ received: 1, duplicates: 1 });
  });

  it('waits while the receiver says NOT_SERVING (grpc.health.v1), then delivers', async () => {
    const { receiver: peer, kept } = await receiver();
    peer.setServing(false);
    const { delivery } = deliver(`grpc://${peer.address}`, outboxDir());
    delivery.enqueue(entry('d1'));
    await until(() => delivery.failures >= 2, 'attempts held back');
    expect(kept).toEqual([]);
    peer.setServing(true);
    await until(() => kept.length === 1, 'the incident once serving');
  });

  describe('over TLS', () => {
    let pki: TestPki;
    beforeAll(() => {
      pki = makeTestPki();
    });

    it('delivers over TLS and, with mTLS, only to a client whose certificate the CA signed', async () => {
      const { receiver: peer, kept } = await receiver({
        tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.ca },
      });
      const url = `grpcs://localhost:${peer.address.split(':').at(-1) ?? ''}`;
      const good = deliver(url, outboxDir(), { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey });
      good.delivery.enqueue(entry('e1'));
      await until(() => kept.length === 1, 'the incident over mTLS');

      const stranger = deliver(url, outboxDir(), {
        ca: pki.ca,
        cert: pki.strangerCert,
        key: pki.strangerKey,
      });
      stranger.delivery.enqueue(entry('e2'));
      const anonymous = deliver(url, outboxDir(), { ca: pki.ca });
      anonymous.delivery.enqueue(entry('e3'));
      await until(() => stranger.delivery.failures >= 2 && anonymous.delivery.failures >= 2, 'refusals');
      expect(kept.map((i) => i.incidentId)).toEqual(['e1']);
      expect(stranger.outbox.depth).toBe(1);
    });

    it('refuses a receiver whose certificate the configured CA did not sign', async () => {
      const { receiver: peer, kept } = await receiver({ tls: { cert: pki.serverCert, key: pki.serverKey } });
      const url = `grpcs://localhost:${peer.address.split(':').at(-1) ?? ''}`;
      const wrongCa = deliver(url, outboxDir(), { ca: pki.strangerCert });
      wrongCa.delivery.enqueue(entry('f1'));
      await until(() => wrongCa.delivery.failures >= 2, 'refusals');
      expect(kept).toEqual([]);
    });
  });
});

describe('the webhook sink', () => {
  it('POSTs the incident JSON signed with HMAC-SHA256, and sends it again after a failed answer', async () => {
    const secret = 'webhook-shared-secret';
    const answers = [503, 200, 200];
    const seen: { id: string | undefined; valid: boolean; incident: IncidentContext }[] = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push({
          id: request.headers[INCIDENT_ID_HEADER] as string | undefined,
          valid: request.headers[SIGNATURE_HEADER] === signBody(body, secret),
          incident: fromJsonString(IncidentContextSchema, body),
        });
        response.writeHead(answers.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        }),
    );
    const port = (server.address() as AddressInfo).port;
    const outbox = new Outbox({ directory: outboxDir() });
    const delivery = new Delivery({
      outbox,
      transport: new WebhookTransport({ url: `http://127.0.0.1:${String(port)}/hook`, secret }),
      baseBackoffMs: 20,
    });
    const stop = new AbortController();
    const loop = delivery.run(stop.signal);
    cleanups.push(async () => {
      stop.abort();
      await loop;
    });
    delivery.enqueue(entry('w1'));
    delivery.enqueue(entry('w2'));
    await until(() => outbox.depth === 0, 'both acknowledged');
    expect(seen.map((s) => s.id)).toEqual(['w1', 'w1', 'w2']);
    expect(seen.every((s) => s.valid)).toBe(true);
    expect(seen[2]?.incident).toEqual(incident('w2'));
  });
});

describe('the NDJSON sink', () => {
  it('appends one incident per line as the contract’s JSON', () => {
    const file = join(outboxDir(), 'incidents.ndjson');
    const sink = new NdjsonSink({ file });
    sink.accept(incident('n1'));
    sink.accept(incident('n2'));
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => fromJsonString(IncidentContextSchema, line).incidentId)).toEqual(['n1', 'n2']);
  });
});
