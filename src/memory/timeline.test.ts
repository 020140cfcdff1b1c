import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { timelineOf } from './timeline.js';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-timeline-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('timelineOf', () => {
  it('puts an event stamped to the second after the changes recorded within that second', async () => {
    const store = await openStore(join(dir, 'memory.db'));
    const pod = { kind: 'Pod', namespace: 'shop', name: 'api-1' };
    await store.record({
      changes: [
        {
          at: '2026-11-20T03:02:10.363Z',
          object: { ...pod, uid: 'p-1' },
          resourceVersion: '9',
          action: 'modified',
          fields: [{ path: 'status.phase', op: 'changed', old: 'Pending', new: 'Running' }],
          summary: ['phase Pending→Running'],
        },
      ],
      events: [
        {
          name: 'api-1.1',
          namespace: 'shop',
          type: 'Warning',
          reason: 'BackOff',
          message: 'Back-off restarting failed container api',
          involved: pod,
          count: 2,
          firstSeen: '2026-11-20T03:02:10Z',
          lastSeen: '2026-11-20T03:02:20Z',
        },
      ],
    });
    await store.addNote({
      atMs: Date.parse('2026-11-20T03:02:10.500Z'),
      object: pod,
      author: 'ana',
      text: 'looking',
    });
    const entries = await timelineOf(store, { object: pod, range: { from: 0, to: Number.MAX_SAFE_INTEGER } });
    expect(entries.map((e) => e.type)).toEqual(['change', 'note', 'event']);
    await store.close();
  });
});
