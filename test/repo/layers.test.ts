/**
 * The layering rule of eslint.config.js fails the lint on an import that points up or sideways,
 * and passes one that points down. Each probe is a real file in src/ for the time of the test,
 * linted with the project's own configuration.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const probes: string[] = [];

/** The messages of no-restricted-imports on a probe file at `path` holding `text`. */
async function layerErrors(path: string, text: string): Promise<string[]> {
  const file = `${ROOT}${path}`;
  probes.push(file);
  writeFileSync(file, text);
  const [result] = await new ESLint({ cwd: ROOT }).lintFiles([file]);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

afterEach(() => {
  for (const file of probes.splice(0)) rmSync(file, { force: true });
});

describe('the layering rule', () => {
  it('refuses core importing the CLI', async () => {
    const errors = await layerErrors(
      'src/core/layer-probe-up.ts',
      "import { EXIT } from '../cli/exit-codes.js';\nexport const probe = EXIT.ok;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('src/core sits below');
  });

  it('refuses observe importing server (the agent takes its endpoint from the CLI)', async () => {
    const errors = await layerErrors(
      'src/observe/layer-probe-up.ts',
      "import { startOpsServer } from '../server/ops-server.js';\nexport const probe = startOpsServer;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('refuses a sibling of the same layer (analyze importing memory)', async () => {
    const errors = await layerErrors(
      'src/analyze/layer-probe-side.ts',
      "import { Recorder } from '../memory/recorder.js';\nexport const probe = Recorder;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('are one layer');
  });

  it('lets an import point down', async () => {
    const errors = await layerErrors(
      'src/diagnose/layer-probe-down.ts',
      "import { analyze } from '../analyze/analyze.js';\nexport const probe = analyze;\n",
    );
    expect(errors).toEqual([]);
  });
});
