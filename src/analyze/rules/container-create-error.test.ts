import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { realdataItems } from '../../../test/support/realdata.js';
import { containerCreateError } from './container-create-error.js';

const deployment: KubeObject = {
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop', uid: 'd-1' },
};
const replicaSet: KubeObject = {
  kind: 'ReplicaSet',
  metadata: {
    name: 'api-6f8d9',
    namespace: 'shop',
    uid: 'rs-1',
    ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'd-1', controller: true }],
  },
};

/** A Deployment's pod on worker-2 with one container in the given status. */
function apiPod(status: object, container: object = {}): KubeObject {
  return {
    kind: 'Pod',
    metadata: {
      name: 'api-6f8d9-7xq2m',
      namespace: 'shop',
      uid: 'p-1',
      ownerReferences: [{ kind: 'ReplicaSet', name: 'api-6f8d9', uid: 'rs-1', controller: true }],
    },
    spec: {
      nodeName: 'worker-2',
      containers: [{ name: 'api', image: 'registry.example.com/shop/api:1.4.2', ...container }],
    },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'api', ready: false, ...status }],
    },
  };
}

/** A kubelet event about the api container of the pod above. */
function podEvent(reason: string, message: string, count: number, type = 'Warning'): KubeObject {
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name: `api-6f8d9-7xq2m.${reason.toLowerCase()}`, namespace: 'shop' },
    involvedObject: {
      kind: 'Pod',
      namespace: 'shop',
      name: 'api-6f8d9-7xq2m',
      uid: 'p-1',
      fieldPath: 'spec.containers{api}',
    },
    type,
    reason,
    message,
    count,
    firstTimestamp: '2026-11-20T02:58:00Z',
    lastTimestamp: '2026-11-20T03:10:41Z',
    source: { component: 'kubelet', host: 'worker-2' },
  };
}

describe('container-create-error', () => {
  it('decodes the real ContainerCannotRun: the command "wge" is not in image nginx', () => {
    const [pod] = realdataItems('pods/troubleshoot_crashloop-exit127-containercannotrun_podlist.json');
    expect(containerCreateError.detect(pod!, contextOf([pod!]))).toEqual([
      {
        ruleId: 'container-create-error',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'message-pod-crashloop-backoff', name: 'init-demo' },
        message: 'container nginx cannot start: its command "wge" is not found in image nginx',
        evidence: [
          {
            source: 'status',
            text: 'container nginx: last terminated ContainerCannotRun, exit code 127: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "wge": executable file not found in $PATH: unknown',
          },
          {
            source: 'spec',
            text: 'runs: wge -O /work-dir/index.html https://home.robusta.dev (image nginx)',
          },
        ],
        fix: {
          summary:
            'fix the command: image nginx has no "wge" on its $PATH; run an executable the image has (or its full path), or use an image that has it',
          commands: [
            'kubectl -n message-pod-crashloop-backoff get pod init-demo -o yaml > pod.yaml  # change containers[nginx].command, then: kubectl replace --force -f pod.yaml',
            'kubectl -n message-pod-crashloop-backoff debug pod/init-demo -it --copy-to=init-demo-debug --container=nginx -- sh  # a copy with a shell instead, to look inside the image',
          ],
        },
      },
    ]);
  });

  it('leaves running, crashing, unpullable and misconfigured containers to other rules', () => {
    const pods = [
      apiPod({ ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-20T02:00:00Z' } } }),
      apiPod({
        restartCount: 4,
        state: {
          waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' },
        },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-20T03:09:00Z' } },
      }),
      apiPod({ state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }),
      apiPod({
        state: {
          waiting: { reason: 'CreateContainerConfigError', message: 'configmap "api-config" not found' },
        },
      }),
    ];
    for (const pod of pods) {
      const events = [podEvent('Failed', 'Error: configmap "api-config" not found', 3)];
      expect(containerCreateError.detect(pod, contextOf([pod, ...events]))).toEqual([]);
    }
  });

  it('names the mount containerd cannot make: a ConfigMap key mounted with subPath onto a directory', () => {
    const message =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "/var/lib/kubelet/pods/6c1f2a0e-93d4-4c1e-9d0b-52a3c3f0e1aa/volume-subpaths/config/api/0" to rootfs at "/etc/api/config.yaml": mount /var/lib/kubelet/pods/6c1f2a0e-93d4-4c1e-9d0b-52a3c3f0e1aa/volume-subpaths/config/api/0:/etc/api/config.yaml (via /proc/self/fd/6), flags: 0x5001: not a directory: unknown';
    const pod = apiPod({
      restartCount: 5,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 2m40s restarting failed container=api pod=api-6f8d9-7xq2m_shop(p-1)',
        },
      },
      lastState: {
        terminated: {
          exitCode: 128,
          reason: 'StartError',
          message,
          startedAt: '1970-01-01T00:00:00Z',
          finishedAt: '2026-11-20T03:10:41Z',
        },
      },
    });
    const objects = [deployment, replicaSet, pod, podEvent('Failed', `Error: ${message}`, 6)];
    expect(containerCreateError.detect(pod, contextOf(objects))).toEqual([
      {
        ruleId: 'container-create-error',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message:
          'container api cannot start: the runtime cannot mount a volume at /etc/api/config.yaml (a file mounted onto a directory, or the reverse)',
        evidence: [
          { source: 'status', text: `container api: last terminated StartError, exit code 128: ${message}` },
          { source: 'event', text: `Failed (x6, last 2026-11-20T03:10:41Z): Error: ${message}` },
        ],
        fix: {
          summary:
            "fix the volumeMount at /etc/api/config.yaml: a file (a subPath key) must go onto a file path and a directory onto a directory; check a hostPath's type",
          commands: [
            'kubectl -n shop edit deployment/api  # containers[api].volumeMounts',
            'kubectl -n shop describe pod api-6f8d9-7xq2m',
          ],
        },
      },
    ]);
  });

  it('reads CRI-O’s CreateContainerError for a missing executable, and a permission denied from containerd', () => {
    const notFound = apiPod(
      {
        state: {
          waiting: {
            reason: 'CreateContainerError',
            message:
              'container create failed: executable file `/bin/alloy` not found in $PATH: No such file or directory',
          },
        },
      },
      { command: ['/bin/alloy'], args: ['run', '/etc/alloy/config.alloy'] },
    );
    const [created] = containerCreateError.detect(notFound, contextOf([notFound]));
    expect(created?.message).toBe(
      'container api cannot start: its command "/bin/alloy" is not found in image registry.example.com/shop/api:1.4.2',
    );
    expect(created?.evidence).toContainEqual({
      source: 'spec',
      text: 'runs: /bin/alloy run /etc/alloy/config.alloy (image registry.example.com/shop/api:1.4.2)',
    });

    const denied = apiPod({
      state: {
        waiting: {
          reason: 'RunContainerError',
          message:
            'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/entrypoint.sh": permission denied: unknown',
        },
      },
    });
    expect(containerCreateError.detect(denied, contextOf([denied]))[0]?.message).toBe(
      'container api cannot start: permission denied executing "/app/entrypoint.sh"',
    );
  });

  it('blames a failing postStart hook, quoting the kubelet’s message that the event withholds', () => {
    const hookMessage =
      'Exec lifecycle hook ([/bin/sh -c /opt/register.sh]) for Container "api" in Pod "api-6f8d9-7xq2m_shop(p-1)" failed - error: command \'/bin/sh -c /opt/register.sh\' exited with 1: , message: "register: connection refused\\n"';
    const pod = apiPod(
      { restartCount: 2, state: { waiting: { reason: 'PostStartHookError', message: hookMessage } } },
      { lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', '/opt/register.sh'] } } } },
    );
    const objects = [deployment, replicaSet, pod, podEvent('FailedPostStartHook', 'PostStartHook failed', 3)];
    expect(containerCreateError.detect(pod, contextOf(objects))).toEqual([
      {
        ruleId: 'container-create-error',
        severity: 'critical',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message: "container api's postStart hook fails, so the kubelet kills the container",
        evidence: [
          { source: 'status', text: `container api: PostStartHookError: ${hookMessage}` },
          {
            source: 'event',
            text: 'FailedPostStartHook (x3, last 2026-11-20T03:10:41Z): PostStartHook failed',
          },
          { source: 'spec', text: 'postStart hook: exec /bin/sh -c /opt/register.sh' },
        ],
        fix: {
          summary:
            "fix the postStart hook (it runs exec /bin/sh -c /opt/register.sh) or remove it: the kubelet kills the container whenever it fails, and says why only in the container's status",
          commands: ['kubectl -n shop edit deployment/api  # containers[api].lifecycle.postStart'],
        },
      },
    ]);
  });

  it('warns of a failing preStop hook on a running container', () => {
    const pod = apiPod(
      { ready: true, restartCount: 1, state: { running: { startedAt: '2026-11-20T03:00:00Z' } } },
      { lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } },
    );
    const objects = [deployment, replicaSet, pod, podEvent('FailedPreStopHook', 'PreStopHook failed', 1)];
    expect(containerCreateError.detect(pod, contextOf(objects))).toEqual([
      {
        ruleId: 'container-create-error',
        severity: 'warning',
        resource: { kind: 'Pod', namespace: 'shop', name: 'api-6f8d9-7xq2m' },
        message: "container api's preStop hook fails, so it stops without its clean shutdown",
        evidence: [
          { source: 'event', text: 'FailedPreStopHook (x1, last 2026-11-20T03:10:41Z): PreStopHook failed' },
          { source: 'spec', text: 'preStop hook: httpGet :8080/drain' },
        ],
        fix: {
          summary:
            'fix the preStop hook (it runs httpGet :8080/drain): when it fails, the container gets SIGTERM without its clean shutdown',
          commands: ['kubectl -n shop edit deployment/api  # containers[api].lifecycle.preStop'],
        },
      },
    ]);
  });
});
