/**
 * Workloads that break because something they dial broke: a database crash-looping under its
 * louder dependents (in the same namespace or another, beside an unrelated noisy failure), and
 * callers that stay Running and Ready while their logs fail (a Service deleted, a Deployment scaled
 * to zero, a port no Service serves, credentials the dependency rejects, a dnsPolicy that cannot
 * resolve cluster names, a deny-all NetworkPolicy). The cluster does what it would: the Services get cluster
 * IPs, the EndpointSlice controller keeps their endpoints; KWOK plays the kubelet, and each pod's
 * log is set to what its client library prints (wordings from test/fixtures/connection-errors).
 */
import type { ClusterHandle } from '../harness.ts';
import type { PodLogs } from '../harness/pod-logs.ts';
import { faultPods } from './common.ts';
import {
  condition,
  create,
  createAll,
  deployment,
  ensureNamespace,
  get,
  pods,
  waitFor,
  waitPods,
  type Obj,
  type PodObj,
} from './util.ts';

/** A ClusterIP Service for the pods labelled app=`name`. */
function service(ns: string, name: string, port: number, portName: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector: { app: name }, ports: [{ name: portName, port, targetPort: port }] },
  };
}

/** A Deployment of `name` whose one container has `env`, and `podSpec` besides. */
function caller(
  ns: string,
  name: string,
  replicas: number,
  env: readonly Record<string, unknown>[],
  podSpec: Record<string, unknown> = {},
): Obj {
  return deployment(ns, name, {
    replicas,
    containers: [{ name, image: `registry.example.com/${name}:2.3.1`, env }],
    podSpec,
  });
}

async function clusterIp(cluster: ClusterHandle, ns: string, name: string): Promise<string> {
  const svc = (await get(cluster.admin, 'Service', name, ns)) as
    { spec?: { clusterIP?: string } } | undefined;
  const ip = svc?.spec?.clusterIP;
  if (ip === undefined) throw new Error(`Service ${ns}/${name} has no cluster IP`);
  return ip;
}

/** Sets the same log on every pod of app=`app` as they appear, until `ready` says the scene is set. */
async function logEveryPod(
  cluster: ClusterHandle,
  ns: string,
  app: string,
  log: PodLogs,
  ready: (ps: Awaited<ReturnType<typeof pods>>) => boolean,
  what: string,
): Promise<void> {
  const done = new Set<string>();
  await waitFor(
    what,
    async () => {
      const live = (await pods(cluster.admin, ns, `app=${app}`)).filter(
        (p) => p.metadata.deletionTimestamp === undefined,
      );
      for (const p of live.filter((x) => !done.has(x.metadata.name))) {
        await cluster.setPodLogs(ns, p.metadata.name, log);
        done.add(p.metadata.name);
      }
      return live.length > 0 && ready(live);
    },
    60_000,
  );
}

function isReady(pod: PodObj): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

/** Timestamps a line as a Go logger would, `seconds` before now. */
function at(secondsAgo: number): string {
  return new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * PostgreSQL crash-looping (or killed for memory, `how`) in `dbNs`, and three replicas of `api` in
 * `ns` crash-looping because they cannot connect to it (`db.<dbNs>.svc.cluster.local` when the
 * namespaces differ), beside an unrelated `reports` Deployment that cannot pull its image.
 */
export async function sceneDatabaseDown(
  cluster: ClusterHandle,
  ns: string,
  dbNs: string,
  how: 'CrashLoopBackOff' | 'OOMKilled' = 'CrashLoopBackOff',
): Promise<void> {
  await ensureNamespace(cluster.admin, ns);
  if (dbNs !== ns) await ensureNamespace(cluster.admin, dbNs);
  await faultPods(cluster, dbNs, 'db', how, { runMs: 1500, backoffMs: 4000 });
  await faultPods(cluster, ns, 'api', 'CrashLoopBackOff', { runMs: 500, backoffMs: 2000 });
  await createAll(cluster.admin, [
    service(dbNs, 'db', 5432, 'postgres'),
    deployment(dbNs, 'db', {
      containers: [
        {
          name: 'postgres',
          image: 'postgres:17.2',
          resources: { requests: { memory: '64Mi', cpu: '100m' }, limits: { memory: '64Mi' } },
        },
      ],
    }),
  ]);
  // Noise beside the real outage: an unrelated job runner that cannot pull its image.
  await faultPods(cluster, ns, 'reports', 'ImagePullBackOff', {
    pullMs: 500,
    backoffMs: 1500,
    pullError: 'not-found',
  });
  await create(cluster.admin, deployment(ns, 'reports', { image: 'registry.example.com/reports:9.9.9' }));
  const host = dbNs === ns ? 'db' : `db.${dbNs}.svc.cluster.local`;
  await create(
    cluster.admin,
    caller(ns, 'api', 3, [
      { name: 'DATABASE_URL', value: `postgres://app@${host}:5432/app?sslmode=disable` },
    ]),
  );
  const ip = await clusterIp(cluster, dbNs, 'db');
  const dbLog = [
    `${at(20)} UTC [1] LOG:  starting PostgreSQL 17.2 on x86_64-pc-linux-gnu`,
    `${at(19)} UTC [1] FATAL:  could not map anonymous shared memory: Cannot allocate memory`,
    `${at(19)} UTC [1] LOG:  database system is shut down`,
  ].join('\n');
  await logEveryPod(
    cluster,
    dbNs,
    'db',
    { current: dbLog, previous: dbLog, container: 'postgres' },
    (ps) => ps.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1),
    'db restarted',
  );
  // pgx's wording (cybertec-postgresql/pgwatch#1426), at the Service's cluster IP.
  const refused = (s: number): string =>
    `${at(s)} level=fatal msg="cannot connect to database" err="failed to connect to \`host=${host} user=app database=app\`: dial error (dial tcp ${ip}:5432: connect: connection refused)"`;
  const apiLog = [`${at(30)} level=info msg="starting api" version=2.3.1`, refused(29), refused(12)].join(
    '\n',
  );
  await logEveryPod(
    cluster,
    ns,
    'api',
    { current: apiLog, previous: apiLog },
    (ps) => ps.length === 3 && ps.every((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2),
    'api replicas restarted twice',
  );
}

/** How callers fail while Running and Ready: one class of failure only callers see. */
export type CallerFailure =
  | 'service-deleted'
  | 'scaled-to-zero'
  | 'port-unserved'
  | 'credentials-rejected'
  | 'dns-policy-default'
  | 'policy-deny-all';

/**
 * Two replicas of `web`, Running and Ready, whose logs fail against a dependency, and an unrelated
 * healthy `static` Deployment. The dependency (`search`, `cache` or `postgres`) breaks as `failure` says.
 */
export async function sceneCallersFailing(
  cluster: ClusterHandle,
  ns: string,
  failure: CallerFailure,
): Promise<void> {
  await ensureNamespace(cluster.admin, ns);
  const env: Record<string, unknown>[] = [];
  let podSpec: Record<string, unknown> = {};
  let webLog: (ip: string) => string[];
  switch (failure) {
    case 'service-deleted': {
      // The Service was deleted; Go's resolver, through kube-dns, says so.
      env.push({ name: 'SEARCH_URL', value: 'http://search:9200' });
      webLog = () => [
        `${at(40)} level=error msg="search failed" err="Get \\"http://search:9200/products/_search\\": dial tcp: lookup search on 10.96.0.10:53: no such host"`,
        `${at(10)} level=error msg="search failed" err="Get \\"http://search:9200/products/_search\\": dial tcp: lookup search on 10.96.0.10:53: no such host"`,
      ];
      break;
    }
    case 'scaled-to-zero': {
      await createAll(cluster.admin, [
        service(ns, 'cache', 6379, 'redis'),
        deployment(ns, 'cache', { replicas: 0, image: 'valkey/valkey:8.0' }),
      ]);
      env.push({ name: 'REDIS_URL', value: 'redis://cache:6379/0' });
      // go-redis through net: refused at the cluster IP (no endpoints: kube-proxy rejects).
      webLog = (ip) => [
        `${at(30)} redis: connection pool: failed to dial after 5 attempts: dial tcp ${ip}:6379: connect: connection refused`,
      ];
      break;
    }
    case 'port-unserved': {
      await createAll(cluster.admin, [
        service(ns, 'cache', 6379, 'redis'),
        deployment(ns, 'cache', { image: 'valkey/valkey:8.0' }),
      ]);
      env.push({ name: 'REDIS_ADDR', value: 'cache:6380' });
      webLog = (ip) => [
        `${at(30)} redis: connection pool: failed to dial after 5 attempts: dial tcp ${ip}:6380: i/o timeout`,
      ];
      break;
    }
    case 'credentials-rejected': {
      await createAll(cluster.admin, [
        service(ns, 'postgres', 5432, 'postgres'),
        deployment(ns, 'postgres', { image: 'postgres:17.2' }),
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db-credentials', namespace: ns },
          stringData: { password: 'rotated-last-night' },
        },
      ]);
      env.push(
        { name: 'DB_HOST', value: 'postgres' },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
      );
      // lib/pq's wording (lib/pq#244): no host in the line.
      webLog = () => [
        `${at(30)} level=error msg="query failed" err="pq: password authentication failed for user \\"app\\""`,
      ];
      break;
    }
    case 'dns-policy-default': {
      await createAll(cluster.admin, [
        service(ns, 'postgres', 5432, 'postgres'),
        deployment(ns, 'postgres', { image: 'postgres:17.2' }),
      ]);
      env.push({ name: 'DATABASE_URL', value: `postgres://app@postgres.${ns}.svc.cluster.local:5432/app` });
      podSpec = { dnsPolicy: 'Default' };
      // The node's resolver, asked for a cluster name (Go's wording, opencost/opencost-helm-chart#235).
      webLog = () => [
        `${at(30)} level=error msg="ping" err="dial tcp: lookup postgres.${ns}.svc.cluster.local on 169.254.169.253:53: no such host"`,
      ];
      break;
    }
    case 'policy-deny-all': {
      await createAll(cluster.admin, [
        service(ns, 'postgres', 5432, 'postgres'),
        deployment(ns, 'postgres', { image: 'postgres:17.2' }),
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'deny-all', namespace: ns },
          spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [] },
        },
      ]);
      env.push({ name: 'DB_HOST', value: 'postgres' }, { name: 'DB_PORT', value: '5432' });
      // Dropped SYNs: the dial times out (Go's net wording).
      webLog = (ip) => [`${at(30)} level=error msg="ping" err="dial tcp ${ip}:5432: i/o timeout"`];
      break;
    }
    default:
      throw new Error(failure satisfies never);
  }
  await createAll(cluster.admin, [
    caller(ns, 'web', 2, env, podSpec),
    deployment(ns, 'static', { image: 'nginx:1.27' }),
  ]);
  const dependency =
    failure === 'service-deleted'
      ? undefined
      : failure === 'scaled-to-zero' || failure === 'port-unserved'
        ? 'cache'
        : 'postgres';
  const ip = dependency === undefined ? '' : await clusterIp(cluster, ns, dependency);
  if (dependency !== undefined && failure !== 'scaled-to-zero')
    await waitPods(
      cluster.admin,
      ns,
      `app=${dependency}`,
      (ps) => ps.every(isReady),
      `${dependency} Ready`,
      60_000,
    );
  await logEveryPod(
    cluster,
    ns,
    'web',
    { current: [`${at(60)} level=info msg="listening" addr=:8080`, ...webLog(ip)].join('\n') },
    (ps) => ps.length === 2 && ps.every(isReady),
    'web Running and Ready',
  );
  // The healthy bystander too: a Deployment still rolling out on a loaded machine is a failure of its own.
  await waitPods(
    cluster.admin,
    ns,
    'app=static',
    (ps) =>
      ps.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true),
    'static Ready',
    60_000,
  );
}
