import type { EventRecord } from '../../core/event-record.js';
import type { Evidence, Finding, Fix, Severity } from '../../core/finding.js';
import type { Container, ContainerStatus, LifecycleHandler } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { topOwner } from '../../events/top-owner.js';
import {
  aboutContainer,
  containerSpec,
  editCommand,
  eventText,
  runsText,
  shellWords,
} from '../container-spec.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** Waiting reasons the kubelet gives when the runtime refuses to create or start a container, or a hook fails. */
const REFUSED_WAITING = new Set([
  'CreateContainerError',
  'RunContainerError',
  'PostStartHookError',
  'PreStartHookError',
  'PreCreateHookError',
]);
/** Termination reasons of a container whose process never ran: Docker's and containerd's words. */
const REFUSED_TERMINATED = new Set(['ContainerCannotRun', 'StartError']);

/** runc and crun, as containerd, CRI-O and Docker pass them on. */
const EXEC_NOT_FOUND = [
  /exec: "([^"]+)": executable file not found in \$PATH/,
  /executable file `([^`]+)` not found in \$PATH/,
  /exec: "([^"]+)": stat [^:]+: no such file or directory/,
];
const EXEC_DENIED = [/exec: "([^"]+)": permission denied/, /`([^`]+)`: permission denied/i];
const MOUNT_AT = /error mounting "[^"]+" to rootfs at "([^"]+)"/;
const MOUNT = /not a directory|are you trying to mount|error mounting|mount(ing)? .*failed/i;
const TIMEOUT = /context deadline exceeded|DeadlineExceeded|is reserved for/;
/** The kubelet's Failed events (`Error: …`) that carry a runtime's error, not a pull or a config error. */
const RUNTIME_FAILED = /^(Error: |Internal Pre(Create|Start)Container hook failed)/;
const NOT_RUNTIME =
  /^Error: (ErrImagePull|ImagePullBackOff|InvalidImageName|ErrImageNeverPull)$|(configmap|secret) "[^"]+" not found|couldn't find key|runAsNonRoot/;

type Cause =
  | { readonly kind: 'executable-not-found'; readonly executable?: string }
  | { readonly kind: 'permission-denied'; readonly executable?: string }
  | { readonly kind: 'mount'; readonly mountPath?: string; readonly typeMismatch: boolean }
  | { readonly kind: 'runtime-timeout' }
  | { readonly kind: 'post-start-hook' }
  | { readonly kind: 'pre-stop-hook' }
  | { readonly kind: 'other'; readonly reason: string };

/** What went wrong for one container, and where the status said so. */
interface Refusal {
  readonly cause: Cause;
  readonly severity: Severity;
  /** `create` when the runtime would not create it, `start` when it would not run its process. */
  readonly stage: 'create' | 'start';
  readonly evidence: Evidence[];
}

/**
 * The container runtime refuses to create or start a container, or a lifecycle hook fails:
 * waiting with CreateContainerError, RunContainerError or PostStartHookError, terminated (now or
 * last time) with ContainerCannotRun or StartError, or the kubelet's FailedPostStartHook and
 * FailedPreStopHook events. The runtime's message is decoded: an executable not in the image
 * (fix the command or the image), permission denied, a volume mount the runtime cannot make, a
 * hook that fails, a runtime that times out. The process never ran, so there is no log to read.
 * Critical, except a failing preStop hook (warning: the container still stops, uncleanly).
 */
export const containerCreateError = defineRule({
  id: 'container-create-error',
  summary:
    'CreateContainerError / RunContainerError / StartError and failing postStart or preStop hooks, decoded: executable not in the image, permission denied, a mount the runtime refuses, a runtime timing out',
  reads: ['Event', ...CONTROLLER_KINDS],
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, { snapshot }) {
    const ref = refOf(pod);
    const podEvents = snapshot.eventsAbout(ref);
    const findings: Finding[] = [];
    for (const status of containerStatuses(pod)) {
      const events = podEvents.filter((event) => aboutContainer(event, status.name));
      const refusal = refusalOf(status, events);
      if (refusal === undefined) continue;
      const container = containerSpec(pod, status.name);
      const label = `${status.init ? 'init container' : 'container'} ${status.name}`;
      const evidence = [...refusal.evidence];
      if (container !== undefined) evidence.push(...specEvidence(container, refusal.cause));
      const owner = topOwner(ref, snapshot);
      findings.push({
        ruleId: this.id,
        severity: refusal.severity,
        resource: ref,
        message: messageOf(label, refusal, container, pod.spec?.nodeName),
        evidence,
        fix: fixOf({ ref, owner, status, container, cause: refusal.cause, nodeName: pod.spec?.nodeName }),
      });
    }
    return findings;
  },
});

/** Whether and how the runtime refused this container, from its status and the kubelet's events. */
function refusalOf(
  status: ContainerStatus & { readonly init: boolean },
  events: readonly EventRecord[],
): Refusal | undefined {
  const waiting = status.state?.waiting;
  const runtimeEvents = events.filter(
    (event) =>
      event.reason === 'Failed' && RUNTIME_FAILED.test(event.message) && !NOT_RUNTIME.test(event.message),
  );
  const eventEvidence = (list: readonly EventRecord[]): Evidence[] =>
    list.map((event) => ({ source: 'event', text: eventText(event) }));

  if (waiting?.reason !== undefined && REFUSED_WAITING.has(waiting.reason)) {
    const message = waiting.message?.trim() ?? '';
    const hookEvents = events.filter((event) => event.reason === 'FailedPostStartHook');
    const cause: Cause =
      waiting.reason === 'PostStartHookError'
        ? { kind: 'post-start-hook' }
        : classify([message, ...runtimeEvents.map((event) => event.message)], waiting.reason);
    return {
      cause,
      severity: 'critical',
      stage: waiting.reason === 'CreateContainerError' ? 'create' : 'start',
      evidence: [
        {
          source: 'status',
          text: `${kindOf(status)} ${status.name}: ${waiting.reason}${message === '' ? '' : `: ${message}`}`,
        },
        ...eventEvidence(cause.kind === 'post-start-hook' ? hookEvents : runtimeEvents),
      ],
    };
  }

  // A container running again has got past an earlier refusal; one waiting (CrashLoopBackOff) has not.
  const current = status.state?.terminated;
  const last = status.state?.running === undefined ? status.lastState?.terminated : undefined;
  const terminated = [current, last].find((t) => t?.reason !== undefined && REFUSED_TERMINATED.has(t.reason));
  if (terminated?.reason !== undefined) {
    const message = terminated.message?.trim() ?? '';
    return {
      cause: classify([message, ...runtimeEvents.map((event) => event.message)], terminated.reason),
      severity: 'critical',
      stage: 'start',
      evidence: [
        {
          source: 'status',
          text: `${kindOf(status)} ${status.name}: ${terminated === current ? 'terminated' : 'last terminated'} ${terminated.reason}, exit code ${String(terminated.exitCode ?? '?')}${message === '' ? '' : `: ${message}`}`,
        },
        ...eventEvidence(runtimeEvents),
      ],
    };
  }

  const postStart = events.filter((event) => event.reason === 'FailedPostStartHook');
  // A container that is ready again got through its hook on the latest start.
  if (postStart.length > 0 && status.ready !== true) {
    return {
      cause: { kind: 'post-start-hook' },
      severity: 'critical',
      stage: 'start',
      evidence: [{ source: 'status', text: stateText(status) }, ...eventEvidence(postStart)],
    };
  }

  const preStop = events.filter((event) => event.reason === 'FailedPreStopHook');
  if (preStop.length > 0) {
    return {
      cause: { kind: 'pre-stop-hook' },
      severity: 'warning',
      stage: 'start',
      evidence: eventEvidence(preStop),
    };
  }
  return undefined;
}

/** The runtime's message, decoded. */
function classify(texts: readonly string[], reason: string): Cause {
  const text = texts.join('\n');
  for (const pattern of EXEC_NOT_FOUND) {
    const match = pattern.exec(text);
    if (match !== null)
      return { kind: 'executable-not-found', ...(match[1] === undefined ? {} : { executable: match[1] }) };
  }
  if (/executable file not found/.test(text)) return { kind: 'executable-not-found' };
  for (const pattern of EXEC_DENIED) {
    const match = pattern.exec(text);
    if (match !== null)
      return { kind: 'permission-denied', ...(match[1] === undefined ? {} : { executable: match[1] }) };
  }
  if (MOUNT.test(text)) {
    const at = MOUNT_AT.exec(text)?.[1];
    return {
      kind: 'mount',
      ...(at === undefined ? {} : { mountPath: at }),
      typeMismatch: /not a directory|are you trying to mount/i.test(text),
    };
  }
  if (/permission denied/i.test(text)) return { kind: 'permission-denied' };
  if (TIMEOUT.test(text)) return { kind: 'runtime-timeout' };
  return { kind: 'other', reason };
}

function messageOf(
  label: string,
  refusal: Refusal,
  container: Container | undefined,
  nodeName: string | undefined,
): string {
  const { cause } = refusal;
  const image = container?.image ?? 'its image';
  switch (cause.kind) {
    case 'executable-not-found': {
      const what = (container?.command?.length ?? 0) > 0 ? 'its command' : "its image's entrypoint";
      return `${label} cannot start: ${what}${cause.executable === undefined ? '' : ` "${cause.executable}"`} is not found in image ${image}`;
    }
    case 'permission-denied':
      return `${label} cannot start: permission denied executing ${cause.executable === undefined ? 'its command' : `"${cause.executable}"`}`;
    case 'mount':
      return `${label} cannot ${refusal.stage}: the runtime cannot mount a volume${cause.mountPath === undefined ? '' : ` at ${cause.mountPath}`}${cause.typeMismatch ? ' (a file mounted onto a directory, or the reverse)' : ''}`;
    case 'runtime-timeout':
      return `${label} cannot ${refusal.stage}: the container runtime${nodeName === undefined ? '' : ` on node ${nodeName}`} times out`;
    case 'post-start-hook':
      return `${label}'s postStart hook fails, so the kubelet kills the container`;
    case 'pre-stop-hook':
      return `${label}'s preStop hook fails, so it stops without its clean shutdown`;
    case 'other':
      return `${label} cannot ${refusal.stage}: the container runtime refuses it (${cause.reason})`;
    default:
      return cause satisfies never;
  }
}

/** What the container was asked to run, where the cause lies in it. */
function specEvidence(container: Container, cause: Cause): Evidence[] {
  switch (cause.kind) {
    case 'executable-not-found':
    case 'permission-denied':
      return [{ source: 'spec', text: `runs: ${runsText(container)} (image ${container.image ?? '?'})` }];
    case 'post-start-hook':
    case 'pre-stop-hook': {
      const hook = cause.kind === 'post-start-hook' ? 'postStart' : 'preStop';
      const handler = container.lifecycle?.[hook];
      return handler === undefined ? [] : [{ source: 'spec', text: `${hook} hook: ${handlerText(handler)}` }];
    }
    case 'mount':
    case 'runtime-timeout':
    case 'other':
      return [];
    default:
      return cause satisfies never;
  }
}

interface FixInput {
  readonly ref: ResourceRef;
  readonly owner: ResourceRef;
  readonly status: ContainerStatus & { readonly init: boolean };
  readonly container: Container | undefined;
  readonly cause: Cause;
  readonly nodeName: string | undefined;
}

function fixOf({ ref, owner, status, container, cause, nodeName }: FixInput): Fix {
  const field = `${status.init ? 'initContainers' : 'containers'}[${status.name}]`;
  const describe = `kubectl ${nsFlag(ref)}describe pod ${ref.name}`;
  switch (cause.kind) {
    case 'executable-not-found':
      return {
        summary: `fix the command: image ${container?.image ?? '?'} has no ${cause.executable === undefined ? 'such executable' : `"${cause.executable}"`} on its $PATH; run an executable the image has (or its full path), or use an image that has it`,
        commands: [
          editCommand(ref, owner, `${field}.command`),
          `kubectl ${nsFlag(ref)}debug pod/${ref.name} -it --copy-to=${ref.name}-debug --container=${status.name} -- sh  # a copy with a shell instead, to look inside the image`,
        ],
      };
    case 'permission-denied':
      return {
        summary: `make ${cause.executable === undefined ? 'the executable' : `"${cause.executable}"`} executable in the image (chmod +x in its Dockerfile) or run it through its interpreter (command: [sh, ${cause.executable ?? 'SCRIPT'}]); check that securityContext.runAsUser may read it`,
        commands: [editCommand(ref, owner, `${field}.command`)],
      };
    case 'mount':
      return {
        summary: cause.typeMismatch
          ? `fix the volumeMount${cause.mountPath === undefined ? '' : ` at ${cause.mountPath}`}: a file (a subPath key) must go onto a file path and a directory onto a directory; check a hostPath's type`
          : 'fix the volumeMount the runtime rejects (its mountPath, subPath or readOnly), as its message says',
        commands: [editCommand(ref, owner, `${field}.volumeMounts`), describe],
      };
    case 'runtime-timeout':
      return {
        summary: `the container runtime${nodeName === undefined ? '' : ` on node ${nodeName}`} is slow or stuck (disk or load): the kubelet retries; if it keeps failing, look at the node and restart its runtime`,
        commands: nodeName === undefined ? [describe] : [`kubectl describe node ${nodeName}`, describe],
      };
    case 'post-start-hook': {
      const handler = container?.lifecycle?.postStart;
      return {
        summary: `fix the postStart hook${handler === undefined ? '' : ` (it runs ${handlerText(handler)})`} or remove it: the kubelet kills the container whenever it fails, and says why only in the container's status`,
        commands: [editCommand(ref, owner, `${field}.lifecycle.postStart`)],
      };
    }
    case 'pre-stop-hook': {
      const handler = container?.lifecycle?.preStop;
      return {
        summary: `fix the preStop hook${handler === undefined ? '' : ` (it runs ${handlerText(handler)})`}: when it fails, the container gets SIGTERM without its clean shutdown`,
        commands: [editCommand(ref, owner, `${field}.lifecycle.preStop`)],
      };
    }
    case 'other':
      return {
        summary: "read the runtime's message and fix the part of the container spec it rejects",
        commands: [describe],
      };
    default:
      return cause satisfies never;
  }
}

function handlerText(handler: LifecycleHandler): string {
  if (handler.exec !== undefined) return `exec ${shellWords(handler.exec.command ?? [])}`;
  if (handler.httpGet !== undefined)
    return `httpGet ${handler.httpGet.host ?? ''}:${String(handler.httpGet.port ?? '?')}${handler.httpGet.path ?? '/'}`;
  if (handler.sleep !== undefined) return `sleep ${String(handler.sleep.seconds ?? '?')}s`;
  return 'no handler';
}

function kindOf(status: { readonly init: boolean }): string {
  return status.init ? 'init container' : 'container';
}

/** `container api: waiting, CrashLoopBackOff`. */
function stateText(status: ContainerStatus & { readonly init: boolean }): string {
  const state = status.state;
  const now =
    state?.waiting !== undefined
      ? `waiting, ${state.waiting.reason ?? '?'}`
      : state?.terminated !== undefined
        ? `terminated, ${state.terminated.reason ?? '?'}`
        : state?.running !== undefined
          ? 'running, not ready'
          : 'no state';
  return `${kindOf(status)} ${status.name}: ${now}, ${String(status.restartCount ?? 0)} restarts`;
}
