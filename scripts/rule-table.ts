/**
 * The table of analyzers in docs/commands.md, made from each rule's `summary` in the registry's order, so
 * the documentation cannot drift from the build. `npm run docs:rules` rewrites the table between
 * its markers in docs/commands.md from the built registry and pads it with prettier;
 * src/analyze/registry.test.ts checks it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AnyRule } from '../src/analyze/rule.ts';

export const RULES_DOC = fileURLToPath(new URL('../docs/commands.md', import.meta.url));
export const TABLE_START = '<!-- rules:start (made by scripts/rule-table.ts) -->';
export const TABLE_END = '<!-- rules:end -->';

/** The table as markdown, one row per rule. */
export function ruleTable(rules: readonly AnyRule[]): string {
  const rows = rules.map((rule) => `| \`${rule.id}\` | ${rule.summary} |`);
  return ['| rule | finds |', '| --- | --- |', ...rows].join('\n');
}

/** The rows of the table in a document, as [id, summary] with the padding trimmed. */
export function tableRows(readme: string): [string, string][] {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return [];
  return readme
    .slice(start + TABLE_START.length, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, id = '', summary = ''] = line.split('|').map((cell) => cell.trim());
      return [id.replaceAll('`', ''), summary];
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The built registry: src/ imports with .js suffixes, which node resolves only in dist/.
  const registry = new URL('../dist/analyze/registry.js', import.meta.url).href;
  const { RULES } = (await import(registry)) as { RULES: readonly AnyRule[] };
  const readme = readFileSync(RULES_DOC, 'utf8');
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/commands.md has no ${TABLE_START} … ${TABLE_END}`);
  writeFileSync(
    RULES_DOC,
    `${readme.slice(0, start + TABLE_START.length)}\n\n${ruleTable(RULES)}\n\n${readme.slice(end)}`,
  );
}
