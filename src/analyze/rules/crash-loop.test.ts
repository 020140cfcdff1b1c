import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contextOf } from '../../../test/support/analyzer-context.js';
import type { Pod } from '../../core/kube-types.js';
import { realdataItems, realdataJson } from '../../../test/support/realdata.js';
import { crashLoop } from './crash-loop.js';

describe('crash-loop', () => {
  it('explains the real exit-127 crash loop: command not found, with the runtime’s message', () => {
    const [pod] = realdataItems('pods/troubleshoot_crashloop-exit127-containercannotrun_podlist.json') as [
      Pod,
    ];
    expect(crashLoop.detect(pod, contextOf([pod]))).toEqual([
      {
        ruleId: 'crash-loop',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'message-pod-crashloop-backoff', name: 'init-demo' },
        message: 'container nginx keeps crashing (exit code 127, command not found), 4 restarts',
        evidence: [
          {
            source: 'status',
            text: 'container nginx: CrashLoopBackOff, 4 restarts (back-off 1m20s restarting failed container=nginx pod=init-demo_default(8d27f35a-4b45-4752-a5db-7985ea8b38bf))',
          },
          {
            source: 'status',
            text: 'last exit code 127: ContainerCannotRun: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "wge": executable file not found in $PATH: unknown',
          },
        ],
        fix: {
          summary: 'read why it exits in the previous log; if a recent change caused it, roll it back',
          commands: ['kubectl -n message-pod-crashloop-backoff logs init-demo -c nginx --previous'],
        },
      },
    ]);
  });

  it('quotes error lines of the current and previous logs, and leaves healthy and OOM-killed containers alone', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'api-1', namespace: 'shop' },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'api',
            restartCount: 6,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
          { name: 'sidecar', restartCount: 0, state: { running: {} } },
          {
            name: 'cache',
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
          },
        ],
      },
    };
    const context = contextOf([pod]);
    const withLogs = {
      ...context,
      snapshot: new (context.snapshot.constructor as typeof import('../../core/snapshot.js').Snapshot)({
        objects: [pod],
        coverage: context.snapshot.coverage,
        capturedAt: context.now,
        logs: [
          {
            namespace: 'shop',
            pod: 'api-1',
            container: 'api',
            previous: true,
            text: 'starting\nlevel=fatal msg="invalid CACHE_SIZE \\"lots\\""\n',
          },
          { namespace: 'shop', pod: 'api-1', container: 'api', previous: false, text: 'starting\n' },
        ],
      }),
    };
    const [finding, ...rest] = crashLoop.detect(pod, withLogs);
    expect(rest).toEqual([]);
    expect(finding?.message).toBe(
      'container api keeps crashing (exit code 1, application error), 6 restarts',
    );
    expect(finding?.evidence.filter((e) => e.source === 'log')).toEqual([
      { source: 'log', text: 'previous log: level=fatal msg="invalid CACHE_SIZE \\"lots\\""' },
      { source: 'log', text: 'current log: starting' },
    ]);
  });

  it('names the Deployment to roll back: from the read ReplicaSet, or from the pod-template-hash when it was not read', () => {
    // The capture is a bare object without `kind`, as `kubectl get pod -o json | jq` left it.
    const pod = {
      ...(realdataJson('pods/insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json') as object),
      kind: 'Pod',
    } as Pod;
    const history =
      'kubectl -n di-288312 rollout history deployment/vsystem  # if a rollout started it: kubectl -n di-288312 rollout undo deployment/vsystem';
    // The pod file alone: its ReplicaSet vsystem-867f4b77cc carries hash 867f4b77cc, the Deployment's mark.
    const [alone] = crashLoop.detect(pod, contextOf([pod]));
    expect(alone?.fix?.commands).toEqual([
      'kubectl -n di-288312 logs vsystem-867f4b77cc-pqcns -c vsystem-hana-init --previous',
      history,
    ]);
    // The ReplicaSet read, with its owner: the owner it names.
    const replicaSet = {
      kind: 'ReplicaSet',
      metadata: {
        name: 'vsystem-867f4b77cc',
        namespace: 'di-288312',
        uid: 'ca82db22-ef61-49db-ad84-35e502375121',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vsystem', uid: 'd1', controller: true },
        ],
      },
    };
    const [read] = crashLoop.detect(pod, contextOf([pod, replicaSet]));
    expect(read?.fix?.commands?.[1]).toBe(history);
    // A ReplicaSet of its own (no Deployment's hash label): nothing to roll back.
    const bare = { ...pod, metadata: { ...pod.metadata, labels: { app: 'vora' } } };
    const [own] = crashLoop.detect(bare, contextOf([bare]));
    expect(own?.fix?.commands).toHaveLength(1);
  });

  it('reads the exit code with the runtime’s words: a Go panic in the termination message is no shell misuse, and its dump is not pasted whole', () => {
    const panic = readFileSync(
      new URL('../../../test/fixtures/crash-output/go-panic.log', import.meta.url),
      'utf8',
    );
    const real = {
      ...(realdataJson('pods/insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json') as object),
      kind: 'Pod',
    } as Pod;
    // The same pod, its init container's last run a Go panic the kubelet copied from its log
    // (terminationMessagePolicy FallbackToLogsOnError).
    const pod: Pod = {
      ...real,
      status: {
        ...real.status,
        initContainerStatuses: (real.status?.initContainerStatuses ?? []).map((status) => ({
          ...status,
          lastState: {
            terminated: { ...status.lastState?.terminated, exitCode: 2, reason: 'Error', message: panic },
          },
        })),
      },
    };
    const [finding] = crashLoop.detect(pod, contextOf([pod]));
    expect(finding?.message).toBe(
      'init container vsystem-hana-init keeps crashing (exit code 2, Go panic), 7527 restarts',
    );
    expect(finding?.evidence[1]).toEqual({
      source: 'status',
      text: 'last exit code 2: Error: panic: runtime error: invalid memory address or nil pointer dereference | at github.com/acme/shop/internal/cart.(*Store).Total(0x0, {0xc0000a4000, 0x3, 0x4}) /src/internal/cart/store.go:41',
    });
  });
});
