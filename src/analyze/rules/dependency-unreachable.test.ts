import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { callerLog, callerPod, clusterService } from '../../../test/support/callers.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { analyze } from '../analyze.js';
import { dependencyUnreachable } from './dependency-unreachable.js';

const at = new Date('2026-11-20T03:12:00Z');
const db = clusterService('db', 'data', [{ name: 'postgres', port: 5432 }], '10.96.0.20');
/** The database pod, crash-looping as the kubelet reports it. */
const dbPod: KubeObject = {
  kind: 'Pod',
  metadata: {
    name: 'db-0',
    namespace: 'data',
    labels: { app: 'db' },
    ownerReferences: [{ kind: 'StatefulSet', name: 'db', uid: 'db-uid', controller: true }],
  },
  spec: { containers: [{ name: 'postgres', image: 'postgres:17.2' }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      {
        name: 'postgres',
        ready: false,
        restartCount: 6,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: 'back-off 2m40s restarting failed container=postgres',
          },
        },
        lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      },
    ],
  },
};
const api = callerPod({ env: [{ name: 'DATABASE_URL', value: 'postgres://app@db.data.svc:5432/app' }] });
// pgx's wording (test/fixtures/connection-errors: cybertec-postgresql/pgwatch#1426), at the cluster IP.
const refused = (time: string): string =>
  `${time} level=error msg="ping failed" err="failed to connect to \`host=db.data.svc user=app database=app\`: dial error (dial tcp 10.96.0.20:5432: connect: connection refused)"`;
const log = callerLog([
  refused('2026-11-20T03:10:01Z'),
  'level=info msg="retrying"',
  refused('2026-11-20T03:11:41Z'),
]);

describe('dependency-unreachable', () => {
  it('reports a Ready caller whose logs cannot reach the Service it dials, counted with first and last time', () => {
    const context = contextOf([api, db, dbPod], at, [log]);
    const findings = dependencyUnreachable.detect(api, context);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'dependency-unreachable',
      severity: 'warning',
      resource: { kind: 'Pod', namespace: 'app', name: 'api-7c9f-x2k4p' },
      message: 'container api cannot reach Service/data/db: connections are refused',
    });
    expect(findings[0]?.evidence[0]?.text).toMatch(
      /^container api, current log, refused 2 times from 2026-11-20T03:10:01(\.000)?Z to 2026-11-20T03:11:41(\.000)?Z: .*connection refused/,
    );
  });

  it('ranks the caller under the dependency that fails, the database first', () => {
    const { problems } = analyze(
      contextOf([api, db, dbPod], at, [log]).snapshot,
      contextOf([api, db, dbPod], at, [log]).graph,
    );
    const [first] = problems;
    expect(first?.rootCause).toMatchObject({ ruleId: 'crash-loop', resource: { name: 'db-0' } });
    expect(first?.symptoms.map((f) => `${f.ruleId} ${f.resource.name}`)).toContain(
      'dependency-unreachable api-7c9f-x2k4p',
    );
    expect(problems.some((p) => p.rootCause.ruleId === 'dependency-unreachable')).toBe(false);
  });

  it('stands as its own root cause when nothing on the dependency explains it', () => {
    const healthyDb = {
      ...dbPod,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'postgres', ready: true, restartCount: 0, state: { running: {} } }],
      },
    };
    const context = contextOf([api, db, healthyDb], at, [log]);
    const { problems } = analyze(context.snapshot, context.graph);
    expect(problems[0]?.rootCause.ruleId).toBe('dependency-unreachable');
  });

  it('says the same of a crash-looping caller whichever moment of the loop was read', () => {
    const crashed = { exitCode: 1, reason: 'Error', finishedAt: '2026-11-20T03:11:50Z' };
    const backOff: KubeObject = {
      kind: 'Event',
      metadata: { name: 'api-7c9f-x2k4p.backoff', namespace: 'app' },
      involvedObject: {
        kind: 'Pod',
        namespace: 'app',
        name: 'api-7c9f-x2k4p',
        fieldPath: 'spec.containers{api}',
      },
      reason: 'BackOff',
      type: 'Warning',
      message: 'Back-off restarting failed container api in pod api-7c9f-x2k4p_app',
      count: 9,
      lastTimestamp: '2026-11-20T03:11:55Z',
    };
    const moment = (state: object, ready: boolean): KubeObject => ({
      ...api,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
        containerStatuses: [
          { name: 'api', ready, restartCount: 7, state, lastState: { terminated: crashed } },
        ],
      },
    });
    const waiting = moment({ waiting: { reason: 'CrashLoopBackOff' } }, false);
    const running = moment({ running: { startedAt: '2026-11-20T03:11:58Z' } }, true);
    const read = (pod: KubeObject) =>
      dependencyUnreachable.detect(pod, contextOf([pod, db, dbPod, backOff], at, [log]));
    expect(read(running).map((f) => [f.severity, f.message])).toEqual(
      read(waiting).map((f) => [f.severity, f.message]),
    );
    expect(read(running)[0]?.severity).toBe('critical');
  });

  it('finds nothing in a log of ordinary lines, or without a log', () => {
    const quiet = callerLog(['level=info msg="connected to db.data.svc:5432"', 'GET /healthz 200']);
    expect(dependencyUnreachable.detect(api as never, contextOf([api, db, dbPod], at, [quiet]))).toEqual([]);
    expect(dependencyUnreachable.detect(api as never, contextOf([api, db, dbPod], at))).toEqual([]);
  });
});
