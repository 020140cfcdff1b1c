import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import type { Pod } from '../../core/kube-types.js';
import { Snapshot, type ContainerLog } from '../../core/snapshot.js';
import type { AnalyzerContext } from '../rule.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { initContainerFailure } from './init-container-failure.js';
import { realdataPath } from '../../../test/support/realdata.js';

/** The real capture: init container vsystem-hana-init in CrashLoopBackOff, 7527 restarts, app containers in PodInitializing. */
function realPod(): Pod {
  // The capture is a bare object without `kind`, as `kubectl get pod -o json | jq` left it.
  const raw = JSON.parse(
    readFileSync(
      realdataPath('pods/insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json'),
      'utf8',
    ),
  ) as object;
  return { ...raw, kind: 'Pod' } as Pod;
}

/** A context whose snapshot also holds container logs. */
function withLogs(
  objects: readonly KubeObject[],
  logs: readonly ContainerLog[],
  now?: Date,
): AnalyzerContext {
  const context = contextOf(objects, now);
  return {
    ...context,
    snapshot: new Snapshot({ objects, logs, coverage: context.snapshot.coverage, capturedAt: context.now }),
  };
}

describe('init-container-failure', () => {
  it('leaves the real Init:CrashLoopBackOff to crash-loop, and pods whose init containers completed', () => {
    const pod = realPod();
    expect(initContainerFailure.detect(pod, contextOf([pod]))).toEqual([]);

    const initialized: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'shop' },
      spec: {
        initContainers: [
          { name: 'migrate', image: 'shop/migrate:3' },
          { name: 'proxy', image: 'envoy:1.31', restartPolicy: 'Always' },
        ],
        containers: [{ name: 'web', image: 'shop/web:3' }],
      },
      status: {
        phase: 'Running',
        initContainerStatuses: [
          { name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'proxy', ready: true, state: { running: { startedAt: '2026-11-19T10:00:00Z' } } },
        ],
        containerStatuses: [
          { name: 'web', ready: true, state: { running: { startedAt: '2026-11-19T10:00:05Z' } } },
        ],
      },
    };
    expect(initContainerFailure.detect(initialized, contextOf([initialized]))).toEqual([]);
  });

  it('names the init container of the real pod as it fails with restartPolicy Never: which, how, what it runs, its log', () => {
    // The same pod and failure, as they stand when the pod may not restart its containers.
    const real = realPod();
    const hanaInit = real.status?.initContainerStatuses?.[0];
    const pod = {
      ...real,
      spec: { ...real.spec, restartPolicy: 'Never' },
      status: {
        ...real.status,
        phase: 'Failed',
        initContainerStatuses: [
          {
            ...hanaInit,
            state: { terminated: hanaInit?.lastState?.terminated },
            lastState: {},
            restartCount: 0,
          },
        ],
      },
    } as Pod;
    const context = withLogs(
      [pod],
      [
        {
          namespace: 'di-288312',
          pod: 'vsystem-867f4b77cc-pqcns',
          container: 'vsystem-hana-init',
          previous: false,
          text: '2024-04-27T09:53:24Z INFO running hana init\n2024-04-27T09:54:24Z ERROR could not connect to hana: connection to db cannot be established: -10709: Connect failed (connect timeout expired)\n',
        },
      ],
    );
    expect(initContainerFailure.detect(pod, context)).toEqual([
      {
        ruleId: 'init-container-failure',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'di-288312', name: 'vsystem-867f4b77cc-pqcns' },
        message:
          'init container 1/1 vsystem-hana-init exited with code 1 (application error): the pod has failed (restartPolicy Never) and its app containers never started',
        evidence: [
          {
            source: 'status',
            text: 'init container 1/1 vsystem-hana-init: terminated Error, exit code 1 at 2024-04-27T09:54:24Z: could not connect to hana: connection to db cannot be established: -10709: Connect failed (connect timeout expired)',
          },
          {
            source: 'status',
            text: 'Initialized=False: containers with incomplete status: [vsystem-hana-init]',
          },
          { source: 'status', text: 'app containers auth, vsystem waiting in PodInitializing' },
          {
            source: 'spec',
            text: "init container vsystem-hana-init runs: /bin/sh -c '/bin/run_hana_init && /bin/run_vflow_init' (image pvx092.wdf.sap.corp/slvi/288312/com.sap.datahub.linuxx86_64/vsystem-hana-init:3.3.30)",
          },
          {
            source: 'log',
            text: 'log: 2024-04-27T09:54:24Z ERROR could not connect to hana: connection to db cannot be established: -10709: Connect failed (connect timeout expired)',
          },
        ],
        fix: {
          summary:
            "read why it exits in its log and fix what it needs (it runs /bin/sh -c '/bin/run_hana_init && /bin/run_vflow_init'); with restartPolicy Never the pod stays failed: a new pod has to run it again",
          commands: ['kubectl -n di-288312 logs vsystem-867f4b77cc-pqcns -c vsystem-hana-init'],
        },
      },
    ]);
  });

  it('warns of an init container that has waited 47 minutes for a database, holding the app back', () => {
    const pod: KubeObject = {
      kind: 'Pod',
      metadata: { name: 'api-6f8d9-7xq2m', namespace: 'shop' },
      spec: {
        initContainers: [
          {
            name: 'wait-for-db',
            image: 'busybox:1.36',
            command: ['sh', '-c', 'until nc -z postgres 5432; do echo waiting for postgres; sleep 2; done'],
          },
          { name: 'migrate', image: 'shop/migrate:3' },
        ],
        containers: [{ name: 'api', image: 'shop/api:3' }],
      },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'Initialized',
            status: 'False',
            reason: 'ContainersNotInitialized',
            message: 'containers with incomplete status: [wait-for-db migrate]',
          },
        ],
        initContainerStatuses: [
          {
            name: 'wait-for-db',
            ready: false,
            restartCount: 0,
            state: { running: { startedAt: '2026-11-20T02:25:00Z' } },
          },
          {
            name: 'migrate',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'PodInitializing' } },
          },
        ],
        containerStatuses: [
          { name: 'api', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    };
    const context = withLogs(
      [pod],
      [
        {
          namespace: 'shop',
          pod: 'api-6f8d9-7xq2m',
          container: 'wait-for-db',
          previous: false,
          text: 'waiting for postgres\nwaiting for postgres\nwaiting for postgres\n',
        },
      ],
    );
    expect(initContainerFailure.detect(pod, context)).toEqual([
      {
        ruleId: 'init-container-failure',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message:
          'init container 1/2 wait-for-db has been running for 47m and app container api waits for it to finish',
        evidence: [
          {
            source: 'status',
            text: 'init container 1/2 wait-for-db: running since 2026-11-20T02:25:00Z (47m)',
          },
          {
            source: 'status',
            text: 'Initialized=False: containers with incomplete status: [wait-for-db migrate]',
          },
          { source: 'status', text: 'app container api waiting in PodInitializing' },
          {
            source: 'spec',
            text: "init container wait-for-db runs: sh -c 'until nc -z postgres 5432; do echo waiting for postgres; sleep 2; done' (image busybox:1.36)",
          },
          { source: 'log', text: 'log: waiting for postgres' },
          { source: 'log', text: 'log: waiting for postgres' },
          { source: 'log', text: 'log: waiting for postgres' },
        ],
        fix: {
          summary:
            "find what it waits for (it runs sh -c 'until nc -z postgres 5432; do echo waiting for postgres; sleep 2; done'): make that available, or give the wait a timeout so the pod fails where it can be seen",
          commands: ['kubectl -n shop logs api-6f8d9-7xq2m -c wait-for-db --tail=20'],
        },
      },
    ]);
    // Ten minutes in, it may still be doing its work.
    expect(initContainerFailure.detect(pod, contextOf([pod], new Date('2026-11-20T02:33:00Z')))).toEqual([]);
  });
});
