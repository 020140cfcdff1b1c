/**
 * A clone tests itself: no source, test, benchmark or script names a path that climbs out of the
 * repository (as the tests once read ../shared/realdata, which only existed beside CI's clone).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['src', 'test', 'bench', 'scripts', '.ci'];
const SKIPPED = new Set(['node_modules', 'fixtures', 'gen']);

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (/\.(ts|sh|go)$|^run$/.test(entry.name)) yield path;
  }
}

/** Relative paths in string literals (`'../../x'`, `` `../${y}` ``) that resolve above the root. */
function escapes(file: string, text = readFileSync(file, 'utf8')): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/['"`]((?:\.\.\/)+[^'"`$\s]*)/g)) {
    const literal = match[1] ?? '';
    const target = resolve(dirname(file), literal);
    if (relative(ROOT, target).startsWith('..')) found.push(`${relative(ROOT, file)}: ${literal}`);
  }
  return found;
}

describe('the repository is self-contained', () => {
  it('no file reads a path outside the repository', () => {
    const outside = SCANNED.flatMap((dir) =>
      [...filesUnder(join(ROOT, dir))].flatMap((file) => escapes(file)),
    );
    expect(outside).toEqual([]);
  });

  it('keeps every fixture in git: none is ignored (a *.log capture once was)', () => {
    const ignored = execFileSync(
      'git',
      ['ls-files', '--others', '--ignored', '--exclude-standard', 'test/fixtures'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(ignored).toBe('');
  });

  it('finds a planted read of ../shared, and passes one that stays inside', () => {
    const probe = join(ROOT, 'src/analyze/probe.test.ts');
    const planted = `readFileSync(new URL('${'../'.repeat(3)}shared/realdata/pods/x.json', import.meta.url))`;
    expect(escapes(probe, planted)).toEqual([
      'src/analyze/probe.test.ts: ../../../shared/realdata/pods/x.json',
    ]);
    expect(escapes(probe, "new URL('../../test/fixtures/realdata', import.meta.url)")).toEqual([]);
  });
});
