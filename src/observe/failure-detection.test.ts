import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { realdataItems } from '../../test/support/realdata.js';
import type { Pod } from '../core/kube-types.js';
import { detectFailures, FAILURE_REASONS, type DetectOptions } from './failure-detection.js';
import { realdataPath } from '../../test/support/realdata.js';

const realPods = (file: string): Pod[] => realdataItems(`pods/${file}`);
/** The insights capture is one Pod written without its kind (a Go struct's JSON). */
const insightsPod = (file: string): Pod => ({
  kind: 'Pod',
  ...(JSON.parse(readFileSync(realdataPath(`pods/${file}`), 'utf8')) as Pick<
    Pod,
    'metadata' | 'spec' | 'status'
  >),
});

const options: DetectOptions = {
  wanted: new Set(FAILURE_REASONS),
  now: new Date('2026-11-20T03:12:00Z'),
  recentMs: 10 * 60_000,
};

describe('detectFailures', () => {
  it('names the failure class of each real captured pod, with the kubelet’s words', () => {
    const [crash] = realPods('troubleshoot_crashloop-exit127-containercannotrun_podlist.json');
    expect(detectFailures(crash!, options)).toEqual([
      expect.objectContaining({
        namespace: 'message-pod-crashloop-backoff',
        pod: 'init-demo',
        container: 'nginx',
        reason: 'CrashLoopBackOff',
        exitCode: 127,
      }),
    ]);
    const [pull] = realPods('troubleshoot_errimagepull_podlist.json');
    expect(detectFailures(pull!, options).map((t) => [t.container, t.reason])).toEqual([
      ['demo-deployment-container', 'ErrImagePull'],
    ]);
    const [oom] = realPods('troubleshoot_oomkilled-job-pod_podlist.json');
    expect(detectFailures(oom!, options)).toEqual([
      expect.objectContaining({
        pod: 'oom-kill-job3-gbb89',
        container: 'memory-eater',
        reason: 'OOMKilled',
        exitCode: 137,
      }),
    ]);
    // An init container in a crash loop: the pod's containers wait on it (PodInitializing), not fail.
    const init = insightsPod('insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json');
    expect(detectFailures(init, options)).toEqual([
      expect.objectContaining({
        container: 'vsystem-hana-init',
        reason: 'InitContainerFailure',
        restartCount: 7527,
        message: expect.stringContaining(
          'back-off 5m0s restarting failed container=vsystem-hana-init',
        ) as string,
      }),
    ]);
    const [pending] = realPods('troubleshoot_pending-unschedulable-insufficient-gpu_podlist.json');
    expect(detectFailures(pending!, options)).toEqual([]);
  });

  it('calls a crash loop after an OOM kill OOMKilled, and a past kill of a running container only while recent', () => {
    const pod = (state: object, finishedAt: string): Pod => ({
      kind: 'Pod',
      metadata: { name: 'worker-1', namespace: 'a', uid: 'u1' },
      status: {
        containerStatuses: [
          {
            name: 'worker',
            restartCount: 4,
            state,
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt } },
          },
        ],
      },
    });
    const backingOff = pod(
      { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
      '2026-11-19T00:00:00Z',
    );
    expect(detectFailures(backingOff, options).map((t) => t.reason)).toEqual(['OOMKilled']);
    const runningAgain = (finishedAt: string): Pod => pod({ running: { startedAt: finishedAt } }, finishedAt);
    expect(detectFailures(runningAgain('2026-11-20T03:10:00Z'), options).map((t) => t.reason)).toEqual([
      'OOMKilled',
    ]);
    expect(detectFailures(runningAgain('2026-11-13T03:10:00Z'), options)).toEqual([]);
  });

  it('reports an eviction on the pod, and only the reasons asked for', () => {
    const evicted: Pod = {
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'a', uid: 'u2' },
      status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' },
    };
    expect(detectFailures(evicted, options)).toEqual([
      {
        namespace: 'a',
        pod: 'web-1',
        podUid: 'u2',
        reason: 'Evicted',
        message: 'The node was low on resource: memory.',
        restartCount: 0,
      },
    ]);
    expect(detectFailures(evicted, { ...options, wanted: new Set(['CrashLoopBackOff']) })).toEqual([]);
    const configError: Pod = {
      kind: 'Pod',
      metadata: { name: 'api-1', namespace: 'a' },
      status: {
        containerStatuses: [
          {
            name: 'api',
            state: {
              waiting: {
                reason: 'CreateContainerConfigError',
                message: "couldn't find key CACHE_SIZE in ConfigMap a/api-config",
              },
            },
          },
          { name: 'sidecar', state: { running: {} }, ready: true },
        ],
      },
    };
    expect(detectFailures(configError, options).map((t) => [t.container, t.reason, t.message])).toEqual([
      ['api', 'CreateContainerConfigError', "couldn't find key CACHE_SIZE in ConfigMap a/api-config"],
    ]);
  });
});
