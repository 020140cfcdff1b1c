import { describe, expect, it } from 'vitest';
import type { FieldChange } from '../../core/change.js';
import { describeFieldChange } from './describe-field-change.js';

describe('describeFieldChange', () => {
  it('writes one field change as a line', () => {
    expect(
      [
        { path: 'spec.replicas', op: 'changed', old: 1, new: 3 },
        { path: 'metadata.labels.app', op: 'added', new: 'web' },
        { path: 'data.LOG_LEVEL', op: 'removed', old: 'info' },
        { path: 'data.password', op: 'changed' },
        { path: 'data["app.yaml"]', op: 'changed', old: 'a', new: 'x'.repeat(300) },
      ].map((change) => describeFieldChange(change as FieldChange)),
    ).toEqual([
      'spec.replicas: 1→3',
      'metadata.labels.app added: web',
      'data.LOG_LEVEL removed (was info)',
      'data.password changed',
      'data["app.yaml"]: a→(300 chars)',
    ]);
  });
});
