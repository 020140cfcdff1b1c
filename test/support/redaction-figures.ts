/**
 * Measures a redactor on the corpus (secret-corpus.ts): which planted secrets leak, and how much
 * benign material it redacts for nothing. Shared by the corpus test and `npm run bench`.
 */
import type { KubeObject } from '../../src/core/kube-object.js';
import type { Redactor } from '../../src/observe/redact/redactor.js';
import { benignCorpus, secretCorpus, type PlantedSecret } from './secret-corpus.ts';

export interface RedactionFigures {
  readonly planted: number;
  readonly leaks: readonly PlantedSecret[];
  /** Strings of benign objects, benign log lines and event messages. */
  readonly benignUnits: number;
  /** Of those, how many came out changed. */
  readonly falselyRedacted: number;
  readonly falseRate: number;
  /** A few of the benign texts it changed, to read when the rate moves. */
  readonly falseSamples: readonly string[];
}

/** A stretch of secret this long found in the output is a leak (the whole secret when shorter). */
const WINDOW = 12;

/**
 * `makeRedactor` makes a fresh redactor (the tests pass the source's, the bench the built one's,
 * since plain Node cannot import the TypeScript sources by their `.js` names).
 */
export function measureRedaction(makeRedactor: () => Redactor): RedactionFigures {
  const corpus = secretCorpus();
  const redactor = makeRedactor();
  const output = [
    ...corpus.objects.map((object) => JSON.stringify(redactor.object(object))),
    ...corpus.logs.map((log) => redactor.text(log, 'log')),
    ...corpus.events.map((message) => redactor.text(message, 'event')),
  ].join('\n');
  const leaks = corpus.planted.filter((planted) => windows(planted.secret).some((w) => output.includes(w)));

  const benign = benignCorpus();
  const clean = makeRedactor();
  let units = 0;
  let changed = 0;
  const samples: string[] = [];
  const note = (before: string, after: string): void => {
    units++;
    if (before === after) return;
    changed++;
    if (samples.length < 10) samples.push(`${before.slice(0, 160)}  →  ${after.slice(0, 160)}`);
  };
  for (const object of benign.objects) compareLeaves(object, clean.object(object), note);
  for (const log of benign.logs) for (const line of log.split('\n')) note(line, clean.text(line, 'log'));
  for (const message of benign.events) note(message, clean.text(message, 'event'));
  return {
    planted: corpus.planted.length,
    leaks,
    benignUnits: units,
    falselyRedacted: changed,
    falseRate: units === 0 ? 0 : changed / units,
    falseSamples: samples,
  };
}

function windows(secret: string): string[] {
  if (secret.length <= WINDOW) return [secret];
  return Array.from({ length: secret.length - WINDOW + 1 }, (_, i) => secret.slice(i, i + WINDOW));
}

function compareLeaves(before: unknown, after: unknown, note: (before: string, after: string) => void): void {
  if (typeof before === 'string') {
    note(before, typeof after === 'string' ? after : JSON.stringify(after));
    return;
  }
  if (typeof before !== 'object' || before === null) return;
  const other = (after ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(before as KubeObject)) compareLeaves(value, other[key], note);
}
