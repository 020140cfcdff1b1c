import type { Container, Pod, Volume } from '../core/kube-types.js';
import type { ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';
import { containerSpec } from './container-spec.js';

/** Where a failing container's configuration came from: a ConfigMap or Secret, and the key. */
export interface ConfigSource {
  readonly ref: ResourceRef;
  /** The key whose content it failed on, when the line names the file or the variable. */
  readonly key?: string;
  /** What linked them: `file /etc/app/config.yaml` or `env LOG_LEVEL`. */
  readonly via: string;
}

/** An absolute path in a line: `/etc/nginx/conf.d/default.conf`, up to a quote, colon or space. */
const PATH = /(?<![\w.~-])\/[\w.@+-]+(?:\/[\w.@+-]+)*/g;
/** An environment variable's name as programs print it: `LOG_LEVEL`, `$DB_PORT`, `${CACHE_SIZE}`. */
const ENV_NAME = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z]{3,}\b/g;
/** Bounds: a line is read this far, and this many lines at most. */
const MAX_LINE = 4096;
const MAX_LINES = 64;

/**
 * The ConfigMap or Secret a failing container's own words point at: a path named in an error
 * line that lies under a volume mount of a ConfigMap or Secret (nginx's `unknown directive … in
 * /etc/nginx/conf.d/default.conf:3`, a YAML parser's `/config/app.yaml: line 4`), or the name of
 * an environment variable the container takes from one (`invalid LOG_LEVEL "verbose"`). What is
 * wrong then is that object's content, not the pod. Undefined when no line names either.
 *
 * Lines are the caller's failing lines (error lines of the logs, the termination message); each is
 * read up to 4,096 characters, 64 lines at most.
 */
export function configSourceNamed(
  pod: Pod,
  containerName: string,
  lines: readonly string[],
  snapshot: Snapshot,
): ConfigSource | undefined {
  const container = containerSpec(pod, containerName);
  if (container === undefined) return undefined;
  const namespace = pod.metadata.namespace;
  const read = lines.slice(0, MAX_LINES).map((line) => line.slice(0, MAX_LINE));
  for (const line of read) {
    for (const path of line.match(PATH) ?? []) {
      const source = mountedSource(pod, container, path.replace(/[.:]+$/, ''), namespace);
      if (source !== undefined) return source;
    }
  }
  const fromEnv = envSources(container, namespace, snapshot);
  for (const line of read) {
    for (const name of line.match(ENV_NAME) ?? []) {
      const source = fromEnv.get(name);
      if (source !== undefined) return source;
    }
  }
  return undefined;
}

/** The ConfigMap or Secret mounted where `path` lies, and the key that is that file. */
function mountedSource(
  pod: Pod,
  container: Container,
  path: string,
  namespace: string | undefined,
): ConfigSource | undefined {
  // The deepest mount that holds the path wins: `/etc/app` over `/etc`.
  const mounts = [...(container.volumeMounts ?? [])]
    .filter((m) => m.mountPath !== undefined && m.mountPath !== '')
    .sort((a, b) => (b.mountPath ?? '').length - (a.mountPath ?? '').length);
  for (const mount of mounts) {
    const at = (mount.mountPath ?? '').replace(/\/+$/, '');
    const inside = path === at || path.startsWith(`${at}/`);
    if (!inside) continue;
    const volume = pod.spec?.volumes?.find((v) => v.name === mount.name);
    if (volume === undefined) return undefined;
    // A subPath mount is one key as a file at mountPath; else the file's name is the key.
    const file = mount.subPath ?? path.slice(at.length + 1).split('/')[0] ?? '';
    return sourceOf(volume, file, namespace, `file ${path}`);
  }
  return undefined;
}

function sourceOf(
  volume: Volume,
  file: string,
  namespace: string | undefined,
  via: string,
): ConfigSource | undefined {
  const at = (kind: string, name: string | undefined): ConfigSource | undefined =>
    name === undefined || name === ''
      ? undefined
      : {
          ref: namespace === undefined ? { kind, name } : { kind, namespace, name },
          ...(file === '' ? {} : { key: file }),
          via,
        };
  if (volume.configMap !== undefined) return at('ConfigMap', volume.configMap.name);
  if (volume.secret !== undefined) return at('Secret', volume.secret.secretName);
  // A projected volume merges sources: the one whose items (or, unlisted, whose keys) hold the file.
  const sources = volume.projected?.sources ?? [];
  for (const source of sources) {
    const held = source.configMap ?? source.secret;
    if (held === undefined) continue;
    const items = held.items;
    if (items !== undefined && !items.some((item) => item.key === file)) continue;
    return at(source.configMap === undefined ? 'Secret' : 'ConfigMap', held.name);
  }
  return undefined;
}

/**
 * Each variable the container takes from a ConfigMap or Secret, by name: `valueFrom` keys, and
 * `envFrom` sources' keys when the source was read (a Secret's keys only, never its values).
 */
function envSources(
  container: Container,
  namespace: string | undefined,
  snapshot: Snapshot,
): Map<string, ConfigSource> {
  const byName = new Map<string, ConfigSource>();
  const refIn = (kind: string, name: string): ResourceRef =>
    namespace === undefined ? { kind, name } : { kind, namespace, name };
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    const keyRef = from?.configMapKeyRef ?? from?.secretKeyRef;
    if (keyRef?.name === undefined) continue;
    const kind = from?.configMapKeyRef === undefined ? 'Secret' : 'ConfigMap';
    byName.set(variable.name, {
      ref: refIn(kind, keyRef.name),
      ...(keyRef.key === undefined ? {} : { key: keyRef.key }),
      via: `env ${variable.name}`,
    });
  }
  for (const source of container.envFrom ?? []) {
    const kind = source.configMapRef === undefined ? 'Secret' : 'ConfigMap';
    const name = (source.configMapRef ?? source.secretRef)?.name;
    if (name === undefined) continue;
    const object = snapshot.get(refIn(kind, name));
    const data = (object as { data?: Record<string, unknown> } | undefined)?.data ?? {};
    for (const key of Object.keys(data)) {
      const variable = `${source.prefix ?? ''}${key}`;
      if (!byName.has(variable))
        byName.set(variable, { ref: refIn(kind, name), key, via: `env ${variable}` });
    }
  }
  return byName;
}
