import { describe, expect, it } from 'vitest';
import { measureRedaction } from '../../../test/support/redaction-figures.ts';
import { Redactor } from './redactor.js';

describe('redaction against the corpus of planted secrets', () => {
  it('lets none of at least 200 planted secrets through, and redacts little benign material', () => {
    const figures = measureRedaction(() => new Redactor());
    // Printed so a run shows the figures (npm run bench prints them too).
    process.stdout.write(
      `redaction corpus: ${String(figures.planted)} planted secrets, ${String(figures.leaks.length)} leaked; ` +
        `false redactions ${String(figures.falselyRedacted)} of ${String(figures.benignUnits)} benign texts ` +
        `(${(figures.falseRate * 100).toFixed(2)}%)\n`,
    );
    expect(figures.planted).toBeGreaterThanOrEqual(200);
    expect(figures.leaks.map((leak) => `${leak.format} in ${leak.location}`)).toEqual([]);
    expect(
      figures.falseSamples.length === 0 || figures.falseRate < 0.01,
      figures.falseSamples.join('\n'),
    ).toBe(true);
  });

  it('would see a leak: without key patterns and the entropy catch-all, secrets under secret names get through', () => {
    const figures = measureRedaction(() => new Redactor({ keyPatterns: [], highEntropy: false }));
    expect(figures.leaks.map((leak) => leak.format)).toEqual(
      expect.arrayContaining(['password', 'hex-secret', 'random-base64']),
    );
  });
});
