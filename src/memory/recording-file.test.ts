import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Change } from '../core/change.js';
import { AppError } from '../core/errors.js';
import type { KubeObject } from '../core/kube-object.js';
import type { MemoryStore } from '../store/memory-store.js';
import { openStore } from '../store/open-store.js';
import { makeChange } from './make-change.js';
import { exportRecording, importRecording } from './recording-file.js';
import { copy, realDeployment, written } from '../../test/support/memory-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-recording-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let stores = 0;
const fresh = (): Promise<MemoryStore> => openStore(join(dir, String(++stores), 'memory.db'));

const T0 = Date.parse('2026-11-20T03:00:00Z');
const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };
const iso = (ms: number): string => new Date(ms).toISOString();

/** A store with what a short recording holds: a checkpoint, two real-shaped changes, an event, a note. */
async function recorded(): Promise<MemoryStore> {
  const store = await fresh();
  const before = realDeployment('coredns');
  const after = copy(before);
  (after['spec'] as { replicas: number }).replicas = 5;
  written(after, '901', 'kubectl', iso(T0 + 60_000));
  await store.checkpoint(T0, [before]);
  const scaled = makeChange({ at: iso(T0 + 60_000), before, after })!;
  const cm = (value: string, rv: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system', uid: 'cm-1', resourceVersion: rv },
    data: { Corefile: value },
  });
  const edited = makeChange({
    at: iso(T0 + 90_000),
    before: cm('.:53 {}', '5'),
    after: cm('.:53 { log }', '6'),
  })!;
  await store.record({
    changes: [scaled, edited],
    events: [
      {
        name: 'coredns-5d78c9869d-abcde.17a',
        namespace: 'kube-system',
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container coredns',
        involved: { kind: 'Pod', namespace: 'kube-system', name: 'coredns-5d78c9869d-abcde' },
        count: 4,
        firstSeen: iso(T0 + 100_000),
        lastSeen: iso(T0 + 160_000),
      },
    ],
  });
  await store.addNote({
    atMs: T0 + 200_000,
    object: { kind: 'Deployment', namespace: 'kube-system', name: 'coredns' },
    author: 'ana',
    text: 'scaled for the DNS load test',
  });
  return store;
}

async function exported(store: MemoryStore, range = ALL): Promise<string> {
  let text = '';
  await exportRecording(store, { range }, (line) => (text += line));
  return text;
}

describe('recording files', () => {
  it('carries a recording to another store whole, and importing it again adds nothing', async () => {
    const source = await recorded();
    const text = await exported(source);
    const target = await fresh();
    expect(await importRecording(target, text, 'r.jsonl')).toEqual({
      checkpoints: 1,
      changes: 2,
      events: 1,
      notes: 1,
    });
    const strip = (changes: readonly (Change & { id: number })[]): Change[] =>
      changes.map(
        (c) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'id')) as unknown as Change,
      );
    expect(strip(await target.changesBetween(ALL))).toEqual(strip(await source.changesBetween(ALL)));
    expect(await target.checkpointsBefore(T0)).toEqual(await source.checkpointsBefore(T0));
    expect(await target.eventsBetween(ALL)).toEqual(await source.eventsBetween(ALL));
    expect(await target.notesBetween(ALL)).toEqual(await source.notesBetween(ALL));
    expect(await importRecording(target, text, 'r.jsonl')).toEqual({
      checkpoints: 0,
      changes: 0,
      events: 1,
      notes: 0,
    });
    expect(await target.eventsBetween(ALL)).toEqual(await source.eventsBetween(ALL));
    await Promise.all([source.close(), target.close()]);
  });

  it('a namespace recording claims only that namespace’s scopes, even from a file that named more', async () => {
    const source = await fresh();
    await source.addImportedScopes([
      'nodes',
      'storageclasses.storage.k8s.io',
      'configmaps',
      'pods@shop',
      'pods@other',
    ]);
    let text = '';
    await exportRecording(source, { range: ALL, namespace: 'shop' }, (line) => (text += line));
    const header = JSON.parse(text.split('\n')[0] ?? '') as { scopes?: string[] };
    // Its checkpoints hold no Node: a replay must not be told nodes were followed, and are gone.
    // ConfigMaps followed everywhere were followed in shop, and the export holds shop's.
    expect(header.scopes).toEqual(['configmaps@shop', 'pods@shop']);
    const older = `${JSON.stringify({ ...header, scopes: ['nodes', 'pods@shop'] })}\n`;
    const target = await fresh();
    await importRecording(target, older, 'old.jsonl');
    expect(await target.scopes()).toEqual(['pods@shop']);
    const whole = await fresh();
    await importRecording(
      whole,
      `${JSON.stringify({ ...header, namespace: undefined, scopes: ['nodes', 'pods@shop'] })}\n`,
      'all.jsonl',
    );
    expect((await whole.scopes()).sort()).toEqual(['nodes', 'pods@shop']);
    await Promise.all([source.close(), target.close(), whole.close()]);
  });

  it('exports a window with the state at its start', async () => {
    const source = await recorded();
    const lines = (await exported(source, { from: T0 + 80_000, to: T0 + 95_000 }))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type?: string; kind?: string });
    expect(lines.map((l) => l.type ?? l.kind)).toEqual(['KubectlSmartRecording', 'checkpoint', 'change']);
    await source.close();
  });

  it('digests a Secret value a hand-made file carries, so none gets into the store', async () => {
    const target = await fresh();
    const header = JSON.stringify({
      kind: 'KubectlSmartRecording',
      version: 1,
      exportedAt: iso(T0),
      from: iso(T0),
      to: iso(T0),
    });
    const change = {
      type: 'change',
      change: {
        at: iso(T0),
        object: { kind: 'Secret', namespace: 'shop', name: 'db', uid: 's-1' },
        resourceVersion: '7',
        action: 'modified',
        fields: [{ path: 'data.password', op: 'changed', old: 'aHVudGVyMg==', new: 'c2VjcmV0Mg==' }],
        summary: ['Secret key password changed'],
      },
    };
    await importRecording(target, `${header}\n${JSON.stringify(change)}\n`, 'hand.jsonl');
    const [stored] = await target.changesBetween(ALL);
    expect(stored?.fields[0]?.old).toMatch(/^hmac:[0-9a-f]{16}$/);
    expect(stored?.fields[0]?.new).toMatch(/^hmac:[0-9a-f]{16}$/);
    expect(JSON.stringify(stored)).not.toContain('aHVudGVyMg==');
    await target.close();
  });

  it('refuses a file that is not a recording, naming the line, before writing anything', async () => {
    const target = await fresh();
    const header = JSON.stringify({
      kind: 'KubectlSmartRecording',
      version: 1,
      exportedAt: iso(T0),
      from: iso(T0),
      to: iso(T0),
    });
    const good = JSON.stringify({
      type: 'note',
      note: { atMs: T0, object: { kind: 'Pod', name: 'x' }, author: 'a', text: 't' },
    });
    const errorOf = (text: string): Promise<unknown> =>
      importRecording(target, text, 'bad.jsonl').catch((e: unknown) => e);
    const notJson = await errorOf(`${header}\n${good}\n{oops\n`);
    expect(notJson).toBeInstanceOf(AppError);
    expect((notJson as AppError).message).toBe(
      'bad.jsonl:3: not JSON; give a file written by kubectl smart export',
    );
    const wrong = (await errorOf(`${header}\n{"type":"change","change":{}}\n`)) as AppError;
    expect(wrong.message).toMatch(/^bad\.jsonl:2: not a recording line \(change\.at: /);
    const newer = (await errorOf(header.replace('"version":1', '"version":2'))) as AppError;
    expect(newer.message).toMatch(
      /^bad\.jsonl:1: a recording of format 2, newer than this kubectl-smart reads/,
    );
    expect(((await errorOf('{"kind":"PodList"}')) as AppError).message).toMatch(
      /^bad\.jsonl:1: not a kubectl-smart recording/,
    );
    expect(await target.notesBetween(ALL)).toEqual([]);
    await target.close();
  });
});
