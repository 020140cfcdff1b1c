/**
 * Runs the tests against the real control plane (vitest.cluster.config.ts). They build Kubernetes
 * from Go modules, so they need Go: without it they are skipped with one line, except under
 * CI=true, where they are required and a missing Go fails the run.
 */
import { spawnSync } from 'node:child_process';

const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasGo) {
  if (process.env.CI === 'true') {
    process.stderr.write(
      'cluster tests: no Go toolchain on PATH, and CI=true requires them; install Go 1.26 or newer\n',
    );
    process.exit(1);
  }
  process.stdout.write(
    'cluster tests skipped: no Go toolchain on PATH (they build a real control plane from Go modules)\n',
  );
  process.exit(0);
}
const vitest = new URL('../node_modules/vitest/vitest.mjs', import.meta.url).pathname;
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--config', 'vitest.cluster.config.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
