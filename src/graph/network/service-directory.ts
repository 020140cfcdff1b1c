import type { KubeObject } from '../../core/kube-object.js';
import type { Service } from '../../core/kube-types.js';
import { selectorMatches } from '../../core/label-selector.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';

const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/** What a host a program dials stands for in the cluster. */
export interface ResolvedHost {
  /**
   * The Service (present or not), or the pod an IP belongs to when no Service selects it. A name is
   * resolved only when it can mean nothing but a cluster object (`db.data.svc`, `name.ns` of a known
   * namespace, a single label), so a Service that is not there is missing, not external.
   */
  readonly target: ResourceRef;
}

/**
 * The cluster's DNS, as far as the snapshot shows it (the names kube-dns serves, see
 * https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/): Services by name and
 * namespace (`db`, `db.data`, `db.data.svc[.cluster.local]`), a headless Service's pods
 * (`db-0.db.data.svc`), and IP literals by Service cluster IP and pod IP. Built once per graph.
 */
export class ServiceDirectory {
  readonly #snapshot: Snapshot;
  readonly #namespaces = new Set<string>();
  readonly #byIp = new Map<string, KubeObject>();
  /** What each IP named so far stands for: a pod's IP is looked up in its namespace's Services once. */
  readonly #ipTargets = new Map<string, ResourceRef>();

  constructor(snapshot: Snapshot) {
    this.#snapshot = snapshot;
    for (const object of snapshot.all()) {
      const { namespace } = object.metadata;
      if (namespace !== undefined) this.#namespaces.add(namespace);
      if (object.kind === 'Namespace') this.#namespaces.add(object.metadata.name);
    }
    for (const pod of snapshot.ofKind('Pod')) {
      const ip = pod.status?.podIP;
      if (ip !== undefined && ip !== '') this.#byIp.set(ip, pod);
    }
    for (const service of snapshot.ofKind('Service')) {
      for (const ip of clusterIps(service)) this.#byIp.set(ip, service);
    }
  }

  /** What `host` names, dialled from a pod in `namespace`; undefined for a name outside the cluster. */
  resolve(host: string, namespace: string | undefined): ResolvedHost | undefined {
    // The pod itself: a sidecar, or nothing the cluster names.
    if (host === 'localhost' || host.endsWith('.localhost')) return undefined;
    const byIp = this.#byIp.get(host);
    if (byIp !== undefined) {
      const target = this.#ipTargets.get(host) ?? this.#serviceOfIp(byIp);
      this.#ipTargets.set(host, target);
      return { target };
    }
    if (/^[0-9.]+$/.test(host) || host.includes(':')) return undefined;
    const labels = host.split('.');
    // Not a DNS name (`m_mysql`, a Compose service): nothing kube-dns serves.
    if (!labels.every((label) => DNS_LABEL.test(label))) return undefined;
    const svc = labels.indexOf('svc');
    if (svc >= 2) {
      // name.ns.svc[.domain], or pod.name.ns.svc[.domain] (a headless Service's pod).
      const name = labels[svc - 2] ?? '';
      const ns = labels[svc - 1] ?? '';
      return { target: { kind: 'Service', namespace: ns, name } };
    }
    if (labels.length === 1) {
      return namespace === undefined ? undefined : { target: { kind: 'Service', namespace, name: host } };
    }
    const [first = '', second = '', third] = labels;
    if (labels.length === 2) {
      if (this.#namespaces.has(second))
        return { target: { kind: 'Service', namespace: second, name: first } };
      // `db-0.db`: a pod of the headless Service `db` beside the caller.
      if (namespace !== undefined && this.#isHeadless(namespace, second))
        return { target: { kind: 'Service', namespace, name: second } };
      return undefined;
    }
    if (
      labels.length === 3 &&
      third !== undefined &&
      this.#namespaces.has(third) &&
      this.#isHeadless(third, second)
    )
      return { target: { kind: 'Service', namespace: third, name: second } };
    return undefined;
  }

  /** A Service's cluster IP stands for the Service; a pod's IP for a Service selecting the pod, else the pod. */
  #serviceOfIp(object: KubeObject): ResourceRef {
    if (object.kind !== 'Pod') return refOf(object);
    const labels = object.metadata.labels;
    const service = this.#snapshot
      .ofKind('Service', object.metadata.namespace)
      .filter((s) => {
        const selector = s.spec?.selector;
        return (
          selector !== undefined &&
          Object.keys(selector).length > 0 &&
          selectorMatches({ matchLabels: selector }, labels)
        );
      })
      .map((s) => s.metadata.name)
      .sort()[0];
    return service === undefined
      ? refOf(object)
      : { kind: 'Service', namespace: object.metadata.namespace ?? '', name: service };
  }

  #isHeadless(namespace: string, name: string): boolean {
    const service: Service | undefined = this.#snapshot.get({ kind: 'Service', namespace, name });
    return service?.spec?.clusterIP === 'None';
  }
}

function clusterIps(service: Service): string[] {
  return [service.spec?.clusterIP, ...(service.spec?.clusterIPs ?? [])].filter(
    (ip): ip is string => ip !== undefined && ip !== '' && ip !== 'None',
  );
}
