/**
 * The memory tier on the real control plane: `kubectl smart record` runs as its own process, with
 * the API server's audit log, while scenario S1 plays out (a ConfigMap key edited by the admin, the
 * Deployment restarted, its new pods crash-looping). Afterwards, from the recording alone:
 * `timeline` and `why` show the edit, with its actor, before the crash loop; `replay --at` and
 * `analyze` name the edit as the root cause.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import { startRecorder, type RecorderProcess } from './recorder-process.ts';
import { scene01 } from './scenes/index.ts';
import { waitPods } from './scenes/util.ts';

const NS = 'memory-s1';
const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-memory-s1-'));
const store = join(dir, 'memory.db');
const cluster = connectCluster();
let recorder: RecorderProcess | undefined;
let editedBetween: { before: string; after: string };
let stoppedAt: string;

const smart = (args: readonly string[]) =>
  runCli([...args, '--alpha-memory', '--store', store], { env: { NO_COLOR: '1' } });

beforeAll(async () => {
  recorder = startRecorder([
    '-A',
    '--kubeconfig',
    cluster.kubeconfigAdmin,
    '--store',
    store,
    '--audit-log',
    cluster.auditLogPath,
  ]);
  await recorder.started;
  // Let the first lists land, so the scene's objects are recorded as they are created.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const before = new Date().toISOString();
  await scene01(cluster, NS);
  editedBetween = { before, after: new Date().toISOString() };
  // The audit line of the edit and the recorder's last batch.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  stoppedAt = new Date().toISOString();
  const code = await recorder.stop('SIGINT');
  expect(code, recorder.output().stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await recorder?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('recording scenario S1', () => {
  it('says what it recorded when stopped', () => {
    expect(recorder?.output().stdout).toMatch(
      /^recorded \d+ changes, \d+ events and \d+ checkpoints; \d+ objects followed\n$/,
    );
  });

  it('timeline shows the ConfigMap edit, by the admin, before the crash loop', async () => {
    const result = await smart(['timeline', 'configmap/api-config', '-n', NS, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toContain('CACHE_SIZE');
    expect(text).toContain('512Mi');
    expect(text).toContain('lots');
    expect(text).toContain('kubernetes-admin');

    const deployment = await smart(['timeline', 'deployment/api', '-n', NS, '--related']);
    expect(deployment.code, deployment.stderr).toBe(0);
    const lines = deployment.stdout.split('\n');
    const edit = lines.findIndex((line) => line.includes('CACHE_SIZE'));
    const crash = lines.findIndex((line) => /BackOff|CrashLoopBackOff/.test(line));
    expect(edit, deployment.stdout).toBeGreaterThanOrEqual(0);
    expect(crash, deployment.stdout).toBeGreaterThan(edit);
  });

  it('why shows each value of the key, when and who', async () => {
    const result = await smart(['why', 'configmap/api-config', '-n', NS, '--field', 'data.CACHE_SIZE']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('512Mi');
    expect(result.stdout).toContain('lots');
    expect(result.stdout).toContain('kubernetes-admin');
  });

  it('replay --at names the edit as the root cause, with the crash loop under it', async () => {
    const result = await smart(['replay', '--at', stoppedAt, '-n', NS, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as {
      analysis: {
        problems: { rootCause: { ruleId: string; message: string; resource: { name: string } } }[];
      };
      changes: { object: { name: string }; summary: string[] }[];
    };
    const top = document.analysis.problems[0]?.rootCause;
    expect(top?.ruleId).toBe('recent-change');
    expect(top?.resource.name).toBe('api-config');
    expect(top?.message).toContain('CACHE_SIZE "512Mi" → "lots" (by kubernetes-admin)');
    expect(document.changes.some((c) => c.object.name === 'api-config')).toBe(true);

    // Before the edit, the same namespace was healthy.
    const earlier = await smart(['replay', '--at', editedBetween.before, '-n', NS, '-o', 'json']);
    expect(earlier.code, earlier.stderr).toBe(0);
    const past = JSON.parse(earlier.stdout) as {
      analysis: { problems: { rootCause: { resource: { namespace?: string } } }[] };
    };
    // Only the namespace's own objects: the cluster is shared with other files' scenes (a node
    // S12 stopped is a problem of the whole cluster, shown in every namespace's analysis).
    expect(past.analysis.problems.filter((p) => p.rootCause.resource.namespace === NS)).toEqual([]);
  });

  it('analyze against the live cluster, with the recording, names the edit', async () => {
    // The scene's pods crash every 2.5 s and are Ready for half a second of it: ask while they wait.
    let result = await smart(['analyze', 'deploy/api', '-n', NS, '--kubeconfig', cluster.kubeconfigAdmin]);
    for (let attempt = 0; attempt < 3 && !result.stdout.includes('ROOT CAUSE'); attempt++) {
      await waitPods(
        cluster.admin,
        NS,
        'app=api',
        (ps) =>
          ps.every((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff'),
        'api pods in CrashLoopBackOff',
      );
      result = await smart(['analyze', 'deploy/api', '-n', NS, '--kubeconfig', cluster.kubeconfigAdmin]);
    }
    expect(result.code, result.stderr).toBe(0);
    const root = result.stdout.split('ROOT CAUSE')[1] ?? '';
    expect(root, result.stdout).toContain('ConfigMap/api-config');
    expect(root).toContain('CACHE_SIZE "512Mi" → "lots" (by kubernetes-admin)');
    // The crash loop is still shown, under it, with the log line that says why.
    expect(result.stdout).toContain('invalid CACHE_SIZE');
  });
});
