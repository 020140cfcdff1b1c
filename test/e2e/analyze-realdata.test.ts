import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realdata, repoRoot, runCli } from './run-cli.js';

/** `analyze` over single real captures: the fixes and readings it prints are complete and apt. */
describe('analyze on real captures', () => {
  it('names the Deployment to look at for a crash-looping pod read alone', async () => {
    const result = await runCli([
      'analyze',
      '-A',
      '--from',
      join(realdata, 'pods', 'insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '$ kubectl -n di-288312 rollout history deployment/vsystem  # if a rollout started it: kubectl -n di-288312 rollout undo deployment/vsystem',
    );
  });

  it('re-creates an OOM-killed Job (its template is immutable) and says its usage is unknown', async () => {
    const result = await runCli([
      'analyze',
      '-A',
      '--from',
      join(realdata, 'pods', 'troubleshoot_oomkilled-job-pod_podlist.json'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('which is unknown (no usage figures were read)');
    expect(result.stdout).toContain(
      '$ kubectl -n message-oomkill-pod top pod oom-kill-job3-gbb89 --containers  # while it runs',
    );
    expect(result.stdout).toContain(
      "$ kubectl -n message-oomkill-pod get job oom-kill-job3 -o yaml > job.yaml  # a Job's template is immutable",
    );
    expect(result.stdout).not.toContain('set resources job/');
    expect(result.stdout).toContain(
      "found on: Pod/oom-kill-job3-gbb89; the fix goes in Job/oom-kill-job3's pod template (immutable: re-create the Job with it)",
    );
  });

  it('reads a Go panic’s exit code 2 as a panic, quoting what failed and where, not the dump', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-e2e-'));
    try {
      const pod = JSON.parse(
        readFileSync(
          join(realdata, 'pods', 'insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json'),
          'utf8',
        ),
      ) as { status: { initContainerStatuses: { lastState: { terminated: Record<string, unknown> } }[] } };
      const panic = readFileSync(join(repoRoot, 'test', 'fixtures', 'crash-output', 'go-panic.log'), 'utf8');
      for (const status of pod.status.initContainerStatuses)
        status.lastState.terminated = { ...status.lastState.terminated, exitCode: 2, message: panic };
      writeFileSync(join(dir, 'pod.json'), JSON.stringify(pod));
      const result = await runCli(['analyze', '-A', '--from', join(dir, 'pod.json')]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('keeps crashing (exit code 2, Go panic), 7527 restarts');
      expect(result.stdout).toContain(
        'last exit code 2: Error: panic: runtime error: invalid memory address or nil pointer dereference | at github.com/acme/shop/internal/cart.(*Store).Total',
      );
      expect(result.stdout).not.toContain('goroutine 1 [running]');
      expect(result.stdout).not.toContain('shell builtin');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the scheduler’s preemption clause: a higher priority would not get the GPU pod in', async () => {
    const result = await runCli([
      'analyze',
      '-A',
      '--from',
      join(realdata, 'pods', 'troubleshoot_pending-unschedulable-insufficient-gpu_podlist.json'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'status Pod/pending-pod-resources-5fddcf7688-djjfc: preemption would not help: no node has lower-priority pods whose eviction would make it fit',
    );
  });
});

describe('analyze on small written inputs', () => {
  it('gives no closest-labels hint pointing at another workload', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-e2e-'));
    try {
      const list = {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'web', namespace: 'shop' },
            spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
          },
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'db-0', namespace: 'shop', labels: { app: 'db' } },
            spec: { containers: [{ name: 'db', image: 'postgres:17' }] },
            status: {
              phase: 'Running',
              conditions: [{ type: 'Ready', status: 'True' }],
              containerStatuses: [{ name: 'db', ready: true, restartCount: 0, state: { running: {} } }],
            },
          },
        ],
      };
      writeFileSync(join(dir, 'shop.json'), JSON.stringify(list));
      const result = await runCli(['analyze', '-n', 'shop', '--from', join(dir, 'shop.json')]);
      expect(result.stdout).toContain('Service web selects app=web, which no pod carries');
      expect(result.stdout).not.toContain('app=db');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
