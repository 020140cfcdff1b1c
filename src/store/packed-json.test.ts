import { describe, expect, it } from 'vitest';
import { packJson, unpackJson } from './packed-json.js';

describe('packJson', () => {
  it('gives back exactly what it packed, in a fraction of the bytes', () => {
    const change = {
      fields: [
        { path: 'status.conditions[Ready].status', op: 'changed', old: 'True', new: 'False' },
        {
          path: 'status.containerStatuses[api].state.waiting',
          op: 'added',
          new: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=api' },
        },
        { path: 'status.containerStatuses[api].restartCount', op: 'changed', old: 3, new: 4 },
      ],
      summary: ['Ready True→False (ContainersNotReady)', 'container api restarts 3→4', 'ünïcödé ✓'],
      actor: { manager: 'kubelet', operation: 'Update', subresource: 'status' },
    };
    const packed = packJson(change);
    expect(unpackJson(packed)).toEqual(change);
    expect(packed[0]).toBe(1);
    expect(packed.length).toBeLessThan(JSON.stringify(change).length / 2);
  });

  it('refuses a format it does not know rather than guess', () => {
    const packed = packJson({ a: 1 });
    packed[0] = 9;
    expect(() => unpackJson(packed)).toThrow('stored value in unknown format 9');
  });
});
