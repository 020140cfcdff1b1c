import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realdata, runCli } from './run-cli.js';

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
  });
});
