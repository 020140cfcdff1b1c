import type { Evidence, Finding, Severity } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { Container, ContainerPort, Pod, Service, ServicePort } from '../../core/kube-types.js';
import type { KubeObject } from '../../core/kube-object.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

const DIGITS = /^\d+$/;

/**
 * A Service port whose targetPort the pods it selects do not have, and an Ingress backend naming a
 * Service port the Service does not have.
 *
 * A named targetPort must match a port of that name and protocol declared by a container (or a
 * sidecar init container) of each pod, as the EndpointSlice controller looks it up: a pod without
 * it is left out of the Service's endpoints, so when no selected pod has it the port has no
 * endpoints at all (critical); when only some lack it, those get no traffic (warning). A numeric
 * targetPort is used as is whatever the pods declare (containerPort is informational), so one that
 * matches no declared port is a warning, and only when the containers declare ports at all: the
 * app most likely listens on one of those. The fix names the ports the pods do expose.
 *
 * Not a symptom: the mismatch is in the objects themselves.
 */
export const serviceTargetPort = defineRule({
  id: 'service-target-port',
  summary: 'a Service targetPort no selected pod declares, and an Ingress backend port the Service lacks',
  reads: [],
  kinds: ['Service', 'Ingress'],
  detect(object, { graph }) {
    // `kind` is a string on every view, so it does not narrow the union: the check does.
    return object.kind === 'Ingress'
      ? ingressBackendPorts(this.id, object, graph)
      : serviceTargetPorts(this.id, object as Service, graph);
  },
});

/** One port a pod exposes, as the Service would reach it. */
interface Exposed {
  readonly port: number | undefined;
  readonly name: string | undefined;
  readonly protocol: string;
}

function serviceTargetPorts(ruleId: string, service: Service, graph: DependencyGraph): Finding[] {
  const ref = refOf(service);
  const pods = graph
    .outgoing(refKey(ref))
    .filter((edge) => edge.kind === 'selects')
    .flatMap((edge) => {
      const pod = graph.nodeByKey(edge.to)?.object;
      return pod === undefined ? [] : [pod];
    })
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  // No pods: service-endpoints says the selector matches nothing; there is no port to compare.
  if (pods.length === 0) return [];
  const exposedBy = new Map(pods.map((pod) => [pod, exposedPorts(pod)]));
  const all = uniquePorts([...exposedBy.values()].flat());
  const findings: Finding[] = [];
  (service.spec?.ports ?? []).forEach((port, index) => {
    const target = port.targetPort ?? port.port;
    if (target === undefined) return;
    const protocol = port.protocol ?? 'TCP';
    const named = typeof target === 'string' && !DIGITS.test(target);
    const base = { ruleId, resource: ref };
    const portText = `port ${servicePortText(port)}`;
    if (named) {
      const lacking = pods.filter(
        (pod) =>
          !(exposedBy.get(pod) ?? []).some(
            (exposed) => exposed.name === target && exposed.protocol === protocol,
          ),
      );
      if (lacking.length === 0) return;
      const none = lacking.length === pods.length;
      const severity: Severity = none ? 'critical' : 'warning';
      findings.push({
        ...base,
        severity,
        message: none
          ? `Service ${ref.name} ${portText} targets the named port ${target}/${protocol}, which ${noneOf(pods.length)}: the port has no endpoints`
          : `Service ${ref.name} ${portText} targets the named port ${target}/${protocol}, which ${String(lacking.length)} of its ${String(pods.length)} pods ${lacking.length === 1 ? 'lacks' : 'lack'}: they get no traffic on it`,
        evidence: [
          {
            source: 'spec',
            text: `ports[${String(index)}]: port ${servicePortText(port)}, targetPort ${target}`,
          },
          {
            source: 'graph',
            text: `${none ? 'selected pods' : 'pods without it'} ${formatList(lacking.map((pod) => pod.metadata.name))} declare ${portsText(uniquePorts(lacking.flatMap((pod) => exposedBy.get(pod) ?? [])))}`,
          },
        ],
        fix: targetFix(ref, index, all, 'name', target),
      });
      return;
    }
    const number = typeof target === 'number' ? target : Number(target);
    // Ports are informational: when the containers declare none there is nothing to compare.
    if (all.length === 0) return;
    if (all.some((exposed) => exposed.port === number && exposed.protocol === protocol)) return;
    findings.push({
      ...base,
      severity: 'warning',
      message: `Service ${ref.name} ${portText} sends traffic to port ${String(number)}/${protocol}, which ${noneOf(pods.length)} (${pods.length === 1 ? 'it declares' : 'they declare'} ${portsText(all)}): connections there are likely refused`,
      evidence: [
        {
          source: 'spec',
          text: `ports[${String(index)}]: port ${servicePortText(port)}, targetPort ${String(number)}`,
        },
        {
          source: 'graph',
          text: `selected pods ${formatList(pods.map((pod) => pod.metadata.name))} declare ${portsText(all)}`,
        },
      ],
      fix: targetFix(ref, index, all, 'number', String(number)),
    });
  });
  return findings;
}

/** The container ports of a pod's containers and sidecars, which a Service can reach. */
function exposedPorts(pod: Pod): Exposed[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...(pod.spec?.containers ?? []), ...sidecars].flatMap((container: Container) =>
    (container.ports ?? []).map((port: ContainerPort) => ({
      port: port.containerPort,
      name: port.name,
      protocol: port.protocol ?? 'TCP',
    })),
  );
}

function uniquePorts(ports: readonly Exposed[]): Exposed[] {
  const seen = new Map<string, Exposed>();
  for (const port of ports) seen.set(exposedText(port), port);
  return [...seen.values()].sort((a, b) => (a.port ?? 0) - (b.port ?? 0));
}

/** `8080 (http)`, `53/UDP (dns)`: a port as the fix and evidence name it. */
function exposedText(port: Exposed): string {
  const number = `${String(port.port ?? '?')}${port.protocol === 'TCP' ? '' : `/${port.protocol}`}`;
  return port.name === undefined ? number : `${number} (${port.name})`;
}

function portsText(ports: readonly Exposed[]): string {
  return ports.length === 0 ? 'no ports' : formatList(ports.map(exposedText));
}

/** `80 (http)`, as a Service port reads. */
function servicePortText(port: ServicePort): string {
  const number = `${String(port.port ?? '?')}${port.protocol === undefined || port.protocol === 'TCP' ? '' : `/${port.protocol}`}`;
  return port.name === undefined ? number : `${number} (${port.name})`;
}

/**
 * Point the targetPort at what the pods expose: a patch when they expose one port (by name when the
 * target was a name and the port has one), otherwise an edit.
 */
function targetFix(
  ref: ResourceRef,
  index: number,
  exposed: readonly Exposed[],
  by: 'name' | 'number',
  target: string,
): Finding['fix'] {
  const [only] = exposed;
  if (exposed.length === 1 && only !== undefined) {
    const value =
      by === 'name' && only.name !== undefined ? JSON.stringify(only.name) : String(only.port ?? 0);
    return {
      summary: `point targetPort at the port the pods expose, ${exposedText(only)}, or declare ${target} in the pods' containers`,
      commands: [
        `kubectl ${nsFlag(ref)}patch service ${ref.name} --type=json -p '[{"op":"replace","path":"/spec/ports/${String(index)}/targetPort","value":${value}}]'`,
      ],
    };
  }
  return {
    summary:
      exposed.length === 0
        ? `declare ${target} in the pods' containers (ports[].${by === 'name' ? 'name' : 'containerPort'}), or point targetPort at the port the app listens on`
        : `point targetPort at one of the ports the pods expose (${portsText(exposed)}), or declare ${target} in the pods' containers`,
    commands: [`kubectl ${nsFlag(ref)}edit service ${ref.name}`],
  };
}

function ingressBackendPorts(ruleId: string, ingress: KubeObject, graph: DependencyGraph): Finding[] {
  const ref = refOf(ingress);
  const findings: Finding[] = [];
  for (const edge of graph.outgoing(refKey(ref))) {
    const port = edge.detail?.port;
    if (edge.kind !== 'routes-to' || port === undefined) continue;
    // A missing Service is missing-dependency's finding; an ExternalName one has no ports to check.
    const node = graph.nodeByKey(edge.to);
    const service: Service | undefined = node?.presence === 'present' ? node.object : undefined;
    if (service === undefined || service.spec?.type === 'ExternalName') continue;
    const ports = service.spec?.ports ?? [];
    const byNumber = DIGITS.test(port);
    if (ports.some((p) => (byNumber ? p.port === Number(port) : p.name === port))) continue;
    const serviceRef = refOf(service);
    const has = ports.length === 0 ? 'no ports' : `ports ${formatList(ports.map(servicePortText))}`;
    const [only] = ports;
    const route = routeText(edge.detail?.via);
    const evidence: Evidence[] = [
      {
        source: 'spec',
        text: `${route} → service ${serviceRef.name}, port ${byNumber ? 'number' : 'name'} ${port}`,
      },
      { source: 'spec', resource: serviceRef, text: `Service ${serviceRef.name} has ${has}` },
    ];
    findings.push({
      ruleId,
      severity: 'critical',
      resource: ref,
      message: `Ingress ${ref.name} routes ${route} to port ${port} of Service ${serviceRef.name}, which has ${has}: requests there fail`,
      evidence,
      fix: {
        summary:
          ports.length === 1 && only !== undefined
            ? `set the backend's service.port to ${only.name === undefined ? `number: ${String(only.port ?? '?')}` : `name: ${only.name} (or number: ${String(only.port ?? '?')})`}`
            : ports.length === 0
              ? `give Service ${serviceRef.name} the port, or route to a Service that has it`
              : `set the backend's service.port to one of ${has}, or add port ${port} to Service ${serviceRef.name}`,
        commands: [`kubectl ${nsFlag(ref)}edit ingress ${ref.name}`],
      },
    });
  }
  return findings;
}

/** `shop.example.com/api` for a rule's path, `its default backend`, from the edge's `via`. */
function routeText(via: string | undefined): string {
  if (via === undefined) return 'a backend';
  if (via === 'defaultBackend') return 'its default backend';
  return via.startsWith('rule:') ? via.slice('rule:'.length) : via;
}

/** `none of its 3 pods declares`, `its one pod does not declare`. */
function noneOf(pods: number): string {
  return pods === 1 ? 'its one pod does not declare' : `none of its ${String(pods)} pods declares`;
}
