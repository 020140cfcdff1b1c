import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Coverage } from '../../core/coverage.js';
import { KINDS } from '../../core/kinds.js';
import type { KubeObject } from '../../core/kube-object.js';
import { Snapshot, type ContainerLog } from '../../core/snapshot.js';
import { buildGraph } from '../build-graph.js';

interface FixtureLine {
  readonly failure: string;
  readonly host: string | null;
  readonly line: string;
}

/** Real lines from public issue trackers (test/fixtures/connection-errors/SOURCES.md). */
const LINES: readonly FixtureLine[] = readFileSync(
  fileURLToPath(new URL('../../../test/fixtures/connection-errors/lines.jsonl', import.meta.url)),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as FixtureLine);

const service = (name: string, extra: object = {}): KubeObject => ({
  kind: 'Service',
  metadata: { name, namespace: 'app' },
  spec: { selector: { app: name }, ports: [{ port: 5432 }], ...extra },
});

const caller = (env: readonly { name: string; value: string }[] = []): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'api-7c9f-x2k4p', namespace: 'app', labels: { app: 'api' } },
  spec: { containers: [{ name: 'api', image: 'registry.example.com/api:2.3.1', env }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'api', ready: true, restartCount: 0, state: { running: {} } }],
  },
});

function graphOf(objects: readonly KubeObject[], text: string) {
  const coverage = new Coverage();
  for (const kind of KINDS) coverage.add(kind.kind);
  const logs: ContainerLog[] = [
    { namespace: 'app', pod: 'api-7c9f-x2k4p', container: 'api', previous: false, text },
  ];
  return buildGraph(new Snapshot({ objects, logs, coverage, capturedAt: new Date('2026-11-20T03:12:00Z') }));
}

describe('calls seen failing in logs', () => {
  it('links every real line that names an in-cluster host to its Service, with the line’s class of failure', () => {
    // Services named as the hosts the lines dial; an IP a line names is a cluster IP, or a pod's.
    const objects: KubeObject[] = [
      caller(),
      ...['db', 'mysql', 'mariadb', 'broker', 'kafka', 'kafka2', 'postgres', 'redis'].map((name) =>
        service(name),
      ),
      service('pg-primary', { clusterIP: '10.1.209.231' }),
      service('pg', { selector: { app: 'pg' } }),
      {
        kind: 'Pod',
        metadata: { name: 'pg-0', namespace: 'app', labels: { app: 'pg' } },
        status: { podIP: '172.18.0.3' },
      },
    ];
    const graph = graphOf(objects, LINES.map((l) => l.line).join('\n'));
    const logEdges = graph.outgoing('Pod/app/api-7c9f-x2k4p').filter((edge) => edge.detail?.via === 'log');
    const seen = logEdges
      .filter((edge) => graph.nodeByKey(edge.to)?.presence === 'present')
      .map((edge) => `${edge.to} ${edge.detail?.observed?.failure ?? ''}`)
      .sort();
    // Names that can only be cluster Services, and are not there: missing, like any reference.
    expect(
      logEdges
        .filter((edge) => graph.nodeByKey(edge.to)?.presence === 'missing')
        .map((edge) => edge.to)
        .sort(),
    ).toEqual(['Service/app/xxx', 'Service/prometheus-system/prometheus-kube-prometheus-prometheus']);
    const inCluster: Record<string, string> = { '10.1.209.231': 'pg-primary', '172.18.0.3': 'pg' };
    const expected = LINES.flatMap((l) => {
      if (l.host === null) return [];
      const name = inCluster[l.host] ?? l.host;
      return objects.some((o) => o.kind === 'Service' && o.metadata.name === name)
        ? [`Service/app/${name} ${l.failure}`]
        : [];
    });
    expect(seen).toEqual([...new Set(expected)].sort());
    expect(seen.length).toBeGreaterThanOrEqual(10);
  });

  it('counts the lines of one class with their first and last time, and keeps the latest line', () => {
    const text = [
      '2026-11-20T03:10:01Z level=error msg="db ping" err="dial tcp 10.96.0.20:5432: connect: connection refused"',
      '2026-11-20T03:10:06Z level=info msg="retrying in 5s"',
      '2026-11-20T03:10:11Z level=error msg="db ping" err="dial tcp 10.96.0.20:5432: connect: connection refused"',
      '2026-11-20T03:10:16Z level=error msg="db ping" err="dial tcp 10.96.0.20:5432: connect: connection refused"',
    ].join('\n');
    const graph = graphOf(
      [caller(), { ...service('db'), spec: { selector: { app: 'db' }, clusterIP: '10.96.0.20' } }],
      text,
    );
    const [edge, ...others] = graph.outgoing('Pod/app/api-7c9f-x2k4p').filter((e) => e.detail?.via === 'log');
    expect(others).toEqual([]);
    expect(edge?.to).toBe('Service/app/db');
    expect(edge?.detail?.observed).toMatchObject({
      failure: 'refused',
      count: 3,
      previous: false,
    });
    expect(edge?.detail?.observed?.line).toContain('2026-11-20T03:10:16Z');
    expect(edge?.detail?.observed?.first).toMatch(/^2026-11-20T03:10:01/);
    expect(edge?.detail?.observed?.last).toMatch(/^2026-11-20T03:10:16/);
  });

  it('gives a line that names no host to the one configured dependency its client speaks to', () => {
    const env = [
      { name: 'DATABASE_HOST', value: 'postgres' },
      { name: 'CACHE_URL', value: 'redis://cache:6379' },
    ];
    const objects = [
      caller(env),
      service('postgres'),
      { ...service('cache'), spec: { selector: { app: 'cache' }, ports: [{ port: 6379 }] } },
    ];
    const graph = graphOf(
      objects,
      'pq: password authentication failed for user "app"\nReplyError: NOAUTH Authentication required.\nsome unrelated line',
    );
    const seen = graph
      .outgoing('Pod/app/api-7c9f-x2k4p')
      .filter((e) => e.detail?.via === 'log')
      .map((e) => `${e.to} ${e.detail?.observed?.failure ?? ''}`)
      .sort();
    expect(seen).toEqual(['Service/app/cache auth', 'Service/app/postgres auth']);
  });

  it('keeps the line without the password a DSN in it carries', () => {
    const graph = graphOf(
      [caller(), { ...service('db'), spec: { selector: { app: 'db' }, clusterIP: '10.96.0.20' } }],
      'failed to connect to postgres://app:hunter2@db:5432/app password=hunter2: dial tcp 10.96.0.20:5432: connect: connection refused',
    );
    const [edge] = graph.outgoing('Pod/app/api-7c9f-x2k4p').filter((e) => e.detail?.via === 'log');
    expect(edge?.detail?.observed?.line).toBe(
      'failed to connect to postgres://app:***@db:5432/app password=*** dial tcp 10.96.0.20:5432: connect: connection refused',
    );
  });

  it('links nothing for ordinary lines, localhost, or a host outside the cluster', () => {
    const text = [
      'level=info msg="connected to postgres:5432"',
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      'dial tcp: lookup api.github.com: no such host',
    ].join('\n');
    const graph = graphOf([caller(), service('postgres')], text);
    expect(graph.outgoing('Pod/app/api-7c9f-x2k4p').filter((e) => e.detail?.via === 'log')).toEqual([]);
  });
});
