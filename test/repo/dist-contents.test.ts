/**
 * The build ships the program, not its tests: no test, test support or vitest import in dist/
 * (test support once lived in src/ and was compiled into the package).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

function* jsFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}

describe('dist/', () => {
  it('holds no test and imports no test runner', () => {
    const files = [...jsFiles(DIST)];
    expect(files.length).toBeGreaterThan(100);
    const shipped = files
      .filter(
        (file) =>
          /\.test\.js$|contract|fixture|test-context/.test(file) ||
          /from ['"]vitest['"]/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(DIST, file));
    expect(shipped).toEqual([]);
  });
});
