import type { Io } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SHOW_AFTER_MS = 1000;

/**
 * Runs `work`, and if it takes over a second draws a spinner with `label` on stderr (a terminal
 * only), erased when done. Data on stdout is untouched, so `-o json | jq` keeps working.
 */
export async function withProgress<T>(io: Io, label: string, work: Promise<T>): Promise<T> {
  if (!io.stderrIsTty) return work;
  let frame = 0;
  let interval: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    interval = setInterval(() => {
      io.stderr(`\r${FRAMES[frame++ % FRAMES.length] ?? ''} ${label}`);
    }, 80);
  }, SHOW_AFTER_MS);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    if (interval !== undefined) {
      clearInterval(interval);
      io.stderr(`\r${' '.repeat(label.length + 2)}\r`);
    }
  }
}
