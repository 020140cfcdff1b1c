import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/errors.js';
import { importRecording } from '../../memory/recording-file.js';
import { openStore } from '../../store/open-store.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { paletteFor } from '../render/palette.js';
import { replayCommand } from './replay.js';
import { timelineCommand } from './timeline.js';
import { whyCommand } from './why.js';

/** The recording `scripts/capture-demo.ts` made on the real control plane; shipped in the package. */
const RECORDING = fileURLToPath(new URL('../../../examples/demo/recording.jsonl', import.meta.url));
const NS = 'shop';

export interface DemoFlags {
  /** Keep the demo's store and say where, to explore it further. */
  readonly keep?: boolean;
}

/**
 * `kubectl smart demo`: the memory tier with no cluster at all. Imports the bundled recording of a
 * real outage into a temporary store, then walks through it: the story (`replay --at`), what
 * happened to the ConfigMap (`timeline`), and every value of the key that broke it (`why`).
 */
export async function demoCommand(flags: DemoFlags, io: Io): Promise<ExitCode> {
  let text: string;
  try {
    text = readFileSync(RECORDING, 'utf8');
  } catch {
    throw new AppError(
      'internal',
      `the demo recording is missing from this installation (${RECORDING}); reinstall kubectl-smart`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-demo-'));
  const store = join(dir, 'memory.db');
  try {
    const opened = await openStore(store);
    let lastChangeMs = 0;
    try {
      await importRecording(opened, text, RECORDING);
      const changes = await opened.changesBetween({ from: 0, to: Number.MAX_SAFE_INTEGER }, NS);
      lastChangeMs = Date.parse(changes.at(-1)?.at ?? '');
    } finally {
      await opened.close();
    }
    const at = new Date(lastChangeMs + 1000).toISOString();
    const palette = paletteFor(io.stdoutIsTty, io.env);
    const memory = { store, alphaMemory: true, namespace: NS };
    const step = (title: string, command: string): void => {
      io.stdout(`\n${palette.bold(`# ${title}`)}\n${palette.dim(`$ kubectl smart ${command}`)}\n\n`);
    };
    io.stdout(
      `${palette.bold('kubectl smart demo')}: a recording of an outage on a real control plane (namespace ${NS}), replayed with no cluster.\n`,
    );
    step(
      `1. The story: what changed in the hour before ${at}, then the cluster as it was, analysed`,
      `replay --at ${at} -n ${NS}`,
    );
    await replayCommand({ ...memory, at, window: '1h', output: 'text' }, io);
    step('2. What happened to the ConfigMap the root cause names', `timeline configmap/api-config -n ${NS}`);
    await timelineCommand(['configmap/api-config'], { ...memory, output: 'text' }, io);
    step(
      '3. Every value its key has had, who set it, why, and what the team noted',
      `why configmap/api-config -n ${NS} --field data.CACHE_SIZE`,
    );
    await whyCommand(['configmap/api-config'], { ...memory, field: 'data.CACHE_SIZE', output: 'text' }, io);
    io.stdout(
      flags.keep === true
        ? `\nThe demo store is kept at ${store}: add --store ${store} --alpha-memory to timeline, why, replay or analyze --at.\n`
        : `\nOn a cluster: kubectl smart record --alpha-memory -A (see docs/memory.md). Run demo --keep to explore this recording further.\n`,
    );
    return EXIT.ok;
  } finally {
    if (flags.keep !== true) rmSync(dir, { recursive: true, force: true });
  }
}
