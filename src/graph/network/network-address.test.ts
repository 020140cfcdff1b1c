import { describe, expect, it } from 'vitest';
import { addressesIn, isAddressKey, MAX_ADDRESSES } from './network-address.js';

const hosts = (value: string, key?: string): string[] =>
  addressesIn(value, key).map(
    (a) =>
      `${a.form} ${a.host}${a.port === undefined ? '' : `:${a.port}`}${a.portImplied === true ? ' (implied)' : ''}`,
  );

describe('addressesIn', () => {
  it('reads the forms programs write addresses in', () => {
    expect(hosts('postgres://app:s3cr3t@db.data.svc:5432/app?sslmode=disable')).toEqual([
      'url db.data.svc:5432',
    ]);
    expect(hosts('jdbc:postgresql://db.data.svc.cluster.local/app')).toEqual([
      'url db.data.svc.cluster.local:5432 (implied)',
    ]);
    expect(hosts('redis://cache:6379/0')).toEqual(['url cache:6379']);
    expect(hosts('http://api')).toEqual(['url api:80 (implied)']);
    expect(hosts('mongodb://a:27017,b:27017/db?replicaSet=rs0')).toEqual([
      'url a:27017',
      'host-port b:27017',
    ]);
    expect(hosts('kafka-0.kafka:9092,kafka-1.kafka:9092', 'KAFKA_BROKERS')).toEqual([
      'host-port kafka-0.kafka:9092',
      'host-port kafka-1.kafka:9092',
    ]);
    expect(hosts('Host=db;Port=5433;Database=app;Username=app')).toEqual(['name db:5433']);
    expect(hosts('host=db port=5432 dbname=app')).toEqual(['name db:5432']);
    expect(hosts('--upstream=http://orders.shop.svc.cluster.local:8080/v1')).toEqual([
      'url orders.shop.svc.cluster.local:8080',
    ]);
    expect(hosts('[fd00::1]:5432')).toEqual(['host-port fd00::1:5432']);
  });

  it('takes a bare name only under a key that says address, or when it is a cluster name', () => {
    expect(hosts('postgres', 'DB_HOST')).toEqual(['name postgres']);
    expect(hosts('postgres', 'DB_NAME')).toEqual([]);
    expect(hosts('api', 'OTEL_SERVICE_NAME')).toEqual([]);
    expect(hosts('db.data.svc')).toEqual(['name db.data.svc']);
    expect(hosts('true', 'REDIS_HOST')).toEqual([]);
    expect(hosts('localhost', 'DB_HOST')).toEqual([]);
    expect(hosts('127.0.0.1:5432')).toEqual([]);
    expect(hosts('512Mi', 'CACHE_SIZE')).toEqual([]);
    expect(hosts('registry.example.com/api:1.4.2')).toEqual([]);
    expect(hosts('nginx:1.25')).toEqual([]);
  });

  it('reads keys as a person names them', () => {
    for (const key of [
      'DB_HOST',
      'redisUrl',
      'KAFKA_BROKERS',
      'spring.datasource.url',
      'db-host',
      'ELASTICSEARCH_HOSTS',
      'MONGO_URI',
    ])
      expect(isAddressKey(key), key).toBe(true);
    for (const key of ['OTEL_SERVICE_NAME', 'LOG_LEVEL', 'HOSTNAME_PREFIX', 'DB_PORT', 'CACHE_SIZE'])
      expect(isAddressKey(key), key).toBe(false);
  });

  it('reads hostile values in bounded time and returns at most a bounded number of addresses', () => {
    for (const hostile of [
      ':'.repeat(1_000_000),
      '.'.repeat(1_000_000),
      '9'.repeat(1_000_000),
      'a'.repeat(1_000_000),
      `${'a.'.repeat(500_000)}svc`,
      'http://'.repeat(200_000),
      'a:1,'.repeat(250_000),
    ])
      expect(addressesIn(hostile, 'DB_HOSTS').length).toBeLessThanOrEqual(MAX_ADDRESSES);
    expect(addressesIn('a:1,'.repeat(100), 'HOSTS')).toHaveLength(MAX_ADDRESSES);
  });
});
