import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const moduleUrl = new URL('./long-running-heap.ts', import.meta.url).href;

/**
 * In a fresh process (V8 flags are per process): tunes the heap for `args`, then allocates as a
 * first list does (batches of objects alive together), and says how large the young generation got.
 */
function youngGenerationMbAfterBurst(args: readonly string[]): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { tuneHeapFor } = await import(${JSON.stringify(moduleUrl)});
    tuneHeapFor(${JSON.stringify(args)});
    const kept = [];
    for (let page = 0; page < 100; page++) {
      const objects = Array.from({ length: 20000 }, (_, i) => ({ name: 'pod-' + i, labels: { page } }));
      kept.push(objects[0]);
    }
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    process.stdout.write(String(young.space_size / 2 ** 20));
  `;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('.', import.meta.url)),
    }),
  );
}

describe('tuneHeapFor', () => {
  it('keeps the young generation of a recorder small through a burst', () => {
    // It starts at 2 MB and may take a step or two (4.5 MB seen); left to V8 it reaches 64 to 128 MB.
    expect(youngGenerationMbAfterBurst(['-A', 'record', '--store', '/tmp/x.db'])).toBeLessThan(16);
  });

  it('leaves one-shot commands to V8, which grows it for the burst', () => {
    expect(youngGenerationMbAfterBurst(['analyze', '-A'])).toBeGreaterThanOrEqual(32);
  });
});
