/**
 * The registry is the one list of analyzers: every rule file is in it, each id once, each rule
 * with its own tests, and the table in docs/commands.md is made from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../core/kinds.js';
import { RULES } from './registry.js';
import type { AnyRule } from './rule.js';
import { RULES_DOC, tableRows } from '../../scripts/rule-table.js';

const RULES_DIR = new URL('./rules/', import.meta.url);
const ruleFiles = readdirSync(RULES_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

function isRule(value: unknown): value is AnyRule {
  return typeof value === 'object' && value !== null && 'id' in value && 'detect' in value;
}

describe('the rule registry', () => {
  it('holds every rule exported by a file of rules/, and nothing else', async () => {
    const exported: AnyRule[] = [];
    for (const file of ruleFiles) {
      const module = (await import(new URL(file, RULES_DIR).href)) as Record<string, unknown>;
      exported.push(...Object.values(module).filter(isRule));
    }
    expect(exported.length).toBe(ruleFiles.length);
    expect(new Set(RULES)).toEqual(new Set(exported));
  });

  it('gives each rule a unique id, a summary, a file named for it and tests beside it', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    const files = new Set(readdirSync(RULES_DIR));
    for (const rule of RULES) {
      expect(rule.summary.length, rule.id).toBeGreaterThan(10);
      expect(files.has(`${rule.id}.ts`), rule.id).toBe(true);
      expect(files.has(`${rule.id}.test.ts`), rule.id).toBe(true);
    }
  });

  it('names only kinds the build knows (the types check this; here for kinds built at run time)', () => {
    const known = new Set<string>([...KINDS.map((kind) => kind.kind), 'PodMetrics']);
    for (const rule of RULES)
      for (const kind of [...rule.kinds, ...rule.reads]) expect(known, rule.id).toContain(kind);
  });

  it('is what docs/commands.md lists, in order (npm run docs:rules remakes the table)', () => {
    expect(tableRows(readFileSync(RULES_DOC, 'utf8'))).toEqual(RULES.map((rule) => [rule.id, rule.summary]));
  });
});
