/**
 * `kubectl smart demo`: the bundled recording (captured from the real control plane by
 * scripts/capture-demo.ts) replayed with no cluster, as a newcomer first runs it.
 */
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('kubectl smart demo', () => {
  it('replays the recorded outage: the edit as root cause, the crash loop under it, the key’s history and note', async () => {
    const result = await runCli(['demo'], { env: { NO_COLOR: '1' } });
    expect(result.code, result.stderr).toBe(0);
    const [story = '', rest = ''] = result.stdout.split('ROOT CAUSE');
    expect(story).toMatch(
      /ConfigMap\/api-config {2}ConfigMap key CACHE_SIZE: 512Mi→lots.*\(by kubernetes-admin\) {2}because: bigger cache for the holiday sale/,
    );
    expect(story).toMatch(/Deployment\/api {2}rollout restart {2}\(by kubernetes-admin\)/);
    const rootCause = rest.split('\n').slice(0, 8).join('\n');
    expect(rootCause).toMatch(
      /1\. \[critical\] ConfigMap\/api-config: ConfigMap api-config key changed: CACHE_SIZE "512Mi" → "lots" \(by kubernetes-admin\)/,
    );
    expect(rootCause).toContain('↳ container api keeps crashing (exit code 1, application error)');
    expect(rest).toContain('container worker is killed for using more memory than its limit (64Mi)');
    expect(rest).toContain(
      `kubectl -n shop patch configmap api-config --type=merge -p '{"data":{"CACHE_SIZE":"512Mi"}}'`,
    );
    // The scene's client sent no fieldManager, so the API server's placeholder manager `unknown` is not shown.
    expect(result.stdout).toMatch(
      /changed {3}"lots" {2}by kubernetes-admin {2}because: bigger cache for the holiday sale/,
    );
    expect(result.stdout).not.toContain('(unknown)');
    expect(result.stdout).toContain(
      'sre-oncall: CACHE_SIZE is a Kubernetes quantity (512Mi, 1Gi): the api refuses anything else',
    );
  });

  it('keeps its store with --keep, and the memory commands read it', async () => {
    const result = await runCli(['demo', '--keep'], { env: { NO_COLOR: '1' } });
    expect(result.code, result.stderr).toBe(0);
    const store = /The demo store is kept at (\S+):/.exec(result.stdout)?.[1];
    expect(store).toBeDefined();
    try {
      expect(existsSync(store!)).toBe(true);
      const why = await runCli(
        [
          'why',
          'cm/api-config',
          '-n',
          'shop',
          '--field',
          'data.CACHE_SIZE',
          '--store',
          store!,
          '--alpha-memory',
        ],
        { env: { NO_COLOR: '1' } },
      );
      expect(why.code, why.stderr).toBe(0);
      expect(why.stdout).toContain('"512Mi"');
      // The recording is of namespace shop: it holds no Node, so `deps --at` cannot say the pods'
      // nodes are missing (issue #16: it did, from the `nodes` scope the file's header named).
      const deps = await runCli(
        [
          'deps',
          'deploy/api',
          '-n',
          'shop',
          '--at',
          '2026-11-23T06:22:50Z',
          '--store',
          store!,
          '--alpha-memory',
        ],
        { env: { NO_COLOR: '1' } },
      );
      expect(deps.code, deps.stderr).toBe(0);
      const nodes = deps.stdout.split('\n').filter((line) => line.includes('runs-on → Node/'));
      expect(nodes.length).toBeGreaterThan(0);
      for (const line of nodes) expect(line).toMatch(/Node\/\S+ {2}unknown \(not read\)$/);
      expect(deps.stdout).not.toMatch(/missing/);
    } finally {
      rmSync(store!.replace(/\/memory\.db$/, ''), { recursive: true, force: true });
    }
  });
});
