import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { findKind, type KindInfo } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import type { WatchKindHandlers, WatchKindOptions } from '../kube/source.js';
import type { MemoryStore } from '../store/memory-store.js';
import { StoreFullError } from '../store/store-full-error.js';
import { openStore } from '../store/open-store.js';
import { AuditIndex } from './audit-attribution.js';
import { loadStateAt } from './reconstruct.js';
import { Recorder, type KindFollower } from './recorder.js';
import { digestDataValue } from './secret-digest.js';
import { copy, realDeployment, written } from '../../test/support/memory-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-recorder-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let stores = 0;
const freshPath = (): string => join(dir, String(++stores), 'memory.db');

const T0 = Date.parse('2026-11-20T03:00:00Z');
const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };
const kind = (name: string): KindInfo => findKind(name)!;

/** A follower the test drives: it hands out each kind's handlers and holds the watch open until stopped. */
class ScriptedFollower implements KindFollower {
  readonly started = new Map<string, { options: WatchKindOptions; handlers: WatchKindHandlers }>();
  readonly #waiting: (() => void)[] = [];

  watchKind(info: KindInfo, options: WatchKindOptions, handlers: WatchKindHandlers): Promise<void> {
    this.started.set(info.kind, { options, handlers });
    for (const wake of this.#waiting.splice(0)) wake();
    return new Promise((resolve) => {
      options.signal.addEventListener('abort', () => {
        resolve();
      });
    });
  }

  async handlers(name: string): Promise<
    WatchKindHandlers & {
      redact: (o: KubeObject) => KubeObject;
      /** A whole list as the API server pages it, here one object a page. */
      list: (objects: readonly KubeObject[], version: string) => void;
    }
  > {
    while (!this.started.has(name)) await new Promise<void>((wake) => this.#waiting.push(wake));
    const { options, handlers } = this.started.get(name)!;
    const list = (objects: readonly KubeObject[], version: string): void => {
      for (const object of objects) handlers.onListPage([object], false);
      if (objects.length === 0) handlers.onListPage([], false);
      handlers.onListEnd(version);
    };
    return { ...handlers, redact: options.redact ?? ((o) => o), list };
  }
}

/** A small cap, and ConfigMaps big enough to reach it soon. */
const CAP = 256 * 1024;
/** 2 KB that do not compress (the store packs what it keeps), the same for the same `i`. */
const noise = (i: number): string =>
  Array.from({ length: 32 }, (_, k) =>
    createHash('sha512')
      .update(`${String(i)}/${String(k)}`)
      .digest('base64'),
  )
    .join('')
    .slice(0, 2000);
const big = (i: number): KubeObject => configMap({ BLOB: `${String(i)}-${noise(i)}` }, String(i + 1));

const configMap = (data: Record<string, string>, resourceVersion: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'api-config', namespace: 'shop', uid: 'cm-1', resourceVersion },
  data,
});

/** Runs a recorder over `store` while `script` drives the follower, then stops it. */
async function recordWith(
  store: MemoryStore,
  options: {
    kinds: string[];
    knownObjects?: KubeObject[];
    audit?: AuditIndex;
    now?: () => number;
    maxBytes?: number;
  },
  script: (follower: ScriptedFollower, tick: (ms: number) => void) => Promise<void>,
): Promise<Awaited<ReturnType<Recorder['run']>>> {
  const follower = new ScriptedFollower();
  let nowMs = T0;
  const recorder = new Recorder({
    follower,
    store,
    kinds: options.kinds.map(kind),
    clock: () => new Date(options.now?.() ?? nowMs),
    flushEveryMs: 5,
    auditDelayMs: 0,
    ...(options.knownObjects === undefined ? {} : { knownObjects: options.knownObjects }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.audit === undefined ? {} : { audit: { index: options.audit, refresh: () => undefined } }),
  });
  const stop = new AbortController();
  const running = recorder.run(stop.signal);
  // It may fail while the script still runs; the caller sees the rejection when it awaits.
  running.catch(() => undefined);
  await script(follower, (ms) => (nowMs += ms));
  stop.abort();
  return running;
}

describe('Recorder', () => {
  it('checkpoints what exists at first sight, then records each change as a field diff with its summary', async () => {
    const store = await openStore(freshPath());
    const stats = await recordWith(store, { kinds: ['ConfigMap'] }, async (follower, tick) => {
      const h = await follower.handlers('ConfigMap');
      h.list([configMap({ CACHE_SIZE: '512Mi' }, '10')], '10');
      tick(60_000);
      h.onChange('MODIFIED', configMap({ CACHE_SIZE: 'lots' }, '11'));
      tick(60_000);
      h.onChange('DELETED', configMap({ CACHE_SIZE: 'lots' }, '12'));
    });
    const ref = { kind: 'ConfigMap', namespace: 'shop', name: 'api-config' };
    const changes = await store.changesOf(ref, ALL);
    expect(changes.map((c) => [c.action, c.resourceVersion, c.at])).toEqual([
      ['modified', '11', new Date(T0 + 60_000).toISOString()],
      ['deleted', '12', new Date(T0 + 120_000).toISOString()],
    ]);
    expect(changes[0]?.fields).toEqual([
      { path: 'data.CACHE_SIZE', op: 'changed', old: '512Mi', new: 'lots' },
    ]);
    expect(changes[0]?.summary.join(' ')).toContain('CACHE_SIZE');
    const checkpoint = await store.checkpointsBefore(T0 + 1, 'shop');
    expect(checkpoint.map((c) => [c.atMs, c.object.data])).toEqual([[T0, { CACHE_SIZE: '512Mi' }]]);
    expect(await store.cursor('configmaps')).toBe('12');
    expect(stats).toMatchObject({ changes: 2, checkpoints: 1, objects: 0 });
    await store.close();
  });

  it('resumes from its cursor, and after a 410 relist records what changed and was deleted in the gap', async () => {
    const path = freshPath();
    const first = await openStore(path);
    await recordWith(first, { kinds: ['ConfigMap'] }, async (follower) => {
      const h = await follower.handlers('ConfigMap');
      h.list(
        [
          configMap({ CACHE_SIZE: '512Mi' }, '10'),
          {
            ...configMap({}, '9'),
            metadata: { name: 'old', namespace: 'shop', uid: 'cm-old', resourceVersion: '9' },
          },
        ],
        '10',
      );
    });
    await first.close();

    const store = await openStore(path);
    const known = (await store.checkpointsBefore(Number.MAX_SAFE_INTEGER)).map((c) => c.object);
    let resumedFrom: string | undefined;
    await recordWith(store, { kinds: ['ConfigMap'], knownObjects: known }, async (follower, tick) => {
      const h = await follower.handlers('ConfigMap');
      resumedFrom = follower.started.get('ConfigMap')?.options.resumeFrom;
      tick(30_000);
      // The server compacted past the cursor: the follower relists. `old` is gone, api-config changed.
      h.list([configMap({ CACHE_SIZE: '1Gi' }, '40')], '41');
    });
    expect(resumedFrom).toBe('10');
    const changes = await store.changesBetween(ALL, 'shop');
    expect(changes.map((c) => [c.object.name, c.action])).toEqual([
      ['api-config', 'modified'],
      ['old', 'deleted'],
    ]);
    expect(changes[0]?.fields).toEqual([
      { path: 'data.CACHE_SIZE', op: 'changed', old: '512Mi', new: '1Gi' },
    ]);
    expect(await store.cursor('configmaps')).toBe('41');
    await store.close();
  });

  it('takes a list that started over between pages for what exists: an object only its older pages named was deleted', async () => {
    const store = await openStore(freshPath());
    const named = (name: string, resourceVersion: string): KubeObject => ({
      ...configMap({ A: name }, resourceVersion),
      metadata: { name, namespace: 'shop', uid: `${name}-uid`, resourceVersion },
    });
    await recordWith(store, { kinds: ['ConfigMap'] }, async (follower) => {
      const h = await follower.handlers('ConfigMap');
      h.onListPage([named('a', '5'), named('b', '6')], false);
      // The continue token expired; the list started over after a was deleted and c created.
      h.onListPage([named('b', '6'), named('c', '9')], true);
      h.onListEnd('9');
    });
    const changes = await store.changesBetween(ALL, 'shop');
    expect(changes.map((c) => [c.object.name, c.action])).toEqual([['a', 'deleted']]);
    const now = await loadStateAt(store, { atMs: Number.MAX_SAFE_INTEGER });
    expect(now.map((o) => o.metadata.name).sort()).toEqual(['b', 'c']);
    await store.close();
  });

  it('stores a change seen twice (a watch replayed after a crash) once', async () => {
    const store = await openStore(freshPath());
    await recordWith(store, { kinds: ['ConfigMap'] }, async (follower) => {
      const h = await follower.handlers('ConfigMap');
      h.list([configMap({ A: '1' }, '10')], '10');
      h.onChange('MODIFIED', configMap({ A: '2' }, '11'));
    });
    const known = [configMap({ A: '1' }, '10')];
    await recordWith(store, { kinds: ['ConfigMap'], knownObjects: known }, async (follower) => {
      const h = await follower.handlers('ConfigMap');
      h.onChange('MODIFIED', configMap({ A: '2' }, '11'));
    });
    expect((await store.changesBetween(ALL)).map((c) => c.resourceVersion)).toEqual(['11']);
    await store.close();
  });

  it('keeps a Secret change visible by its digest, and its value nowhere in the store', async () => {
    const path = freshPath();
    const store = await openStore(path);
    const secret = (password: string, rv: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop', uid: 's-1', resourceVersion: rv },
      data: { password: Buffer.from(password).toString('base64') },
    });
    await recordWith(store, { kinds: ['Secret'] }, async (follower) => {
      const h = await follower.handlers('Secret');
      // The follower applies the recorder's redaction before any handler sees an object.
      h.list([h.redact(secret('hunter2-first', '5'))], '5');
      h.onChange('MODIFIED', h.redact(secret('hunter2-second', '6')));
    });
    const [change] = await store.changesBetween(ALL);
    const key = await store.digestKey();
    const digest = (value: string): string | undefined =>
      digestDataValue('Secret', 'data', Buffer.from(value).toString('base64'), key);
    expect(change?.fields).toEqual([
      { path: 'data.password', op: 'changed', old: digest('hunter2-first'), new: digest('hunter2-second') },
    ]);
    expect(digest('hunter2-first')).toMatch(/^hmac:[0-9a-f]{16}$/);
    await store.close();
    const bytes = readdirSync(join(path, '..'))
      .map((file) => readFileSync(join(path, '..', file)).toString('latin1'))
      .join('');
    for (const value of ['hunter2-first', 'hunter2-second']) {
      expect(bytes).not.toContain(value);
      expect(bytes).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  it('names the audit log user who made a change', async () => {
    const store = await openStore(freshPath());
    const before = realDeployment('coredns');
    const after = copy(before);
    (after['spec'] as { replicas: number }).replicas = 5;
    written(after, '900', 'kubectl-scale', new Date(T0).toISOString());
    const audit = new AuditIndex();
    audit.add({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: 'a-1',
      stage: 'ResponseComplete',
      verb: 'patch',
      user: { username: 'alice@example.com' },
      objectRef: {
        resource: 'deployments',
        namespace: 'kube-system',
        name: 'coredns',
        apiGroup: 'apps',
        subresource: 'scale',
      },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: new Date(T0 - 200).toISOString(),
      stageTimestamp: new Date(T0 - 100).toISOString(),
      sourceIPs: ['10.0.0.7'],
      userAgent: 'kubectl/v1.30.2',
    });
    await recordWith(store, { kinds: ['Deployment'], audit }, async (follower) => {
      const h = await follower.handlers('Deployment');
      h.list([before], '800');
      h.onChange('MODIFIED', after);
    });
    const [change] = await store.changesOf(
      { kind: 'Deployment', namespace: 'kube-system', name: 'coredns' },
      ALL,
    );
    expect(change?.actor).toMatchObject({ user: 'alice@example.com', userAgent: 'kubectl/v1.30.2' });
    expect(change?.summary.join(' ')).toMatch(/scaled 2→5|replicas/);
    await store.close();
  });

  it('stops with the store’s one-line error when a write fails, and does not lose what was written before', async () => {
    const path = freshPath();
    const store = await openStore(path);
    const failing: MemoryStore = {
      ...store,
      location: store.location,
      digestKey: () => store.digestKey(),
      cursor: (scope) => store.cursor(scope),
      checkpoint: (atMs, objects) => store.checkpoint(atMs, objects),
      prune: (beforeMs) => store.prune(beforeMs),
      record: (batch) =>
        (batch.changes?.length ?? 0) > 0
          ? Promise.reject(
              new AppError('store', 'cannot write to the memory store at X: database or disk is full'),
            )
          : store.record(batch),
    };
    const error = await recordWith(failing, { kinds: ['ConfigMap'] }, async (follower) => {
      const h = await follower.handlers('ConfigMap');
      h.list([configMap({ A: '1' }, '10')], '10');
      await new Promise((resolve) => setTimeout(resolve, 30));
      h.onChange('MODIFIED', configMap({ A: '2' }, '11'));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('disk is full');
    expect(await store.cursor('configmaps')).toBe('10');
    expect((await store.checkpointsBefore(Number.MAX_SAFE_INTEGER)).length).toBe(1);
    await store.close();
  });
  it('keeps what arrives while a batch is being written', async () => {
    const store = await openStore(freshPath());
    let release: () => void = () => undefined;
    let writing: () => void = () => undefined;
    const firstWrite = new Promise<void>((resolve) => (writing = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slow: MemoryStore = {
      ...store,
      location: store.location,
      digestKey: () => store.digestKey(),
      cursor: (scope) => store.cursor(scope),
      checkpoint: (atMs, objects) => store.checkpoint(atMs, objects),
      prune: (beforeMs) => store.prune(beforeMs),
      record: async (batch) => {
        if ((batch.changes?.length ?? 0) > 0 && calls++ === 0) {
          writing();
          await held;
        }
        return store.record(batch);
      },
    };
    await recordWith(slow, { kinds: ['ConfigMap'] }, async (follower) => {
      const h = await follower.handlers('ConfigMap');
      h.list([configMap({ A: '1' }, '10')], '10');
      h.onChange('MODIFIED', configMap({ A: '2' }, '11'));
      await firstWrite;
      h.onChange('MODIFIED', configMap({ A: '3' }, '12'));
      release();
    });
    expect((await store.changesBetween(ALL)).map((c) => c.resourceVersion)).toEqual(['11', '12']);
    expect(await store.cursor('configmaps')).toBe('12');
    await store.close();
  });

  it('stays under its size cap by dropping the oldest history, and can still replay the present', async () => {
    const path = freshPath();
    const store = await openStore(path, { maxBytes: CAP });
    const DAY = 24 * 3_600_000;
    let now = T0 - 10 * DAY;
    // Ten days of edits, four hours apart: several times what the cap holds.
    await recordWith(store, { kinds: ['ConfigMap'], now: () => now, maxBytes: CAP }, async (follower) => {
      const h = await follower.handlers('ConfigMap');
      h.list([big(0)], '1');
      for (let i = 1; i <= 60; i++) {
        now += DAY / 6;
        h.onChange('MODIFIED', big(i));
        await new Promise((resolve) => setTimeout(resolve, 8));
      }
    });
    expect(await store.sizeBytes()).toBeLessThan(CAP);
    const kept = await store.changesBetween(ALL);
    expect(Date.parse(kept[0]?.at ?? '')).toBeGreaterThan(T0 - 5 * DAY);
    expect(kept.at(-1)?.resourceVersion).toBe('61');
    const [present] = await loadStateAt(store, { atMs: now });
    expect(present?.['data']).toEqual(big(60)['data']);
    await store.close();
  });

  it('stops with one line when even the last ten minutes do not fit, and the store opens whole', async () => {
    const path = freshPath();
    const store = await openStore(path, { maxBytes: CAP });
    let now = T0;
    const error = await recordWith(
      store,
      { kinds: ['ConfigMap'], now: () => now, maxBytes: CAP },
      async (follower) => {
        const h = await follower.handlers('ConfigMap');
        h.list([big(0)], '1');
        for (let i = 1; i <= 300; i++) {
          now += 1000;
          h.onChange('MODIFIED', big(i));
          if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 8));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreFullError);
    expect((error as Error).message).toMatch(
      /^the memory store at .* is full \(database or disk is full\); free disk space, lower --retention, or raise --max-size \(what was written before is intact\)$/,
    );
    await store.close();
    const reopened = await openStore(path);
    const kept = await reopened.changesBetween(ALL);
    expect(kept.length).toBeGreaterThan(10);
    // Each batch went in whole with its cursor: the cursor is where the kept changes end.
    expect(await reopened.cursor('configmaps')).toBe(kept.at(-1)?.resourceVersion);
    await reopened.close();
  });
});
