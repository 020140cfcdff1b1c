/**
 * Pod faults, shaped as the kubelet shows them, played by KWOK Stages.
 *
 * A pod is faulty when it carries the annotation `fault.kubectl-smart.io/type` (on the pod
 * template, or added to a live pod). The stages returned by {@link faultStages} are applied by the
 * harness at start; {@link faultStages} with a custom selector gives the same behaviour for pods
 * picked by labels instead (so the workload's template need not change).
 *
 * | type                        | what the pod shows                                                           |
 * |-----------------------------|------------------------------------------------------------------------------|
 * | CrashLoopBackOff / Error    | Running; container runs `run-duration`, exits 1 (reason Error), waits in    |
 * |                             | CrashLoopBackOff `backoff-duration`, restarts; restartCount grows; lastState |
 * | OOMKilled                   | the same with exit 137, reason OOMKilled                                     |
 * |   (restartPolicy Never)     | the pod goes Failed with state.terminated (as an OOMKilled Job pod)          |
 * | ErrImagePull / ImagePullBackOff | Pending; ErrImagePull `pull-duration`, ImagePullBackOff `backoff-duration` |
 * | CreateContainerConfigError  | Pending; waiting CreateContainerConfigError with `message`                   |
 * | NotReady                    | Running, containers not ready (failing readiness probe)                      |
 * | InitCrashLoopBackOff        | Pending; the first init container crash-loops (exit 1, CrashLoopBackOff),   |
 * |                             | app containers waiting PodInitializing, Initialized False                   |
 * | LivenessProbeFailure        | Running, Ready; every `run-duration` (default 30s = 3 × 10s) the containers  |
 * |                             | with a livenessProbe are killed and restarted (lastState exit 137, Error)   |
 * | Evicted                     | after `run-duration`: phase Failed, reason Evicted, kubelet eviction message,|
 * |                             | DisruptionTarget TerminationByKubelet, containers terminated 137            |
 *
 * Parameters (annotations, all optional): `fault.kubectl-smart.io/exit-code`, `/reason`,
 * `/message`, `/run-duration` (Go duration, default 1s), `/backoff-duration` (default 10s),
 * `/pull-duration` (default 1s), `/pull-error` = not-found (default) | unauthorized | rate-limited |
 * tls | dns, `/probe-output` (what a failing probe prints, for the kubelet-shaped Unhealthy events).
 * {@link faultAnnotations} writes them from {@link FaultParams}.
 *
 * Node built-ins only; erasable TypeScript.
 */

/** The annotation that selects a fault. */
export const FAULT_ANNOTATION = 'fault.kubectl-smart.io/type';
const A = 'fault.kubectl-smart.io';

/** Fault types understood by the stages. */
export const FAULT_TYPES = [
  'CrashLoopBackOff',
  'Error',
  'OOMKilled',
  'ErrImagePull',
  'ImagePullBackOff',
  'CreateContainerConfigError',
  'NotReady',
  'InitCrashLoopBackOff',
  'LivenessProbeFailure',
  'Evicted',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** Optional parameters, written as annotations. */
export interface FaultParams {
  readonly exitCode?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly runMs?: number;
  readonly backoffMs?: number;
  readonly pullMs?: number;
  readonly pullError?: PullError;
  /** Output of the failing probe in Unhealthy events, e.g. "HTTP probe failed with statuscode: 503". */
  readonly probeOutput?: string;
}

/**
 * Registry failures, worded as containerd reports them through the kubelet:
 * - not-found: `…: failed to resolve reference "R": R: not found` (code NotFound)
 * - unauthorized: `pull access denied, repository does not exist or may require authorization …`
 * - rate-limited: `429 Too Many Requests - Server message: toomanyrequests: …`
 * - tls: `failed to do request: Head "https://HOST/v2/NAME/manifests/TAG": tls: failed to verify
 *   certificate: x509: certificate signed by unknown authority`
 * - dns: `failed to do request: Head "…": dial tcp: lookup HOST on 10.96.0.10:53: no such host`
 */
export type PullError = 'not-found' | 'unauthorized' | 'rate-limited' | 'tls' | 'dns';

/** Annotations that make a pod (or every pod of a template) show `type`. */
export function faultAnnotations(type: FaultType, p: FaultParams = {}): Record<string, string> {
  const out: Record<string, string> = { [FAULT_ANNOTATION]: type };
  if (p.exitCode !== undefined) out[`${A}/exit-code`] = String(p.exitCode);
  if (p.reason !== undefined) out[`${A}/reason`] = p.reason;
  if (p.message !== undefined) out[`${A}/message`] = p.message;
  // KWOK reads delays from annotations as Go durations ("1500ms"); a bare number is ignored.
  if (p.runMs !== undefined) out[`${A}/run-duration`] = `${p.runMs}ms`;
  if (p.backoffMs !== undefined) out[`${A}/backoff-duration`] = `${p.backoffMs}ms`;
  if (p.pullMs !== undefined) out[`${A}/pull-duration`] = `${p.pullMs}ms`;
  if (p.pullError !== undefined) out[`${A}/pull-error`] = p.pullError;
  if (p.probeOutput !== undefined) out[`${A}/probe-output`] = p.probeOutput;
  return out;
}

/** A KWOK stage selector expression (jq-like key over the pod). */
export interface MatchExpression {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** How stages pick pods. Default: the fault annotation. */
export interface FaultSelector {
  /** Pods whose labels all match (e.g. `{ app: 'api' }`); the fault type then comes from `type`. */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** The fault to play for those pods (required with matchLabels). */
  readonly type?: FaultType;
  /** Extra parameters for label-selected pods (annotations are read first). */
  readonly params?: FaultParams;
  /** Only pods of this namespace. */
  readonly namespace?: string;
  /**
   * More conditions on the pod, e.g. `{ key: '.metadata.annotations["kubectl.kubernetes.io/restartedAt"]',
   * operator: 'Exists' }` (pods of a restarted template) or `{ key: '.spec.containers.[].image',
   * operator: 'In', values: ['registry.example.com/api:9.9'] }`.
   */
  readonly matchExpressions?: readonly MatchExpression[];
  /** Prefix for the stage names (unique per selector). Default "fault". */
  readonly namePrefix?: string;
}

// --- template pieces --------------------------------------------------------------------------

/** Variables every template starts with. `$type` and parameters come from annotations or defaults. */
function head(sel: FaultSelector): string {
  const d = sel.params ?? {};
  // {{ $var := <annotation> or <default from the selector's params> }}
  const param = (v: string, key: string, fallback: string | number | undefined): string =>
    fallback === undefined
      ? `{{ $${v} := or (index $ann "${A}/${key}") "" }}`
      : `{{ $${v} := or (index $ann "${A}/${key}") ${JSON.stringify(String(fallback))} }}`;
  return `
{{ $now := Now }}
{{ $root := . }}
{{ $ann := or .metadata.annotations dict }}
{{ $type := or (index $ann "${FAULT_ANNOTATION}") ${JSON.stringify(sel.type ?? '')} }}
${param('exitCodeP', 'exit-code', d.exitCode)}
${param('reasonP', 'reason', d.reason)}
${param('messageP', 'message', d.message)}
${param('pullErrorP', 'pull-error', d.pullError)}
{{ $names := list }}
{{ range .spec.containers }}{{ $names = append $names .name }}{{ end }}
{{ $unready := printf "containers with unready status: [%s]" (join " " $names) }}
`;
}

// IPs once only: podIPs is merged by IP in a strategic merge patch, and a second
// allocation would give the pod two IPv4 addresses (rejected by the apiserver).
const IPS = `
{{ if not .status.hostIP }}
{{ with NodeIPsWith .spec.nodeName }}
hostIP: {{ index . 0 | Quote }}
hostIPs:
{{ range . }}
- ip: {{ . | Quote }}
{{ end }}
{{ end }}
{{ end }}
{{ if not .status.podIP }}
{{ with PodIPsWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
podIP: {{ index . 0 | Quote }}
podIPs:
{{ range . }}
- ip: {{ . | Quote }}
{{ end }}
{{ end }}
{{ end }}
startTime: {{ or .status.startTime $now | Quote }}
`;

function conditions(ready: boolean): string {
  const status = ready ? '"True"' : '"False"';
  const why = ready
    ? 'reason: null\n  message: null'
    : 'reason: ContainersNotReady\n  message: {{ $unready | Quote }}';
  return `
conditions:
- type: PodReadyToStartContainers
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: Initialized
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: ${status}
  lastTransitionTime: {{ $now | Quote }}
  ${why}
- type: ContainersReady
  status: ${status}
  lastTransitionTime: {{ $now | Quote }}
  ${why}
`;
}

/** Inside `range $i, $c`: `$old` (previous status of container i) and `$restarts`. */
const OLD = `
{{ $old := dict }}
{{ with $root.status.containerStatuses }}{{ if lt $i (len .) }}{{ $old = index . $i }}{{ end }}{{ end }}
{{ $restarts := int64 (or $old.restartCount 0) }}
`;
const CID = `(printf "containerd://%s" (sha256sum (printf "%s/%s/%v" $root.metadata.uid $c.name $restarts)))`;
// repo@digest as containerd reports it: tag dropped, Docker Hub names expanded.
const IMGID =
  '{{ $repo := regexReplaceAll ":[^/:@]+$" $c.image "" }}' +
  '{{ $f := first (splitList "/" $repo) }}' +
  '{{ if not (or (contains "." $f) (contains ":" $f) (eq $f "localhost")) }}' +
  '{{ if contains "/" $repo }}{{ $repo = printf "docker.io/%s" $repo }}{{ else }}{{ $repo = printf "docker.io/library/%s" $repo }}{{ end }}{{ end }}' +
  '{{ printf "%s@sha256:%s" $repo (sha256sum $c.image) | Quote }}';

const RUNNING = `
{{ $ready := ne $type "NotReady" }}
{{ if and .spec.initContainers (not .status.initContainerStatuses) }}
initContainerStatuses:
{{ range $i, $c := .spec.initContainers }}
{{ $restarts := 0 }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ${IMGID}
  containerID: {{ ${CID} | Quote }}
  restartCount: 0
  {{ if eq (or $c.restartPolicy "") "Always" }}
  ready: true
  started: true
  state:
    running:
      startedAt: {{ $now | Quote }}
  {{ else }}
  ready: true
  started: false
  state:
    terminated:
      exitCode: 0
      reason: Completed
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
      containerID: {{ ${CID} | Quote }}
  {{ end }}
{{ end }}
{{ end }}
containerStatuses:
{{ range $i, $c := .spec.containers }}${OLD}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ${IMGID}
  containerID: {{ ${CID} | Quote }}
  ready: {{ $ready }}
  started: true
  restartCount: {{ $restarts }}
  state:
    running:
      startedAt: {{ $now | Quote }}
  {{ with $old.lastState }}
  lastState: {{ toJson . }}
  {{ else }}
  lastState: {}
  {{ end }}
{{ end }}
{{ if $ready }}${conditions(true)}{{ else }}${conditions(false)}{{ end }}
phase: Running
${IPS}`;

const CRASH_VARS = `
{{ $oom := eq $type "OOMKilled" }}
{{ $exitCode := or $exitCodeP (ternary "137" "1" $oom) }}
{{ $reason := or $reasonP (ternary "OOMKilled" "Error" $oom) }}
{{ $steps := list "10s" "20s" "40s" "1m20s" "2m40s" "5m0s" }}
`;

/** The status of a container that just crashed and waits in CrashLoopBackOff (app and init containers alike). */
const CRASHED_STATUS = `{{ $startedAt := $now }}
{{ with $old.state }}{{ with .running }}{{ $startedAt = .startedAt }}{{ end }}{{ end }}
{{ $lastID := ${CID} }}
{{ $restarts = add1 $restarts }}
{{ $backoff := index $steps (min (sub $restarts 1) 5) }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ${IMGID}
  containerID: {{ $lastID | Quote }}
  ready: false
  started: false
  restartCount: {{ $restarts }}
  state:
    waiting:
      reason: CrashLoopBackOff
      message: {{ printf "back-off %s restarting failed container=%s pod=%s_%s(%s)" $backoff $c.name $root.metadata.name $root.metadata.namespace $root.metadata.uid | Quote }}
  lastState:
    terminated:
      exitCode: {{ $exitCode }}
      reason: {{ $reason | Quote }}
      {{ if $messageP }}
      message: {{ $messageP | Quote }}
      {{ end }}
      startedAt: {{ $startedAt | Quote }}
      finishedAt: {{ $now | Quote }}
      containerID: {{ $lastID | Quote }}`;

const CRASH = `${CRASH_VARS}
containerStatuses:
{{ range $i, $c := .spec.containers }}${OLD}
${CRASHED_STATUS}
{{ end }}
${conditions(false)}
phase: Running
`;

const CRASH_NEVER = `${CRASH_VARS}
containerStatuses:
{{ range $i, $c := .spec.containers }}${OLD}
{{ $startedAt := $now }}
{{ with $old.state }}{{ with .running }}{{ $startedAt = .startedAt }}{{ end }}{{ end }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ${IMGID}
  containerID: {{ ${CID} | Quote }}
  ready: false
  started: false
  restartCount: 0
  state:
    terminated:
      exitCode: {{ $exitCode }}
      reason: {{ $reason | Quote }}
      {{ if $messageP }}
      message: {{ $messageP | Quote }}
      {{ end }}
      startedAt: {{ $startedAt | Quote }}
      finishedAt: {{ $now | Quote }}
      containerID: {{ ${CID} | Quote }}
  lastState: {}
{{ end }}
conditions:
- type: PodReadyToStartContainers
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
  reason: PodFailed
  message: null
- type: ContainersReady
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
  reason: PodFailed
  message: null
phase: Failed
`;

function pull(reason: 'ErrImagePull' | 'ImagePullBackOff'): string {
  const message =
    reason === 'ErrImagePull'
      ? '{{ $msg | Quote }}'
      : '{{ printf "Back-off pulling image %s: ErrImagePull: %s" (quote $img) $msg | Quote }}';
  return `
{{ $kind := or $pullErrorP "not-found" }}
containerStatuses:
{{ range $i, $c := .spec.containers }}
{{ $img := $c.image }}
{{ $ref := $img }}
{{ $first := first (splitList "/" $img) }}
{{ if not (and (contains "/" $img) (or (contains "." $first) (contains ":" $first) (eq $first "localhost"))) }}
{{ if contains "/" $img }}{{ $ref = printf "docker.io/%s" $img }}{{ else }}{{ $ref = printf "docker.io/library/%s" $img }}{{ end }}
{{ end }}
{{ if not (or (contains ":" (last (splitList "/" $ref))) (contains "@" $ref)) }}{{ $ref = printf "%s:latest" $ref }}{{ end }}
{{ $msg := printf "rpc error: code = NotFound desc = failed to pull and unpack image %s: failed to resolve reference %s: %s: not found" (quote $ref) (quote $ref) $ref }}
{{ if eq $kind "unauthorized" }}{{ $msg = printf "rpc error: code = Unknown desc = failed to pull and unpack image %s: failed to resolve reference %s: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed" (quote $ref) (quote $ref) }}{{ end }}
{{ $host := first (splitList "/" $ref) }}
{{ $path := join "/" (rest (splitList "/" $ref)) }}
{{ $repoName := regexReplaceAll "[:@][^/]*$" $path "" }}
{{ $tag := regexReplaceAll "^[^:@]*[:@]" $path "" }}
{{ $api := ternary "registry-1.docker.io" $host (eq $host "docker.io") }}
{{ $head := printf "Head %s" (quote (printf "https://%s/v2/%s/manifests/%s" $api $repoName $tag)) }}
{{ if eq $kind "tls" }}{{ $msg = printf "rpc error: code = Unknown desc = failed to pull and unpack image %s: failed to resolve reference %s: failed to do request: %s: tls: failed to verify certificate: x509: certificate signed by unknown authority" (quote $ref) (quote $ref) $head }}{{ end }}
{{ if eq $kind "dns" }}{{ $msg = printf "rpc error: code = Unknown desc = failed to pull and unpack image %s: failed to resolve reference %s: failed to do request: %s: dial tcp: lookup %s on 10.96.0.10:53: no such host" (quote $ref) (quote $ref) $head $api }}{{ end }}
{{ if eq $kind "rate-limited" }}{{ $msg = printf "rpc error: code = Unknown desc = failed to pull and unpack image %s: failed to resolve reference %s: unexpected status from HEAD request to https://%s/v2/%s/manifests/%s: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit" (quote $ref) (quote $ref) $api $repoName $tag }}{{ end }}
{{ if $messageP }}{{ $msg = $messageP }}{{ end }}
- name: {{ $c.name | Quote }}
  image: {{ $img | Quote }}
  imageID: ""
  ready: false
  started: false
  restartCount: 0
  state:
    waiting:
      reason: ${reason}
      message: ${message}
  lastState: {}
{{ end }}
${conditions(false)}
phase: Pending
${IPS}`;
}

const CONFIG_ERROR = `
{{ $msg := or $messageP "couldn't find key in ConfigMap" }}
containerStatuses:
{{ range $i, $c := .spec.containers }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ""
  ready: false
  started: false
  restartCount: 0
  state:
    waiting:
      reason: CreateContainerConfigError
      message: {{ $msg | Quote }}
  lastState: {}
{{ end }}
${conditions(false)}
phase: Pending
${IPS}`;

/** Init container 0 running (`crash` false) or just crashed, waiting in CrashLoopBackOff (`crash` true). */
function initFailing(crash: boolean): string {
  const first = crash
    ? `
${CRASHED_STATUS}`
    : `
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ${IMGID}
  containerID: {{ ${CID} | Quote }}
  ready: false
  started: true
  restartCount: {{ $restarts }}
  state:
    running:
      startedAt: {{ $now | Quote }}
  {{ with $old.lastState }}
  lastState: {{ toJson . }}
  {{ else }}
  lastState: {}
  {{ end }}`;
  return `${CRASH_VARS}
{{ $inits := list }}
{{ range .spec.initContainers }}{{ $inits = append $inits .name }}{{ end }}
initContainerStatuses:
{{ range $i, $c := .spec.initContainers }}
{{ $old := dict }}
{{ with $root.status.initContainerStatuses }}{{ if lt $i (len .) }}{{ $old = index . $i }}{{ end }}{{ end }}
{{ $restarts := int64 (or $old.restartCount 0) }}
{{ if eq $i 0 }}${first}
{{ else }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ""
  ready: false
  started: false
  restartCount: 0
  state:
    waiting:
      reason: PodInitializing
  lastState: {}
{{ end }}
{{ end }}
containerStatuses:
{{ range $i, $c := .spec.containers }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ""
  ready: false
  started: false
  restartCount: 0
  state:
    waiting:
      reason: PodInitializing
  lastState: {}
{{ end }}
conditions:
- type: PodReadyToStartContainers
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: Initialized
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
  reason: ContainersNotInitialized
  message: {{ printf "containers with incomplete status: [%s]" (join " " $inits) | Quote }}
- type: Ready
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
  reason: ContainersNotReady
  message: {{ $unready | Quote }}
- type: ContainersReady
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
  reason: ContainersNotReady
  message: {{ $unready | Quote }}
phase: Pending
${IPS}`;
}

/** The kubelet killed containers that failed their liveness probe and started them again at once. */
const LIVENESS_RESTART = `
{{ $anyProbe := false }}
{{ range .spec.containers }}{{ if .livenessProbe }}{{ $anyProbe = true }}{{ end }}{{ end }}
containerStatuses:
{{ range $i, $c := .spec.containers }}${OLD}
{{ if or $c.livenessProbe (not $anyProbe) }}
{{ $startedAt := $now }}
{{ with $old.state }}{{ with .running }}{{ $startedAt = .startedAt }}{{ end }}{{ end }}
{{ $lastID := ${CID} }}
{{ $restarts = add1 $restarts }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ${IMGID}
  containerID: {{ ${CID} | Quote }}
  ready: true
  started: true
  restartCount: {{ $restarts }}
  state:
    running:
      startedAt: {{ $now | Quote }}
  lastState:
    terminated:
      exitCode: {{ or $exitCodeP "137" }}
      reason: {{ or $reasonP "Error" | Quote }}
      {{ if $messageP }}
      message: {{ $messageP | Quote }}
      {{ end }}
      startedAt: {{ $startedAt | Quote }}
      finishedAt: {{ $now | Quote }}
      containerID: {{ $lastID | Quote }}
{{ else }}
- {{ toJson $old }}
{{ end }}
{{ end }}
${conditions(true)}
phase: Running
`;

/**
 * The kubelet's eviction manager killed the pod (pkg/kubelet/eviction: evictPod): phase Failed,
 * reason Evicted, its message, a DisruptionTarget condition (TerminationByKubelet).
 */
const EVICTED = `
{{ $first := index .spec.containers 0 }}
{{ $req := "0" }}
{{ with $first.resources }}{{ with .requests }}{{ with .memory }}{{ $req = . }}{{ end }}{{ end }}{{ end }}
{{ $msg := or $messageP (printf "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container %s was using 1200Mi, request is %s, has larger consumption of memory. " $first.name $req) }}
containerStatuses:
{{ range $i, $c := .spec.containers }}${OLD}
{{ $startedAt := $now }}
{{ with $old.state }}{{ with .running }}{{ $startedAt = .startedAt }}{{ end }}{{ end }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: ${IMGID}
  containerID: {{ ${CID} | Quote }}
  ready: false
  started: false
  restartCount: {{ $restarts }}
  state:
    terminated:
      exitCode: 137
      reason: Error
      startedAt: {{ $startedAt | Quote }}
      finishedAt: {{ $now | Quote }}
      containerID: {{ ${CID} | Quote }}
  {{ with $old.lastState }}
  lastState: {{ toJson . }}
  {{ else }}
  lastState: {}
  {{ end }}
{{ end }}
conditions:
- type: DisruptionTarget
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
  reason: TerminationByKubelet
  message: {{ $msg | Quote }}
- type: PodReadyToStartContainers
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
  reason: PodFailed
  message: null
- type: ContainersReady
  status: "False"
  lastTransitionTime: {{ $now | Quote }}
  reason: PodFailed
  message: null
phase: Failed
reason: Evicted
message: {{ $msg | Quote }}
`;

// --- stages ------------------------------------------------------------------------------------

const CRASHING: readonly FaultType[] = ['CrashLoopBackOff', 'Error', 'OOMKilled'];
/** How long an exited container shows before the kubelet's next sync puts it in CrashLoopBackOff. */
const EXITED_MS = 1500;
const PULLING: readonly FaultType[] = ['ErrImagePull', 'ImagePullBackOff'];

const phase = (p: string): MatchExpression => ({ key: '.status.phase', operator: 'In', values: [p] });
const waiting = (r: string): MatchExpression => ({
  key: '.status.containerStatuses.[].state.waiting.reason',
  operator: 'In',
  values: [r],
});
const noStatuses: MatchExpression = { key: '.status.containerStatuses', operator: 'DoesNotExist' };

/**
 * The stage every healthy pod goes through (Pending → Running, Ready), in the same kubelet shape
 * as the fault stages (containerID, imageID, started, PodReadyToStartContainers). It replaces
 * KWOK's upstream `pod-ready`; weight 0, so any fault stage (weight 1) wins over it.
 */
export function readyStage(): Record<string, unknown> {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'pod-ready', labels: { 'app.kubernetes.io/part-of': 'kubectl-smart-test-cluster' } },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: {
        matchExpressions: [
          { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
          phase('Pending'),
          {
            key: '.status.conditions.[] | select( .type == "Ready" ) | .status',
            operator: 'NotIn',
            values: ['True'],
          },
        ],
      },
      next: { statusTemplate: head({}) + RUNNING },
    },
  };
}

/**
 * KWOK Stage objects (plain JSON) playing the faults. Without a selector they act on pods annotated
 * with {@link FAULT_ANNOTATION}; with `matchLabels` and `type` they act on those pods.
 */
export function faultStages(sel: FaultSelector = {}): Record<string, unknown>[] {
  const prefix = sel.namePrefix ?? 'fault';
  const byLabels =
    sel.matchLabels !== undefined || sel.namespace !== undefined || sel.matchExpressions !== undefined;
  if (byLabels && sel.type === undefined) throw new Error('faultStages: a selector needs a type');
  const stages: Record<string, unknown>[] = [];
  const add = (
    name: string,
    types: readonly FaultType[],
    match: readonly MatchExpression[],
    template: string,
    delayMs: number,
    delayAnnotation?: string,
  ): void => {
    if (byLabels && !types.includes(sel.type as FaultType)) return;
    const expressions: MatchExpression[] = [{ key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' }];
    if (!byLabels) {
      expressions.unshift({
        key: `.metadata.annotations["${FAULT_ANNOTATION}"]`,
        operator: 'In',
        values: types,
      });
    }
    if (sel.namespace !== undefined)
      expressions.push({ key: '.metadata.namespace', operator: 'In', values: [sel.namespace] });
    expressions.push(...(sel.matchExpressions ?? []), ...match);
    const delay: Record<string, unknown> = { durationMilliseconds: delayMs };
    if (delayAnnotation)
      delay['durationFrom'] = { expressionFrom: `.metadata.annotations["${A}/${delayAnnotation}"]` };
    stages.push({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Stage',
      metadata: {
        name: `${prefix}-${name}`,
        labels: { 'app.kubernetes.io/part-of': 'kubectl-smart-test-cluster' },
      },
      spec: {
        resourceRef: { apiGroup: 'v1', kind: 'Pod' },
        selector: {
          ...(sel.matchLabels ? { matchLabels: sel.matchLabels } : {}),
          matchExpressions: expressions,
        },
        // A positive weight beats the upstream stages (weight 0) matching the same pod.
        weight: 1,
        delay,
        next: { statusTemplate: head(sel) + template },
      },
    });
  };
  const d = sel.params ?? {};
  add('start', [...CRASHING, 'NotReady', 'LivenessProbeFailure', 'Evicted'], [phase('Pending')], RUNNING, 0);
  add(
    'restart',
    CRASHING,
    [phase('Running'), waiting('CrashLoopBackOff')],
    RUNNING,
    d.backoffMs ?? 10_000,
    'backoff-duration',
  );
  add(
    'crash',
    CRASHING,
    [
      phase('Running'),
      { key: '.spec.restartPolicy', operator: 'NotIn', values: ['Never'] },
      { key: '.status.containerStatuses.[].state.running.startedAt', operator: 'Exists' },
    ],
    CRASH,
    d.runMs ?? 1000,
    'run-duration',
  );
  // The kubelet shows an exited container for a moment before its back-off; the stages above go
  // straight from running to CrashLoopBackOff. A test that writes that moment itself (the
  // determinism test) hands the pod back to the loop through this stage.
  add(
    'exited',
    CRASHING,
    [
      phase('Running'),
      { key: '.spec.restartPolicy', operator: 'NotIn', values: ['Never'] },
      { key: '.status.containerStatuses.[].state.terminated.finishedAt', operator: 'Exists' },
    ],
    CRASH,
    EXITED_MS,
  );
  add(
    'crash-never',
    CRASHING,
    [
      phase('Running'),
      { key: '.spec.restartPolicy', operator: 'In', values: ['Never'] },
      { key: '.status.containerStatuses.[].state.running.startedAt', operator: 'Exists' },
    ],
    CRASH_NEVER,
    d.runMs ?? 1000,
    'run-duration',
  );
  add('pull-first', PULLING, [phase('Pending'), noStatuses], pull('ErrImagePull'), 0);
  add(
    'pull-backoff',
    PULLING,
    [phase('Pending'), waiting('ErrImagePull')],
    pull('ImagePullBackOff'),
    d.pullMs ?? 1000,
    'pull-duration',
  );
  add(
    'pull-retry',
    PULLING,
    [phase('Pending'), waiting('ImagePullBackOff')],
    pull('ErrImagePull'),
    d.backoffMs ?? 10_000,
    'backoff-duration',
  );
  add('config-error', ['CreateContainerConfigError'], [phase('Pending'), noStatuses], CONFIG_ERROR, 0);
  // Keeps matching the steady state, so the healthy pod-ready stage (weight 0) never takes over.
  add(
    'config-retry',
    ['CreateContainerConfigError'],
    [phase('Pending'), waiting('CreateContainerConfigError')],
    CONFIG_ERROR,
    d.backoffMs ?? 10_000,
    'backoff-duration',
  );
  const initWaiting = (r: string): MatchExpression => ({
    key: '.status.initContainerStatuses.[].state.waiting.reason',
    operator: 'In',
    values: [r],
  });
  add(
    'init-start',
    ['InitCrashLoopBackOff'],
    [
      phase('Pending'),
      { key: '.spec.initContainers', operator: 'Exists' },
      { key: '.status.initContainerStatuses', operator: 'DoesNotExist' },
    ],
    initFailing(false),
    0,
  );
  add(
    'init-crash',
    ['InitCrashLoopBackOff'],
    [
      phase('Pending'),
      { key: '.status.initContainerStatuses.[].state.running.startedAt', operator: 'Exists' },
    ],
    initFailing(true),
    d.runMs ?? 1000,
    'run-duration',
  );
  // The exited moment of an init container (see 'exited'): else the healthy pod-ready stage,
  // which matches any Pending pod no fault stage does, would start the app containers.
  add(
    'init-exited',
    ['InitCrashLoopBackOff'],
    [
      phase('Pending'),
      { key: '.status.initContainerStatuses.[].state.terminated.finishedAt', operator: 'Exists' },
    ],
    initFailing(true),
    EXITED_MS,
  );
  add(
    'init-restart',
    ['InitCrashLoopBackOff'],
    [phase('Pending'), initWaiting('CrashLoopBackOff')],
    initFailing(false),
    d.backoffMs ?? 10_000,
    'backoff-duration',
  );
  add(
    'liveness-restart',
    ['LivenessProbeFailure'],
    [phase('Running'), { key: '.status.containerStatuses.[].state.running.startedAt', operator: 'Exists' }],
    LIVENESS_RESTART,
    // failureThreshold 3 × periodSeconds 10, the kubelet's defaults.
    d.runMs ?? 30_000,
    'run-duration',
  );
  add(
    'evict',
    ['Evicted'],
    [phase('Running'), { key: '.status.containerStatuses.[].state.running.startedAt', operator: 'Exists' }],
    EVICTED,
    d.runMs ?? 1000,
    'run-duration',
  );
  return stages;
}
