import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Io } from './io.js';
import { withProgress } from './progress.js';

const ioWith = (stderrIsTty: boolean, written: string[]): Io => ({
  stdout: () => undefined,
  stderr: (text) => written.push(text),
  env: {},
  stdoutIsTty: false,
  stderrIsTty,
  signal: new AbortController().signal,
  readStdin: () => '',
});

afterEach(() => {
  vi.useRealTimers();
});

describe('withProgress', () => {
  it('draws a spinner on a terminal only after a second, and erases it', async () => {
    vi.useFakeTimers();
    const written: string[] = [];
    let finish: (value: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const result = withProgress(ioWith(true, written), 'reading cluster', work);
    await vi.advanceTimersByTimeAsync(900);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(written.at(-1)).toMatch(/^\r. reading cluster$/);
    finish('done');
    expect(await result).toBe('done');
    expect(written.at(-1)).toBe(`\r${' '.repeat('reading cluster'.length + 2)}\r`);
  });

  it('never writes when stderr is not a terminal, and passes errors through', async () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const failing = withProgress(ioWith(false, written), 'reading', Promise.reject(new Error('boom')));
    await expect(failing).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(5000);
    expect(written).toEqual([]);
  });
});
