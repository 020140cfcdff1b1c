import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function directory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smart-outbox-unit-'));
  dirs.push(dir);
  return dir;
}
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('Outbox', () => {
  it('keeps entries on disk in order until acknowledged, and a new outbox on the directory resumes them', () => {
    const dir = directory();
    const outbox = new Outbox({ directory: dir });
    outbox.put({ id: 'a', bytes: bytes('first') });
    outbox.put({ id: 'b', bytes: bytes('second') });
    outbox.put({ id: 'a', bytes: bytes('first again') });
    expect(outbox.depth).toBe(2);
    outbox.acknowledge('a');
    outbox.put({ id: 'c', bytes: bytes('third') });
    const resumed = new Outbox({ directory: dir });
    expect(resumed.peek(10).map((e) => [e.id, new TextDecoder().decode(e.bytes)])).toEqual([
      ['b', 'second'],
      ['c', 'third'],
    ]);
    resumed.put({ id: 'd', bytes: bytes('fourth') });
    expect(resumed.ids()).toEqual(['b', 'c', 'd']);
  });

  it('drops the oldest when full, by count or by bytes, and counts them', () => {
    const outbox = new Outbox({ directory: directory(), maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) outbox.put({ id, bytes: bytes(id) });
    expect(outbox.ids()).toEqual(['c', 'd', 'e']);
    expect(outbox.dropped).toBe(2);
    const small = new Outbox({ directory: directory(), maxBytes: 10 });
    small.put({ id: 'x', bytes: bytes('123456') });
    small.put({ id: 'y', bytes: bytes('123456') });
    expect(small.ids()).toEqual(['y']);
    expect(small.dropped).toBe(1);
  });

  it('throws away a half-written entry a crash left, and refuses an id that is not a file name', () => {
    const dir = directory();
    writeFileSync(join(dir, '0000000000000001-a.binpb.tmp'), 'half');
    const outbox = new Outbox({ directory: dir });
    expect(outbox.depth).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    expect(() => {
      outbox.put({ id: '../escape', bytes: bytes('x') });
    }).toThrow(/unusable incident id/);
  });

  it('wakes a waiting sender when an entry arrives, and on abort', async () => {
    const outbox = new Outbox({ directory: directory() });
    const stop = new AbortController();
    const waiting = outbox.whenNotEmpty(stop.signal);
    outbox.put({ id: 'a', bytes: bytes('a') });
    await waiting;
    outbox.acknowledge('a');
    const aborted = outbox.whenNotEmpty(stop.signal);
    stop.abort();
    await aborted;
    expect(outbox.depth).toBe(0);
  });
});
