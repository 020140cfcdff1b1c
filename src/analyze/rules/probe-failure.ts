import type { EventRecord } from '../../core/event-record.js';
import type { Evidence, Finding, Fix } from '../../core/finding.js';
import type { Container, Pod, Probe } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import { timeMs } from '../../core/time.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { topOwner } from '../../events/top-owner.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** The kubelet's defaults, so the evidence shows the thresholds in force, not only those written. */
const DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 };
type ProbeKind = 'readiness' | 'liveness' | 'startup';

/** `Readiness probe failed: …`, `Liveness probe failed: …`, `Startup probe failed: …` (Unhealthy events). */
const UNHEALTHY = /^(Readiness|Liveness|Startup) probe failed/;
/** `Container web failed liveness probe, will be restarted` (Killing events). */
const KILLED = /failed (liveness|startup) probe, will be restarted/;

/**
 * A container the kubelet's probes reject: Running but not ready behind a failing readiness probe
 * (out of every Service), or restarted by a failing liveness or startup probe. The evidence is the
 * probe as it is configured (handler, thresholds with defaults) and the kubelet's Unhealthy and
 * Killing events; the cause is decoded from the probe's failure (404 → wrong path, connection
 * refused → nothing on that port, timeout → too short a timeout) and the fix is the probe change.
 */
export const probeFailure = defineRule({
  id: 'probe-failure',
  summary: 'readiness, liveness and startup probes failing, with the probe spec and the Unhealthy events',
  reads: ['Event', ...CONTROLLER_KINDS],
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { snapshot, now }) {
    const ref = refOf(pod);
    const podEvents = snapshot.eventsAbout(ref);
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const findings: Finding[] = [];
    for (const status of containerStatuses(pod)) {
      const container = specs.find((c) => c.name === status.name);
      if (container === undefined) continue;
      const events = podEvents.filter((e) => aboutContainer(e, status.name));
      const failures = (kind: ProbeKind): EventRecord[] =>
        events.filter(
          (e) => e.reason === 'Unhealthy' && UNHEALTHY.exec(e.message)?.[1]?.toLowerCase() === kind,
        );
      const kills = events.filter((e) => e.reason === 'Killing' && KILLED.test(e.message));

      for (const kind of ['liveness', 'startup'] as const) {
        const probe = probeOf(container, kind);
        const killedBy = kills.filter((e) => KILLED.exec(e.message)?.[1] === kind);
        if (probe === undefined || (killedBy.length === 0 && (status.restartCount ?? 0) === 0)) continue;
        const failed = failures(kind);
        if (failed.length === 0 && killedBy.length === 0) continue;
        const restarts = status.restartCount ?? 0;
        findings.push(
          finding(this.id, {
            pod,
            ref,
            container,
            kind,
            probe,
            events: [...failed, ...killedBy],
            state: `container ${status.name}: ${String(restarts)} restarts${status.state?.waiting?.reason === undefined ? '' : `, ${status.state.waiting.reason}`}`,
            message: `container ${status.name} is restarted by its failing ${kind} probe (${String(restarts)} restarts)`,
            owner: topOwner(ref, snapshot),
          }),
        );
      }

      const probe = container.readinessProbe;
      const startedAt = status.state?.running?.startedAt;
      if (probe === undefined || startedAt === undefined || status.ready !== false) continue;
      const failed = failures('readiness');
      // Without events, only a container past the time its probe needs to pass counts as failing.
      const graceMs =
        ((probe.initialDelaySeconds ?? DEFAULTS.initialDelaySeconds) +
          (probe.periodSeconds ?? DEFAULTS.periodSeconds) *
            (probe.failureThreshold ?? DEFAULTS.failureThreshold)) *
        1000;
      const startedMs = timeMs(startedAt);
      if (failed.length === 0 && (startedMs === undefined || now.getTime() - startedMs <= graceMs)) continue;
      findings.push(
        finding(this.id, {
          pod,
          ref,
          container,
          kind: 'readiness',
          probe,
          events: failed,
          state: `container ${status.name}: Running since ${startedAt}, not ready`,
          message: `container ${status.name} is running but not ready: its readiness probe fails, so no Service sends it traffic`,
          owner: topOwner(ref, snapshot),
        }),
      );
    }
    return findings;
  },
});

interface FindingInput {
  readonly pod: Pod;
  readonly ref: ResourceRef;
  readonly container: Container;
  readonly kind: ProbeKind;
  readonly probe: Probe;
  readonly events: readonly EventRecord[];
  readonly state: string;
  readonly message: string;
  readonly owner: ResourceRef;
}

function finding(ruleId: string, input: FindingInput): Finding {
  const { container, kind, probe, events } = input;
  const evidence: Evidence[] = [
    { source: 'status', text: input.state },
    { source: 'spec', text: `${kind}Probe: ${describeProbe(probe)}` },
    ...events.map((e) => ({
      source: 'event' as const,
      text: `${e.reason} (x${String(e.count)}${e.lastSeen === undefined ? '' : `, last ${e.lastSeen}`}): ${e.message}`,
    })),
  ];
  const ports = (container.ports ?? []).flatMap((p) =>
    p.containerPort === undefined ? [] : [p.containerPort],
  );
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  if (typeof port === 'number' && ports.length > 0 && !ports.includes(port))
    evidence.push({
      source: 'spec',
      text: `the probe's port ${String(port)} is not among the container's ports (${ports.join(', ')})`,
    });
  return {
    ruleId,
    severity: 'critical',
    resource: input.ref,
    message: input.message,
    evidence,
    fix: fixFor(input, events.map((e) => e.message).join('\n')),
  };
}

/** The change that answers the failure the kubelet reported. */
function fixFor(input: FindingInput, messages: string): Fix {
  const { kind, probe, container, pod, ref } = input;
  const field = `${kind}Probe`;
  const { owner } = input;
  const template = templatePath(owner.kind);
  const index = (pod.spec?.containers ?? []).findIndex((c) => c.name === container.name);
  const target = `${owner.kind.toLowerCase()}/${owner.name}`;
  const edit =
    template === undefined
      ? `kubectl ${nsFlag(ref)}get pod ${pod.metadata.name} -o yaml > pod.yaml  # change ${container.name}'s ${field}, then: kubectl replace --force -f pod.yaml`
      : `kubectl ${nsFlag(ref)}edit ${target}  # containers[${container.name}].${field}`;
  const patch = (path: string, value: string | number): string =>
    template === undefined || index < 0
      ? edit
      : `kubectl ${nsFlag(ref)}patch ${target} --type=json -p '[{"op":"replace","path":"${template}/containers/${String(index)}/${field}/${path}","value":${JSON.stringify(value)}}]'`;
  const status = /statuscode: (\d+)/.exec(messages)?.[1];
  const httpPort = probe.httpGet?.port;
  const check =
    probe.httpGet === undefined
      ? undefined
      : `kubectl ${nsFlag(ref)}port-forward pod/${pod.metadata.name} ${String(httpPort ?? 80)}  # then: curl -i localhost:${String(httpPort ?? 80)}${probe.httpGet.path ?? '/'}`;

  if (status === '404' && probe.httpGet !== undefined)
    return {
      summary: `the app does not serve ${probe.httpGet.path ?? '/'} (404): point ${field}.httpGet.path at a path it serves`,
      commands: [...(check === undefined ? [] : [check]), patch('httpGet/path', '/PATH-THE-APP-SERVES')],
    };
  if (status !== undefined)
    return {
      summary: `the app answers ${status} on ${probe.httpGet?.path ?? '/'}: it reports itself unhealthy; read its logs, or probe an endpoint that reflects its health`,
      commands: [
        `kubectl ${nsFlag(ref)}logs ${pod.metadata.name} -c ${container.name}`,
        ...(check === undefined ? [] : [check]),
      ],
    };
  if (/connection refused/.test(messages))
    return {
      summary: `nothing listens on the probe's port ${String(httpPort ?? probe.tcpSocket?.port ?? probe.grpc?.port ?? '?')}: set ${field} to the port the app listens on, or give it longer to start (a startupProbe or a larger initialDelaySeconds)`,
      commands: [edit],
    };
  if (/deadline exceeded|Client\.Timeout|timed out|timeout/i.test(messages))
    return {
      summary: `the probe times out after ${String(probe.timeoutSeconds ?? DEFAULTS.timeoutSeconds)}s: raise ${field}.timeoutSeconds, or make the endpoint answer without waiting on dependencies`,
      commands: [patch('timeoutSeconds', Math.max(5, (probe.timeoutSeconds ?? DEFAULTS.timeoutSeconds) * 5))],
    };
  return {
    summary: `make ${field} check what the app really serves, with thresholds that fit how long it takes`,
    commands: [edit],
  };
}

function probeOf(container: Container, kind: ProbeKind): Probe | undefined {
  switch (kind) {
    case 'readiness':
      return container.readinessProbe;
    case 'liveness':
      return container.livenessProbe;
    case 'startup':
      return container.startupProbe;
    default:
      return kind satisfies never;
  }
}

/** `httpGet http://:8080/healthz, initialDelaySeconds 0, periodSeconds 10, timeoutSeconds 1, failureThreshold 3`. */
function describeProbe(probe: Probe): string {
  const handler =
    probe.httpGet !== undefined
      ? `httpGet ${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${probe.httpGet.host ?? ''}:${String(probe.httpGet.port ?? '?')}${probe.httpGet.path ?? '/'}`
      : probe.tcpSocket !== undefined
        ? `tcpSocket :${String(probe.tcpSocket.port ?? '?')}`
        : probe.grpc !== undefined
          ? `grpc :${String(probe.grpc.port ?? '?')}${probe.grpc.service === undefined ? '' : ` service ${probe.grpc.service}`}`
          : probe.exec !== undefined
            ? `exec ${(probe.exec.command ?? []).join(' ')}`
            : 'no handler';
  const thresholds = (Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]).map(
    (key) => `${key} ${String(probe[key] ?? DEFAULTS[key])}`,
  );
  return [handler, ...thresholds].join(', ');
}

/** Where a controller keeps its pod spec, for JSON patches; undefined for a bare pod (probes are immutable there). */
function templatePath(kind: string): string | undefined {
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job':
      return '/spec/template/spec';
    case 'CronJob':
      return '/spec/jobTemplate/spec/template/spec';
    default:
      return undefined;
  }
}

/** Kubelet events name the container in fieldPath: `spec.containers{web}`. */
function aboutContainer(event: EventRecord, container: string): boolean {
  const path = event.involved.fieldPath;
  return path === undefined || path.endsWith(`{${container}}`);
}
