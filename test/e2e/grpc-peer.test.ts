/**
 * The incident contract from a second language: a Go peer (test/grpc-peer, grpc-go and
 * protoc-gen-go code generated from the same proto/ at build time) receives what the TypeScript
 * agent's delivery sends, and sends to `kubectl smart receive`. Each side encodes, the other
 * decodes, and both render the same canonical protobuf JSON; the health protocol and the
 * acknowledgement by id work across them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toBinary, toJson, toJsonString, type JsonValue } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IncidentContextSchema,
  type IncidentContext,
} from '../../src/gen/kubectl_smart/incident/v1/incident_pb.js';
import { GRAPH_AND_EVENT_KINDS } from '../../src/graph/graph-kinds.js';
import { FilesSource } from '../../src/kube/files/files-source.js';
import { buildIncident } from '../../src/observe/build-incident.js';
import { Delivery } from '../../src/observe/delivery/delivery.js';
import { GrpcIncidentTransport } from '../../src/observe/delivery/grpc-transport.js';
import { Outbox } from '../../src/observe/delivery/outbox.js';
import { detectFailures, FAILURE_REASONS } from '../../src/observe/failure-detection.js';
import { Redactor } from '../../src/observe/redact/redactor.js';
import { example, repoRoot } from './run-cli.js';

const bin = fileURLToPath(new URL('../../bin/kubectl-smart.js', import.meta.url));
let peerBinary = '';
let dir = '';
let incidents: IncidentContext[] = [];
const children: ChildProcess[] = [];

/** Every failure of the shop example as the agent packs it: manifests, events, logs, diagnosis, redaction report. */
async function shopIncidents(): Promise<IncidentContext[]> {
  const { snapshot } = await new FilesSource({ paths: [example] }).load({
    kinds: GRAPH_AND_EVENT_KINDS,
    namespace: 'shop',
  });
  const detectedAt = new Date('2026-11-15T08:05:00Z');
  return snapshot
    .ofKind('Pod')
    .flatMap((pod) =>
      detectFailures(pod, { wanted: new Set(FAILURE_REASONS), now: detectedAt, recentMs: 600_000 }),
    )
    .map((trigger) =>
      buildIncident({
        snapshot,
        trigger,
        origin: { clusterName: 'shop-prod', server: 'https://10.0.0.1:6443', agentId: 'agent-0' },
        detectedAt,
        debounced: 2,
        windowMs: 300_000,
        tailLines: 200,
        gaps: [],
        redactor: new Redactor(),
      }),
    );
}

/** Starts a process and resolves with the first stdout line matching `ready`. */
function startUntil(command: string, args: readonly string[], ready: RegExp): Promise<RegExpExecArray> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const look = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const match = ready.exec(seen);
      if (match !== null) resolve(match);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => {
      reject(new Error(`${command} exited with ${String(code)} before it was ready: ${seen}`));
    });
  });
}

function lines(file: string): JsonValue[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonValue);
}

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (test()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  const built = execFileSync('bash', [join(repoRoot, 'test/grpc-peer/build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  peerBinary = built.trim().split('\n').at(-1) ?? '';
  dir = mkdtempSync(join(tmpdir(), 'smart-grpc-peer-'));
  incidents = await shopIncidents();
}, 600_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the incident contract with a Go peer (grpc-go, code generated from proto/)', () => {
  it('the TypeScript delivery streams to a Go server, which decodes every field the TypeScript encoded', async () => {
    expect(incidents.length).toBeGreaterThanOrEqual(3);
    const received = join(dir, 'go-received.ndjson');
    const [, address] = await startUntil(
      peerBinary,
      ['serve', '--listen', '127.0.0.1:0', '--out', received],
      /listening on (\S+)\n/,
    );
    const outbox = new Outbox({ directory: join(dir, 'outbox') });
    const transport = new GrpcIncidentTransport({ url: `grpc://${address ?? ''}`, timeoutMs: 5_000 });
    const delivered: string[] = [];
    const delivery = new Delivery({
      outbox,
      transport,
      hooks: {
        onDelivered: (id) => {
          delivered.push(id);
        },
      },
    });
    const stop = new AbortController();
    const loop = delivery.run(stop.signal);
    for (const incident of incidents)
      delivery.enqueue({ id: incident.incidentId, bytes: toBinary(IncidentContextSchema, incident) });
    await until(() => delivered.length === incidents.length, 'every incident acknowledged by the Go server');
    // The first one again, as after a stream broken before its acknowledgement: acknowledged, kept once.
    const [first] = incidents;
    if (first !== undefined)
      delivery.enqueue({ id: first.incidentId, bytes: toBinary(IncidentContextSchema, first) });
    await until(() => delivered.length === incidents.length + 1, 'the repeat acknowledged');
    stop.abort();
    await loop;
    transport.close();

    expect(outbox.depth).toBe(0);
    // The Go side's protojson of what it decoded is the TypeScript side's JSON of what it encoded.
    expect(lines(received)).toEqual(incidents.map((incident) => toJson(IncidentContextSchema, incident)));
    const rendered = JSON.stringify(lines(received));
    expect(rendered).toContain('"manifests"');
    expect(rendered).toContain('"diagnosis"');
    expect(rendered).toContain('"redaction"');
  });

  it('a Go client streams to `kubectl smart receive`, which keeps each incident once and acknowledges repeats as duplicates', async () => {
    const out = join(dir, 'receive.ndjson');
    const [, address] = await startUntil(
      process.execPath,
      [bin, 'receive', '--listen', '127.0.0.1:0', '--out', out, '-o', 'json'],
      /receiving incidents on (\S+) /,
    );
    const input = join(dir, 'to-send.ndjson');
    writeFileSync(
      input,
      incidents.map((incident) => toJsonString(IncidentContextSchema, incident)).join('\n') + '\n',
    );

    const send = (): { incidentId: string; duplicate: boolean }[] =>
      execFileSync(peerBinary, ['send', '--target', address ?? '', '--in', input], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { incidentId: string; duplicate: boolean });

    const ids = incidents.map((incident) => incident.incidentId);
    expect(send()).toEqual(ids.map((incidentId) => ({ incidentId, duplicate: false })));
    expect(send()).toEqual(ids.map((incidentId) => ({ incidentId, duplicate: true })));
    await until(() => lines(out).length === incidents.length, 'receive to store every incident');
    expect(lines(out)).toEqual(incidents.map((incident) => toJson(IncidentContextSchema, incident)));
  });
});
