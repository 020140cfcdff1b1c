import { describe, expect, it } from 'vitest';
import type { Change } from './change.js';
import { ChangeHistory } from './change-history.js';

const change = (kind: string, name: string, at: string): Change => ({
  at,
  object: { kind, namespace: 'shop', name },
  action: 'modified',
  fields: [{ path: 'spec.replicas', op: 'changed', old: 2, new: 3 }],
  summary: ['scaled 2→3'],
});

describe('ChangeHistory', () => {
  it('gives each object its changes oldest first, and every object in the order of its key', () => {
    const history = new ChangeHistory([
      change('Deployment', 'web', '2026-11-20T03:02:00.000Z'),
      change('ConfigMap', 'api', '2026-11-20T03:01:00.000Z'),
      change('Deployment', 'web', '2026-11-20T03:00:00.000Z'),
    ]);
    expect(
      history.changesOf({ kind: 'Deployment', namespace: 'shop', name: 'web' }).map((c) => c.at),
    ).toEqual(['2026-11-20T03:00:00.000Z', '2026-11-20T03:02:00.000Z']);
    expect([...history.byObject()].map((changes) => [changes[0]?.object.name, changes.length])).toEqual([
      ['api', 1],
      ['web', 2],
    ]);
  });
});
