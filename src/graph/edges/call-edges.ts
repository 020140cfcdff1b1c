import type { KubeObject } from '../../core/kube-object.js';
import type { Container, PodSpec, Service } from '../../core/kube-types.js';
import { selectorMatches } from '../../core/label-selector.js';
import type { Snapshot } from '../../core/snapshot.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import { addressesIn, type NetworkAddress } from '../network/network-address.js';
import { sibling, type EdgeSink } from './edge-sink.js';

/** What each ConfigMap's values hold, by key: read once per snapshot, not once per pod mounting it. */
const CONFIG_MAP_ADDRESSES = new WeakMap<
  KubeObject,
  readonly (readonly [string, readonly NetworkAddress[]])[]
>();
/** What each env value holds, by snapshot: a Deployment's replicas share their env. */
const ENV_ADDRESSES = new WeakMap<Snapshot, Map<string, readonly NetworkAddress[]>>();

/** A dependency a pod's configuration names, for matching log lines that name none. */
export interface ConfiguredCall {
  readonly target: ResourceRef;
  readonly port?: string;
}

/** How much of a mounted ConfigMap's files is scanned for addresses: config files, not data sets. */
const MAX_FILE_CHARS = 64 * 1024;
/** `key: value`, `key = value`, `key=value` in a config file line (YAML, properties, TOML, .env). */
const CONFIG_LINE = /^\s*["']?([A-Za-z0-9_.-]{1,128})["']?\s*[:=]\s*(.*)$/;

/**
 * What a pod (or a workload's template) dials, as its configuration says: env values, env values
 * taken from ConfigMaps (`valueFrom`, `envFrom`), arguments and command, and the files of mounted
 * ConfigMaps — each address resolved to the Service it names (`calls`, with where it was written
 * and the port). A name that can only be a cluster Service but is not there makes a missing node.
 * A Service that selects the caller itself is not a dependency. Secret values are never read, so
 * an address kept in a Secret is seen only when the caller's logs name it.
 */
export function callEdges(
  owner: KubeObject,
  spec: PodSpec,
  labels: Readonly<Record<string, string>> | undefined,
  sink: EdgeSink,
): ConfiguredCall[] {
  const from = refOf(owner);
  const namespace = owner.metadata.namespace;
  const calls: ConfiguredCall[] = [];
  const link = (address: NetworkAddress, via: string, container?: string): void => {
    const resolved = sink.services.resolve(address.host, namespace);
    if (resolved === undefined) return;
    const { target } = resolved;
    const present = sink.snapshot.get(target);
    // `redis:7` under a key that says nothing of addresses may be an image; only a Service that is there makes it one.
    if (!address.keyed && address.form === 'host-port' && present === undefined) return;
    if (present !== undefined && target.kind === 'Service' && selectsCaller(present, namespace, labels))
      return;
    if (target.kind === 'Pod' && target.name === owner.metadata.name) return;
    const written =
      address.port === undefined || address.portImplied === true
        ? address.host
        : `${address.host}:${address.port}`;
    // A port is the edge's only when it was written as one (`redis:7` under `SIDECAR_IMAGE` is not).
    const port =
      address.port !== undefined && (address.keyed || address.form === 'url') ? address.port : undefined;
    sink.link(from, target, 'calls', {
      via,
      address: written,
      ...(container === undefined ? {} : { container }),
      ...(port === undefined ? {} : { port }),
    });
    calls.push(port === undefined ? { target } : { target, port });
  };
  // A ConfigMap's addresses, read once however many pods use it.
  const configMapAddresses = (name: string): readonly (readonly [string, readonly NetworkAddress[]])[] => {
    const configMap = sink.snapshot.get(sibling(owner, 'ConfigMap', name));
    if (configMap === undefined) return [];
    let read = CONFIG_MAP_ADDRESSES.get(configMap);
    if (read === undefined) {
      read = Object.entries(stringData(configMap)).map(
        ([key, text]) => [key, addressesInText(text, key)] as const,
      );
      CONFIG_MAP_ADDRESSES.set(configMap, read);
    }
    return read;
  };
  const envAddresses = (value: string, key: string): readonly NetworkAddress[] => {
    let byValue = ENV_ADDRESSES.get(sink.snapshot);
    if (byValue === undefined)
      ENV_ADDRESSES.set(sink.snapshot, (byValue = new Map<string, readonly NetworkAddress[]>()));
    const memo = `${key}\u0000${value}`;
    let found = byValue.get(memo);
    if (found === undefined) byValue.set(memo, (found = addressesIn(value, key)));
    return found;
  };

  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const variable of container.env ?? []) {
      const via = `env:${variable.name}`;
      if (variable.value !== undefined)
        for (const a of envAddresses(variable.value, variable.name)) link(a, via, container.name);
      const ref = variable.valueFrom?.configMapKeyRef;
      if (ref?.name !== undefined && ref.key !== undefined) {
        const value = stringData(sink.snapshot.get(sibling(owner, 'ConfigMap', ref.name)))[ref.key];
        if (value !== undefined)
          for (const a of envAddresses(value, variable.name)) link(a, via, container.name);
      }
    }
    for (const source of container.envFrom ?? []) {
      const name = source.configMapRef?.name;
      if (name === undefined) continue;
      for (const [key, found] of configMapAddresses(name))
        for (const a of found) link(a, `envFrom:configmap/${name}:${key}`, container.name);
    }
    for (const a of argumentAddresses(container)) link(a, 'args', container.name);
  }
  for (const volume of spec.volumes ?? []) {
    const name = volume.configMap?.name;
    if (name === undefined) continue;
    for (const [key, found] of configMapAddresses(name))
      for (const a of found) link(a, `volume:${volume.name}:${key}`);
  }
  return calls;
}

/**
 * Addresses in a ConfigMap value: a one-line value as an env value under its key; a file (several
 * lines) line by line, each `key: value` under its own key.
 */
function addressesInText(text: string, key: string): NetworkAddress[] {
  if (!text.includes('\n')) return addressesIn(text, key);
  return text
    .slice(0, MAX_FILE_CHARS)
    .split('\n')
    .flatMap((line) => {
      const pair = CONFIG_LINE.exec(line);
      return pair === null ? addressesIn(line) : addressesIn(pair[2] ?? '', pair[1]);
    });
}

/** Addresses in `command` and `args`: `--db=postgres://…`, `--db-host postgres`, `redis://cache:6379`. */
function argumentAddresses(container: Container): NetworkAddress[] {
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  return words.flatMap((word, i) => {
    const previous = words[i - 1];
    // `--db-host postgres`: the flag before a value is its key.
    const key =
      previous?.startsWith('-') === true && !previous.includes('=') ? previous.replace(/^-+/, '') : undefined;
    return addressesIn(word, key);
  });
}

/** A Service that selects the caller's own pods: its own name, not a dependency. */
function selectsCaller(
  service: KubeObject,
  namespace: string | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const selector = (service as Service).spec?.selector;
  return (
    service.metadata.namespace === namespace &&
    selector !== undefined &&
    Object.keys(selector).length > 0 &&
    selectorMatches({ matchLabels: selector }, labels)
  );
}

/** A ConfigMap's `data` as strings (a hand-written dump may hold anything there). */
function stringData(object: KubeObject | undefined): Readonly<Record<string, string>> {
  const data = (object as { data?: unknown } | undefined)?.data;
  if (typeof data !== 'object' || data === null) return {};
  return Object.fromEntries(
    Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
