import { setFlagsFromString } from 'node:v8';

/** Commands that run for days; the rest answer and exit. */
const LONG_RUNNING_COMMANDS = new Set(['record', 'agent']);

/**
 * Tunes the heap of a process that runs for days for memory, not peak throughput. V8's defaults
 * suit a short burst: the young generation grows over the first list of 10,000 pods and stays
 * grown, and the old generation may grow up to fourfold past what is live before it is
 * collected. A large young generation also means rare scavenges, so the buffers of responses and
 * watch lines (outside the heap, freed only when their wrappers are collected) pile up between
 * them. With the young generation kept small (near its start size) and the old one collected
 * once it is half as large again as what was live, the recorder over 10,000 pods stays well under 200 MB
 * (`npm run bench:recorder`, figures in the README), and the ingest benchmark lost 5% of its rate.
 *
 * Both are read whenever V8 considers growing, so they can be set here, before the CLI loads;
 * start-up-only flags (`--max-semi-space-size`) remain for NODE_OPTIONS. The arguments are only
 * glanced at: a namespace named `record` costs a one-shot command no more than a few scavenges.
 */
export function tuneHeapFor(args: readonly string[]): void {
  if (!args.some((arg) => LONG_RUNNING_COMMANDS.has(arg))) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--heap-growing-percent=50');
}
