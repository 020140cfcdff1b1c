import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findKind } from '../core/kinds.js';
import { FilesSource } from '../kube/files/files-source.js';
import { diagnose } from './diagnose.js';

const example = fileURLToPath(new URL('../../examples/shop-outage', import.meta.url));

describe('diagnose with a label selector', () => {
  const input = { source: new FilesSource({ paths: [example] }), namespace: 'shop', tailLines: 0 };

  it('analyzes the matching objects and what bears on them, and says what it selected', async () => {
    const payments = await diagnose({ ...input, selector: { matchLabels: { app: 'payments' } } });
    expect(payments.selector).toBe('app=payments');
    expect(payments.problems.map((p) => p.rootCause.message)).toEqual([
      'Secret regcred does not exist, and pods reference it',
    ]);
    const everything = await diagnose(input);
    expect(everything.problems.length).toBeGreaterThan(payments.problems.length);
  });

  it('keeps to one kind when given, and says when nothing matches', async () => {
    const statefulSet = findKind('sts');
    const db = await diagnose({
      ...input,
      selector: { matchLabels: { app: 'db' } },
      ...(statefulSet === undefined ? {} : { selectorKind: statefulSet }),
    });
    expect(db.problems).toEqual([]);
    expect(db.objectsAnalyzed).toBeGreaterThan(0);
    await expect(diagnose({ ...input, selector: { matchLabels: { app: 'nothing' } } })).rejects.toThrow(
      'no object matches -l app=nothing in namespace shop',
    );
  });
});
