import type { KubeObject } from '../../core/kube-object.js';
import type { Container, PodSpec, ServiceAccount } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { EdgeDetail } from '../edge.js';
import { sibling, type EdgeSink } from './edge-sink.js';

/**
 * Everything a pod spec depends on: its node, claims, ConfigMaps and Secrets (volumes, projected
 * volumes, envFrom, env key references with the key), ServiceAccount, image pull Secrets (its own
 * and those it inherits from the ServiceAccount), PriorityClass and RuntimeClass. What it dials
 * is `callEdges`'. Used for pods,
 * and for the template of a workload that has no pods (so its references still show).
 */
export function podSpecEdges(owner: KubeObject, spec: PodSpec, sink: EdgeSink): void {
  const from = refOf(owner);
  if (spec.nodeName !== undefined && spec.nodeName !== '') {
    sink.link(from, { kind: 'Node', name: spec.nodeName }, 'runs-on');
  }
  for (const volume of spec.volumes ?? []) {
    const via = `volume:${volume.name}`;
    const claim = volume.persistentVolumeClaim?.claimName;
    if (claim !== undefined)
      sink.link(from, sibling(owner, 'PersistentVolumeClaim', claim), 'mounts-claim', { via });
    const configMap = volume.configMap;
    if (configMap?.name !== undefined) {
      linkKeyed(sink, owner, 'ConfigMap', configMap.name, via, configMap.items, configMap.optional);
    }
    const secret = volume.secret;
    if (secret?.secretName !== undefined) {
      linkKeyed(sink, owner, 'Secret', secret.secretName, via, secret.items, secret.optional);
    }
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap?.name !== undefined) {
        linkKeyed(
          sink,
          owner,
          'ConfigMap',
          source.configMap.name,
          via,
          source.configMap.items,
          source.configMap.optional,
        );
      }
      if (source.secret?.name !== undefined) {
        linkKeyed(
          sink,
          owner,
          'Secret',
          source.secret.name,
          via,
          source.secret.items,
          source.secret.optional,
        );
      }
    }
  }
  for (const container of allContainers(spec)) containerEdges(owner, container, sink);

  const serviceAccountName = spec.serviceAccountName ?? spec.serviceAccount;
  if (serviceAccountName !== undefined && serviceAccountName !== '') {
    const accountRef = sibling(owner, 'ServiceAccount', serviceAccountName);
    sink.link(from, accountRef, 'runs-as');
    const account: ServiceAccount | undefined = sink.snapshot.get(accountRef);
    for (const pullSecret of account?.imagePullSecrets ?? []) {
      if (pullSecret.name !== undefined) {
        sink.link(from, sibling(owner, 'Secret', pullSecret.name), 'pulls-with', {
          via: `serviceaccount:${serviceAccountName}`,
        });
      }
    }
  }
  for (const pullSecret of spec.imagePullSecrets ?? []) {
    if (pullSecret.name !== undefined) {
      sink.link(from, sibling(owner, 'Secret', pullSecret.name), 'pulls-with', { via: 'imagePullSecrets' });
    }
  }
  if (spec.priorityClassName !== undefined && spec.priorityClassName !== '') {
    sink.link(from, { kind: 'PriorityClass', name: spec.priorityClassName }, 'uses-priority-class');
  }
  if (spec.runtimeClassName !== undefined && spec.runtimeClassName !== '') {
    sink.link(from, { kind: 'RuntimeClass', name: spec.runtimeClassName }, 'uses-runtime-class');
  }
}

function allContainers(spec: PodSpec): readonly Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

function containerEdges(owner: KubeObject, container: Container, sink: EdgeSink): void {
  const from = refOf(owner);
  for (const source of container.envFrom ?? []) {
    const configMap = source.configMapRef;
    if (configMap?.name !== undefined) {
      sink.link(from, sibling(owner, 'ConfigMap', configMap.name), 'uses-config-map', {
        via: 'envFrom',
        container: container.name,
        ...optional(configMap.optional),
      });
    }
    const secret = source.secretRef;
    if (secret?.name !== undefined) {
      sink.link(from, sibling(owner, 'Secret', secret.name), 'uses-secret', {
        via: 'envFrom',
        container: container.name,
        ...optional(secret.optional),
      });
    }
  }
  for (const variable of container.env ?? []) {
    const configMapKey = variable.valueFrom?.configMapKeyRef;
    if (configMapKey?.name !== undefined) {
      linkKey(sink, owner, 'ConfigMap', configMapKey.name, {
        via: `env:${variable.name}`,
        container: container.name,
        ...(configMapKey.key === undefined ? {} : { key: configMapKey.key }),
        ...optional(configMapKey.optional),
      });
    }
    const secretKey = variable.valueFrom?.secretKeyRef;
    if (secretKey?.name !== undefined) {
      linkKey(sink, owner, 'Secret', secretKey.name, {
        via: `env:${variable.name}`,
        container: container.name,
        ...(secretKey.key === undefined ? {} : { key: secretKey.key }),
        ...optional(secretKey.optional),
      });
    }
  }
}

function linkKeyed(
  sink: EdgeSink,
  owner: KubeObject,
  kind: 'ConfigMap' | 'Secret',
  name: string,
  via: string,
  items: readonly { readonly key?: string }[] | undefined,
  isOptional: boolean | undefined,
): void {
  const keys = (items ?? []).flatMap((item) => (item.key === undefined ? [] : [item.key]));
  if (keys.length === 0) {
    linkKey(sink, owner, kind, name, { via, ...optional(isOptional) });
    return;
  }
  for (const key of keys) linkKey(sink, owner, kind, name, { via, key, ...optional(isOptional) });
}

/** Links to a ConfigMap or Secret, marking the edge when the object is there but the key is not. */
function linkKey(
  sink: EdgeSink,
  owner: KubeObject,
  kind: 'ConfigMap' | 'Secret',
  name: string,
  detail: EdgeDetail,
): void {
  const target: ResourceRef = sibling(owner, kind, name);
  const object = sink.snapshot.get(target);
  const keyMissing = detail.key !== undefined && object !== undefined && !holdsKey(object, detail.key);
  sink.link(
    refOf(owner),
    target,
    kind === 'ConfigMap' ? 'uses-config-map' : 'uses-secret',
    keyMissing ? { ...detail, keyMissing } : detail,
  );
}

function holdsKey(object: KubeObject, key: string): boolean {
  const { data, binaryData, stringData } = object as {
    data?: object | null;
    binaryData?: object | null;
    stringData?: object | null;
  };
  return [data, binaryData, stringData].some(
    (map) => map !== undefined && map !== null && Object.hasOwn(map, key),
  );
}

function optional(flag: boolean | undefined): { readonly optional?: true } {
  return flag === true ? { optional: true } : {};
}
