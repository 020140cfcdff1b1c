import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../core/kinds.js';
import { FilesSource } from '../../kube/files/files-source.js';
import { buildGraph } from '../build-graph.js';

const fixture = fileURLToPath(new URL('../../../test/fixtures/graph/network-calls.yaml', import.meta.url));

async function graph() {
  const { snapshot } = await new FilesSource({ paths: [fixture] }).load({ kinds: KINDS });
  return buildGraph(snapshot);
}

describe('calls edges from configuration', () => {
  it('reads env, ConfigMap values and files, and arguments, resolving every cluster name form', async () => {
    const g = await graph();
    const lines = [...g.edges()]
      .filter((edge) => edge.kind === 'calls' || edge.kind === 'selects-workload')
      .map((edge) => `${edge.from} -${edge.kind}-> ${edge.to} ${JSON.stringify(edge.detail)}`)
      .sort();
    expect(lines).toEqual([
      'Deployment/app/worker -calls-> Service/app/cache {"via":"env:REDIS_ADDR","address":"cache:6380","container":"worker","port":"6380"}',
      'Deployment/app/worker -calls-> Service/app/legacy-db {"via":"env:LEGACY_DB_HOST","address":"legacy-db","container":"worker"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/app/cache {"via":"args","address":"cache","container":"api"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/app/cache {"via":"env:STATS_ADDR","address":"10.96.0.30:6379","container":"api","port":"6379"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/app/cache {"via":"envFrom:configmap/app-config:CACHE_URL","address":"cache:6379","container":"api","port":"6379"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/app/cache {"via":"volume:config:CACHE_URL","address":"cache:6379","port":"6379"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/app/postgres {"via":"env:DB_HOST","address":"postgres","container":"api"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/app/search {"via":"env:SEARCH_URL","address":"search:9200","container":"api","port":"9200"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/data/db {"via":"env:DB_READ_URL","address":"db.data.svc:5432","container":"api","port":"5432"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/data/db {"via":"envFrom:configmap/app-config:DATABASE_URL","address":"db.data.svc:5432","container":"api","port":"5432"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/data/db {"via":"volume:config:DATABASE_URL","address":"db.data.svc:5432","port":"5432"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/data/kafka {"via":"env:KAFKA_BROKERS","address":"kafka-0.kafka.data:9092","container":"api","port":"9092"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/data/kafka {"via":"envFrom:configmap/app-config:config.yaml","address":"kafka-0.kafka.data.svc:9092","container":"api","port":"9092"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/data/kafka {"via":"volume:config:config.yaml","address":"kafka-0.kafka.data.svc:9092","port":"9092"}',
      'Pod/app/api-7c9f-x2k4p -calls-> Service/shop/orders {"via":"args","address":"orders.shop.svc.cluster.local:8080","container":"api","port":"8080"}',
      'Service/app/legacy-db -calls-> Service/data/db {"via":"externalName","address":"db.data.svc.cluster.local"}',
      'Service/data/db -selects-workload-> Deployment/data/db {"via":"template"}',
    ]);
  });

  it('makes a missing node for a Service that can only be a cluster name, and an unknown one where the namespace was not read', async () => {
    const g = await graph();
    expect(g.node({ kind: 'Service', namespace: 'app', name: 'postgres' })?.presence).toBe('missing');
    expect(g.node({ kind: 'Service', namespace: 'shop', name: 'orders' })?.presence).toBe('unknown');
    // Neither the program's own name, an image reference, nor a public host is a dependency.
    expect(g.node({ kind: 'Service', namespace: 'app', name: 'redis' })).toBeUndefined();
    expect(g.node({ kind: 'Service', namespace: 'app', name: 'payments' })).toBeUndefined();
    const api = g.outgoing('Pod/app/api-7c9f-x2k4p').filter((edge) => edge.to === 'Service/app/api');
    expect(api).toEqual([]);
  });
});
