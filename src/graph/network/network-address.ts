/**
 * Network addresses written in configuration: env values, ConfigMap values and files, container
 * arguments. Finds the host and port of `postgres://app@db.data.svc:5432/app`, `redis://cache:6379`,
 * `DB_HOST=postgres`, `KAFKA_BROKERS=a:9092,b:9092`, `Host=db;Port=5432`, `--db-host=postgres`.
 * Pure, bounded (a value's first {@link MAX_VALUE_CHARS} characters, at most
 * {@link MAX_ADDRESSES} addresses) and linear in its input.
 */

/** How an address was written: the surer the form, the more a missing Service behind it means. */
export type AddressForm = 'url' | 'host-port' | 'name';

export interface NetworkAddress {
  /** Lower-cased, without brackets or a trailing dot. */
  readonly host: string;
  /** A port number, or a port name (`http`), as written; a URL scheme's default port when the URL gives none. */
  readonly port?: string;
  /** True when `port` is the scheme's default rather than written. */
  readonly portImplied?: boolean;
  readonly form: AddressForm;
  /** Whether a key that says "address" named it (`DB_HOST`): then even a bare name is one. */
  readonly keyed: boolean;
}

export const MAX_VALUE_CHARS = 4096;
export const MAX_ADDRESSES = 16;

/**
 * The last word of a key that says its value is a network address: `DB_HOST`, `redisUrl`,
 * `KAFKA_BROKERS`, `spring.datasource.url`, `--db-host`. A key ending in `NAME` (`OTEL_SERVICE_NAME`)
 * names the program itself, not something it dials.
 */
const ADDRESS_KEY =
  /(?:^|[_.-])(?:host|hosts|hostname|addr|address|addresses|server|servers|service|endpoint|endpoints|url|urls|uri|uris|dsn|broker|brokers|bootstrap|peers?|upstreams?|backends?|targets?|seeds?)$/i;

/** What may stand before `=` as a key: `Host`, `--db-host`, `spring.datasource.url` (not a URL's query). */
const KEY = /^-{0,2}[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

/** Bare values that are settings, never hosts. */
const NOT_HOSTS = new Set([
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'none',
  'null',
  'nil',
  'disabled',
  'enabled',
  'localhost',
]);

/** Ports a URL implies when it names none: what a client dials for `http://api`. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  http: '80',
  https: '443',
  ws: '80',
  wss: '443',
  postgres: '5432',
  postgresql: '5432',
  mysql: '3306',
  redis: '6379',
  rediss: '6379',
  mongodb: '27017',
  amqp: '5672',
  amqps: '5671',
  nats: '4222',
};

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DNS_NAME = `${LABEL}(?:\\.${LABEL}){0,10}`;
const IPV6 = '\\[[0-9a-f:.]{2,45}\\]';
/** `scheme://[userinfo@]host[:port]`: the rest of the URL (path, query, a host list's tail) is left. */
const URL_FORM = new RegExp(
  `^([a-z][a-z0-9+.:-]{0,30})://(?:[^@/?#\\s]{0,256}@)?(${IPV6}|${DNS_NAME})(?::([0-9]{1,5}))?(?=[/?#,;]|$)`,
  'i',
);
/** `host:port`, alone or before a path. */
const HOST_PORT = new RegExp(`^(${IPV6}|${DNS_NAME}):([0-9]{1,5})(?=/|$)`, 'i');
const NAME_ONLY = new RegExp(`^${DNS_NAME}\\.?$`, 'i');
/** The cluster's own names: `db.data.svc`, `db.data.svc.cluster.local`. */
const CLUSTER_NAME = /\.svc(?:\.[a-z0-9.-]*)?\.?$/i;

/** Whether a key (env name, config key, flag) says its value is an address. */
export function isAddressKey(key: string): boolean {
  // camelCase to snake: `redisUrl` → `redis_Url`.
  return ADDRESS_KEY.test(key.slice(-64).replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
}

/**
 * The addresses in one value. A bare name (`postgres`) counts only under an address key or when
 * it is a cluster DNS name (`db.data.svc`); URLs and `host:port` always count.
 */
export function addressesIn(value: string, key?: string): NetworkAddress[] {
  const addressKey = key !== undefined && isAddressKey(key);
  const found: NetworkAddress[] = [];
  const tokens = value.slice(0, MAX_VALUE_CHARS).split(/[\s,;"'`()<>]+/);
  // libpq and .NET keyword strings (`host=db port=5432`, `Host=db;Port=5432`): the port beside the host.
  const keywordPort = tokens
    .map((token) => /^port=([0-9]{1,5})$/i.exec(token)?.[1])
    .find((p) => p !== undefined);
  for (const raw of tokens) {
    if (found.length >= MAX_ADDRESSES) break;
    if (raw === '') continue;
    const equals = raw.indexOf('=');
    const scheme = raw.indexOf('://');
    // `--db-host=postgres`, `Host=db`, `--upstream=http://…`: the inner key decides, as an env name
    // would (an `=` inside a URL's query is not one).
    const [token, tokenKey] =
      equals > 0 && (scheme < 0 || equals < scheme) && KEY.test(raw.slice(0, equals))
        ? [raw.slice(equals + 1), raw.slice(0, equals).replace(/^-+/, '')]
        : [raw, undefined];
    const hinted = tokenKey === undefined ? addressKey : isAddressKey(tokenKey);
    const address = addressOf(token, hinted);
    if (address === undefined) continue;
    const keyed = { ...address, keyed: hinted };
    found.push(
      address.form === 'name' &&
        address.port === undefined &&
        tokenKey !== undefined &&
        keywordPort !== undefined
        ? { ...keyed, port: keywordPort }
        : keyed,
    );
  }
  return found;
}

function addressOf(token: string, hinted: boolean): Omit<NetworkAddress, 'keyed'> | undefined {
  const url = URL_FORM.exec(token);
  if (url !== null) {
    const scheme = (url[1] ?? '').toLowerCase().replace(/^jdbc:/, '');
    const host = normalHost(url[2] ?? '');
    if (host === undefined) return undefined;
    if (url[3] !== undefined) return { host, port: url[3], form: 'url' };
    const implied = DEFAULT_PORTS[scheme];
    return implied === undefined
      ? { host, form: 'url' }
      : { host, port: implied, portImplied: true, form: 'url' };
  }
  const hostPort = HOST_PORT.exec(token);
  if (hostPort !== null) {
    const host = normalHost(hostPort[1] ?? '');
    return host === undefined ? undefined : { host, port: hostPort[2] ?? '', form: 'host-port' };
  }
  if (!NAME_ONLY.test(token) || /^[0-9.]+$/.test(token)) return undefined;
  if (!hinted && !CLUSTER_NAME.test(token)) return undefined;
  const host = normalHost(token);
  return host === undefined ? undefined : { host, form: 'name' };
}

function normalHost(text: string): string | undefined {
  const host = text
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (NOT_HOSTS.has(host) || host === '' || host.startsWith('127.') || host === '::1' || host === '0.0.0.0')
    return undefined;
  return host;
}
