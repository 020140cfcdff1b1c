import type { Evidence, Fix } from '../../core/finding.js';
import type { Node } from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import { formatBytesQuantity, parseBytes } from '../../core/resource-quantity.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { nsFlag } from '../pod-refs.js';
import { podWorkload, setResourcesCommand } from '../pod-workload.js';
import { defineRule } from '../rule.js';

/** The kubelet's eviction messages (pkg/kubelet/eviction/helpers.go), piece by piece. */
const NODE_LOW = /The node was low on resource: ([^.]+)\./;
const THRESHOLD = /Threshold quantity: ([^,]+), available: (\S+?)\.(?:\s|$)/;
const CONTAINER_USE =
  /Container (\S+) was using (\S+), request is (\S+), has larger consumption of ([^.]+)\./g;
const NODE_CONDITION = /The node had condition: \[([^\]]+)\]/;
const EPHEMERAL_LIMIT = /Container (\S+) exceeded its local ephemeral storage limit "([^"]+)"/;
const POD_EPHEMERAL = /Pod ephemeral local storage usage exceeds the total limit of containers (\S+?)\.? /;
const EMPTY_DIR = /Usage of EmptyDir volume "([^"]+)" exceeds the limit "([^"]+)"/;

/**
 * A pod the kubelet evicted (phase Failed, reason Evicted), decoded from the kubelet's message: the
 * node's pressure (which resource, threshold, what was left) and the container that used most
 * against its request, or the ephemeral-storage limit it crossed. A controller replaces an evicted
 * pod (warning); a bare pod is gone (critical). The pressure itself is the node's finding, which
 * the ranking puts above this one.
 */
export const podEvicted = defineRule({
  id: 'pod-evicted',
  summary: 'evicted pods, with the node pressure that caused it',
  reads: ['Node', ...CONTROLLER_KINDS],
  kinds: ['Pod'],
  fixInTemplate: true,
  symptom: true,
  detect(pod, { snapshot }) {
    if (pod.status?.phase !== 'Failed' || pod.status.reason !== 'Evicted') return [];
    const ref = refOf(pod);
    const message = pod.status.message ?? '';
    const nodeName = pod.spec?.nodeName;
    const owner = podWorkload(pod, snapshot);
    const evidence: Evidence[] = [{ source: 'status', text: `Evicted: ${message.trim()}` }];
    const low = NODE_LOW.exec(message)?.[1];
    const threshold = THRESHOLD.exec(message);
    const users = [...message.matchAll(CONTAINER_USE)].map(
      ([, name = '', using = '', request = '', resource = '']) => ({
        name,
        using,
        request,
        resource,
      }),
    );
    const onNode = nodeName === undefined ? '' : ` ${nodeName}`;

    let cause: string;
    let fix: Fix;
    if (low !== undefined) {
      cause = `node${onNode} was low on ${low}${threshold === null ? '' : ` (threshold ${threshold[1] ?? ''}, ${threshold[2] ?? ''} available)`}`;
      for (const user of users)
        cause += `; container ${user.name} used ${user.using} of ${user.resource} against a request of ${user.request}`;
      fix = pressureFix(ref, owner, users[0]);
    } else {
      const condition = NODE_CONDITION.exec(message)?.[1];
      const ephemeral = EPHEMERAL_LIMIT.exec(message);
      const podEphemeral = POD_EPHEMERAL.exec(message)?.[1];
      const emptyDir = EMPTY_DIR.exec(message);
      if (ephemeral !== null) {
        cause = `container ${ephemeral[1] ?? ''} wrote more than its ephemeral-storage limit of ${ephemeral[2] ?? ''}`;
      } else if (podEphemeral !== undefined) {
        cause = `its containers wrote more than their ephemeral-storage limits (${podEphemeral} in all)`;
      } else if (emptyDir !== null) {
        cause = `emptyDir volume ${emptyDir[1] ?? ''} grew past its sizeLimit of ${emptyDir[2] ?? ''}`;
      } else if (condition !== undefined) {
        cause = `node${onNode} had condition ${condition}`;
      } else {
        cause =
          message.trim() === ''
            ? `the kubelet on${onNode === '' ? ' its node' : onNode} evicted it`
            : message.trim();
      }
      fix =
        ephemeral !== null || podEphemeral !== undefined || emptyDir !== null
          ? {
              summary:
                'write less to the container filesystem and emptyDir volumes (logs to stdout, caches bounded), or raise the ephemeral-storage limit or sizeLimit to what it needs',
              commands: [editCommand(ref, owner, 'resources.limits.ephemeral-storage / emptyDir.sizeLimit')],
            }
          : { summary: 'find and relieve the node condition', commands: nodeCommands(nodeName) };
    }

    if (nodeName !== undefined) {
      const node: Node | undefined = snapshot.get({ kind: 'Node', name: nodeName });
      const pressures = (node?.status?.conditions ?? []).filter(
        (c) => c.type.endsWith('Pressure') && c.status === 'True',
      );
      for (const condition of pressures)
        evidence.push({
          source: 'status',
          resource: { kind: 'Node', name: nodeName },
          text: `${condition.type}=True${condition.reason === undefined ? '' : ` ${condition.reason}`} still`,
        });
    }
    const replaced = owner.kind !== 'Pod';
    return [
      {
        ruleId: this.id,
        severity: replaced ? 'warning' : 'critical',
        resource: ref,
        message: `pod was evicted: ${cause}${replaced ? '' : '; no controller replaces it'}`,
        evidence,
        fix: {
          summary: fix.summary,
          commands: [
            ...(fix.commands ?? []),
            `kubectl ${nsFlag(ref)}delete pod ${pod.metadata.name}  # evicted pods stay until deleted`,
          ],
        },
      },
    ];
  },
});

interface HeavyUser {
  readonly name: string;
  readonly using: string;
  readonly request: string;
  readonly resource: string;
}

/** Under node pressure the kubelet evicts whoever uses most beyond its request: make the request honest. */
function pressureFix(ref: ResourceRef, owner: ResourceRef, user: HeavyUser | undefined): Fix {
  if (user === undefined || (user.resource !== 'memory' && user.resource !== 'ephemeral-storage'))
    return {
      summary: 'set requests that match what the pods use, so the scheduler does not overcommit the node',
      commands: [editCommand(ref, owner, 'resources.requests')],
    };
  let usingBytes: number;
  try {
    usingBytes = parseBytes(user.using);
  } catch {
    return { summary: `set container ${user.name}'s ${user.resource} request to what it uses`, commands: [] };
  }
  const figure = formatBytesQuantity(usingBytes);
  if (owner.kind === 'Pod')
    return {
      summary: `set container ${user.name}'s ${user.resource} request to what it used (${figure}) and recreate the pod; better, run it under a Deployment`,
      commands: [
        editCommand(ref, owner, `containers[${user.name}].resources.requests.${user.resource}: ${figure}`),
      ],
    };
  return {
    summary: `set container ${user.name}'s ${user.resource} request to what it used (${figure}), so the scheduler places it where that much is free; give it a limit too`,
    commands: [setResourcesCommand(owner, user.name, `--requests=${user.resource}=${figure}`)],
  };
}

function nodeCommands(nodeName: string | undefined): string[] {
  return nodeName === undefined ? [] : [`kubectl describe node ${nodeName}`];
}

/** Edit the controller's template; a bare pod's resources cannot be edited, so it is recreated. */
function editCommand(ref: ResourceRef, owner: ResourceRef, what: string): string {
  // A Job's pod template is immutable: it is re-created with the change, like a bare pod.
  return owner.kind === 'Pod' || owner.kind === 'Job'
    ? `kubectl ${nsFlag(ref)}get ${owner.kind.toLowerCase()} ${owner.name} -o yaml > ${owner.kind.toLowerCase()}.yaml  # change ${what}${owner.kind === 'Job' ? ' (the template is immutable; delete spec.selector and the controller-uid labels)' : ''}, then: kubectl replace --force -f ${owner.kind.toLowerCase()}.yaml`
    : `kubectl ${nsFlag(ref)}edit ${target(owner)}  # ${what}`;
}

/** `deployment/api`, or `pod/name` for a bare pod. */
function target(owner: ResourceRef): string {
  return `${owner.kind.toLowerCase()}/${owner.name}`;
}
