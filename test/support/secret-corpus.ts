/**
 * The redaction corpus: secrets planted where an incident carries text (env, manifests with their
 * annotations and last-applied copy, logs, event messages), in the shapes they take in the wild,
 * and benign material that must come through untouched (the real captures of test/fixtures/realdata,
 * the example's logs, and log lines full of ids, digests, names and URLs). Deterministic: a
 * seeded generator, so a leak found once is found every time.
 *
 * Used by the corpus test (0 leaks, false-redaction rate bounded) and by `npm run bench`, which
 * prints both figures.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../../src/core/kube-object.js';
import type { RedactionLocation } from '../../src/observe/redact/redactor.js';
import { REALDATA_DIR } from './realdata.ts';

/** One secret put somewhere: the material that must not come out again. */
export interface PlantedSecret {
  readonly format: string;
  readonly location: RedactionLocation;
  /** The secret material itself (a password, a token, a key body). */
  readonly secret: string;
}

/** What the redactor is given: objects and texts, and the secrets planted in them. */
export interface Corpus {
  readonly objects: readonly KubeObject[];
  readonly logs: readonly string[];
  readonly events: readonly string[];
  readonly planted: readonly PlantedSecret[];
}

/** mulberry32: small, seeded, good enough to make secrets that look random. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${ALNUM}+/`;
const HEX = '0123456789abcdef';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Secret formats: each makes a fresh secret (and what must not leak of it). */
function formats(random: () => number): Record<string, () => string> {
  const pick = (alphabet: string, n: number): string =>
    Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)] ?? 'x').join('');
  const b64url = (n: number): string => pick(`${ALNUM}-_`, n);
  const words = ['correct', 'horse', 'battery', 'staple', 'orange', 'tiger', 'marble', 'violet'];
  return {
    password: () => `${pick(ALNUM, 6)}!${pick(ALNUM, 6)}#${String(Math.floor(random() * 90) + 10)}`,
    passphrase: () =>
      Array.from({ length: 4 }, () => words[Math.floor(random() * words.length)]).join('-') + pick(HEX, 4),
    jwt: () => `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${b64url(40)}.${b64url(43)}`,
    'aws-access-key': () => `AKIA${pick(UPPER_ALNUM, 16)}`,
    'aws-secret-key': () => pick(BASE64, 40),
    'github-token': () => `ghp_${pick(ALNUM, 36)}`,
    'github-pat': () => `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`,
    'gitlab-token': () => `glpat-${b64url(20)}`,
    'slack-token': () => `xoxb-${pick('0123456789', 12)}-${pick('0123456789', 13)}-${pick(ALNUM, 24)}`,
    'slack-webhook': () =>
      `https://hooks.slack.com/services/T${pick(UPPER_ALNUM, 8)}/B${pick(UPPER_ALNUM, 10)}/${pick(ALNUM, 24)}`,
    'stripe-key': () => `sk_live_${pick(ALNUM, 24)}`,
    'google-api-key': () => `AIza${b64url(35)}`,
    'openai-key': () => `sk-proj-${b64url(48)}`,
    'npm-token': () => `npm_${pick(ALNUM, 36)}`,
    'sendgrid-key': () => `SG.${b64url(22)}.${b64url(43)}`,
    'vault-token': () => `hvs.${b64url(90)}`,
    'random-base64': () => pick(BASE64, 32),
    'hex-secret': () => pick(HEX, 40),
  };
}

/** An RSA-looking PEM private key: header, 64-column base64 lines, footer. */
function pemKey(random: () => number): { pem: string; body: string[] } {
  const line = (): string =>
    Array.from({ length: 64 }, () => BASE64[Math.floor(random() * 64)] ?? 'A').join('');
  const body = Array.from({ length: 6 }, line);
  return {
    pem: ['-----BEGIN RSA PRIVATE KEY-----', ...body, '-----END RSA PRIVATE KEY-----'].join('\n'),
    body,
  };
}

/** At least 200 planted secrets across env, manifests, logs and events. */
export function secretCorpus(seed = 20261122): Corpus {
  const random = generator(seed);
  const make = formats(random);
  const planted: PlantedSecret[] = [];
  const plant = (format: string, location: RedactionLocation, secret = make[format]?.() ?? ''): string => {
    planted.push({ format, location, secret });
    return secret;
  };
  const objects: KubeObject[] = [];
  const logs: string[] = [];
  const events: string[] = [];

  for (let round = 0; round < 4; round++) {
    // env: secrets under secret names (whatever they look like) and by look under plain names.
    const env = [
      { name: 'DB_PASSWORD', value: plant('password', 'env') },
      { name: 'dbPassword', value: plant('passphrase', 'env') },
      { name: 'API_KEY', value: plant('hex-secret', 'env') },
      { name: 'CLIENT_SECRET', value: plant('random-base64', 'env') },
      { name: 'GITHUB_TOKEN', value: plant('github-token', 'env') },
      { name: 'AWS_ACCESS_KEY_ID', value: plant('aws-access-key', 'env') },
      { name: 'AWS_SECRET_ACCESS_KEY', value: plant('aws-secret-key', 'env') },
      { name: 'SLACK_HOOK', value: plant('slack-webhook', 'env') },
      { name: 'UPSTREAM', value: `https://svc-user:${plant('password', 'env')}@api.internal:8443/v1` },
      { name: 'PAYMENTS', value: plant('stripe-key', 'env') },
      { name: 'SENTRY_DSN', value: `https://${plant('hex-secret', 'env')}@o1.ingest.sentry.io/42` },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'SECRET_NAME', value: 'db-credentials' },
    ];
    const lastApplied = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `api-${String(round)}`, namespace: 'shop' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'api',
                env: [
                  { name: 'REDIS_PASSWORD', value: plant('password', 'manifest') },
                  { name: 'NPM_AUTH', value: plant('npm-token', 'manifest') },
                ],
              },
            ],
          },
        },
      },
    };
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `api-6f7d9c8b5d-${String(round)}x9p`,
        namespace: 'shop',
        uid: `0ebe8b8b-5449-4a41-bea5-9884e89f66d${String(round)}`,
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(lastApplied),
          'example.com/session-token': plant('jwt', 'manifest'),
          'example.com/notify': plant('slack-token', 'manifest'),
          'checksum/config': 'f3a1c2e4b5d6978812ab34cd56ef7890aa11bb22cc33dd44ee55ff6677889900',
        },
      },
      spec: {
        containers: [
          {
            name: 'api',
            image: `registry.example.com/shop/api@sha256:${'ab12cd34ef56'.repeat(5)}abcd`,
            args: [
              '--listen=:8080',
              '--db-password',
              plant('password', 'manifest'),
              `--token=${plant('gitlab-token', 'manifest')}`,
            ],
            command: [
              '/bin/sh',
              '-c',
              `export OPENAI_API_KEY=${plant('openai-key', 'manifest')} && exec /app/server`,
            ],
            env,
            readinessProbe: {
              httpGet: {
                path: '/healthz',
                port: 8080,
                httpHeaders: [{ name: 'Authorization', value: `Bearer ${plant('jwt', 'manifest')}` }],
              },
            },
          },
        ],
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } },
            ],
          },
        },
      },
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `api-config-${String(round)}`, namespace: 'shop' },
      data: {
        CACHE_SIZE: '512',
        'smtp.password': plant('password', 'manifest'),
        'application.yaml': `server:\n  port: 8080\nspring:\n  datasource:\n    url: jdbc:postgresql://db:5432/shop\n    username: shop\n    password: ${plant('password', 'manifest')}\nstripe:\n  apiKey: "${plant('stripe-key', 'manifest')}"\n`,
        'connection.txt': `Server=tcp:shop.database.windows.net,1433;Database=shop;User ID=app;Password=${plant('password', 'manifest')};Encrypt=true`,
        'google.json': JSON.stringify({
          type: 'service_account',
          private_key: pemKey(random).pem,
          api_key: plant('google-api-key', 'manifest'),
        }),
      },
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `db-credentials-${String(round)}`,
        namespace: 'shop',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            kind: 'Secret',
            stringData: { password: plant('passphrase', 'manifest') },
          }),
        },
      },
      data: { password: Buffer.from(plant('passphrase', 'manifest')).toString('base64') },
      stringData: { token: plant('vault-token', 'manifest') },
    });
    // The PEM key's body lines must go; they are planted one by one.
    const key = pemKey(random);
    for (const line of key.body) planted.push({ format: 'private-key', location: 'log', secret: line });
    const cutKey = pemKey(random);
    for (const line of cutKey.body.slice(2))
      planted.push({ format: 'private-key-cut', location: 'log', secret: line });

    logs.push(
      [
        `2026-11-20T03:11:${String(10 + round)}Z INFO starting api version=1.4.${String(round)} commit=9fceb02d0ae598e95dc970b74767f19372d61af8`,
        `2026-11-20T03:11:11Z DEBUG outgoing request GET https://api.github.com/user headers={"Authorization": "token ${plant('github-token', 'log')}"}`,
        `2026-11-20T03:11:12Z ERROR connect failed: dial postgres://shop:${plant('password', 'log')}@db.shop.svc:5432/shop?sslmode=require: connection refused`,
        `{"level":"info","ts":"2026-11-20T03:11:13Z","msg":"config loaded","apiKey":"${plant('random-base64', 'log')}","region":"eu-west-1"}`,
        `DB_PASSWORD=${plant('password', 'log')} REDIS_URL=redis://cache:6379/0`,
        `2026-11-20T03:11:14Z WARN retrying with Authorization: Bearer ${plant('jwt', 'log')}`,
        `aws_secret_access_key = ${plant('aws-secret-key', 'log')}`,
        `2026-11-20T03:11:15Z INFO fetched https://storage.example.com/bucket/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${plant('aws-access-key', 'log')}%2F20261120&X-Amz-Signature=${plant('hex-secret', 'log')}`,
        `2026-11-20T03:11:16Z ERROR webhook ${plant('slack-webhook', 'log')} returned 404`,
        `2026-11-20T03:11:17Z DEBUG payload {\\"password\\":\\"${plant('password', 'log')}\\",\\"user\\":\\"shop\\"}`,
        `curl -H "X-Api-Key: ${plant('sendgrid-key', 'log')}" https://api.sendgrid.com/v3/mail/send`,
        `2026-11-20T03:11:18Z INFO vault login ok token=${plant('vault-token', 'log')}`,
        `2026-11-20T03:11:19Z INFO loaded key ${plant('github-pat', 'log')}`,
        `2026-11-20T03:11:20Z DEBUG basic auth header Basic ${Buffer.from(`admin:${plant('password', 'log')}`).toString('base64')}`,
        `2026-11-20T03:11:21Z DEBUG generated session secret ${plant('random-base64', 'log')}`,
        'dumping key material:',
        key.pem,
        'panic: runtime error: invalid memory address or nil pointer dereference',
      ].join('\n'),
    );
    // A log tail that starts in the middle of a key: no BEGIN line.
    logs.push([...cutKey.body.slice(2), '-----END RSA PRIVATE KEY-----', 'key loaded'].join('\n'));

    events.push(
      `Failed to pull image "registry.example.com/shop/api:1.4.${String(round)}": rpc error: code = Unknown desc = failed to resolve reference: unexpected status from HEAD request with Authorization: Basic ${Buffer.from(`robot$shop:${plant('password', 'event')}`).toString('base64')}: 401 Unauthorized`,
      `Error: couldn't start container: env OPENAI_API_KEY=${plant('openai-key', 'event')} rejected by admission`,
      `Readiness probe failed: Get "https://10.244.1.${String(7 + round)}:8443/healthz?access_token=${plant('jwt', 'event')}": context deadline exceeded`,
      `MountVolume.SetUp failed for volume "creds" : secret "db-credentials" not found (last token ${plant('github-token', 'event')})`,
    );
  }
  return { objects, logs, events, planted };
}

const EXAMPLE = fileURLToPath(new URL('../../examples/shop-outage', import.meta.url));

/** Benign material: real captured objects and events, the example's logs, and log lines full of ids. */
export function benignCorpus(seed = 7): { objects: KubeObject[]; logs: string[]; events: string[] } {
  const objects: KubeObject[] = [];
  const events: string[] = [];
  for (const folder of ['pods', 'deployments', 'events']) {
    for (const file of readdirSync(join(REALDATA_DIR, folder))) {
      if (!file.endsWith('.json')) continue;
      const parsed = JSON.parse(readFileSync(join(REALDATA_DIR, folder, file), 'utf8')) as {
        items?: KubeObject[];
      } & KubeObject;
      for (const item of parsed.items ?? [parsed]) {
        const message = (item as { message?: unknown }).message;
        if (item.kind === 'Event' || folder === 'events')
          events.push(typeof message === 'string' ? message : '');
        else objects.push(item);
      }
    }
  }
  const logs = logFiles(EXAMPLE);
  const random = generator(seed);
  const hex = (n: number): string =>
    Array.from({ length: n }, () => HEX[Math.floor(random() * 16)] ?? '0').join('');
  const lower = (n: number): string =>
    Array.from({ length: n }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(random() * 27)] ?? 'x').join('');
  for (let i = 0; i < 200; i++) {
    const uuid = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    logs.push(
      [
        `2026-11-20T03:${String(10 + (i % 50))}:00.${hex(3)}Z INFO request_id=${uuid} trace_id=${hex(32)} span_id=${hex(16)} GET /api/v1/orders/${String(1000 + i)} 200 ${String(i % 97)}ms`,
        `I1120 03:12:0${String(i % 10)}.123456       1 controller.go:123] "Syncing" pod="shop/api-${lower(10)}-${lower(5)}" uid="${uuid}" resourceVersion="${String(48213 + i)}"`,
        `Pulled image "registry.example.com/shop/api@sha256:${hex(64)}" in 1.2${String(i % 10)}s`,
        `containerd://${hex(64)} started; image sha256:${hex(64)}`,
        `commit ${hex(40)} deployed by ci to https://shop.example.com/status?page=2&sort=desc`,
        `java.lang.IllegalStateException: Failed to execute CommandLineRunner at org.springframework.boot.SpringApplication.callRunner(SpringApplication.java:${String(770 + i)})`,
        `connected to redis://cache.shop.svc:6379/0 in ${String(i % 13)}ms; pool size 16, ServiceAccount shop/default, secretName db-credentials`,
        `level=error msg="Back-off restarting failed container api in pod api-${lower(10)}-${lower(5)}_shop(${uuid})" ReplicaSetControllerManager2 volume pvc-${uuid}`,
      ].join('\n'),
    );
  }
  return { objects, logs, events };
}

function logFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...logFiles(path));
    else if (entry === 'logs.txt') found.push(readFileSync(path, 'utf8'));
  }
  return found;
}
