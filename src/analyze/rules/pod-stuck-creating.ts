import { formatAge } from '../../core/duration.js';
import type { EventRecord } from '../../core/event-record.js';
import type { Evidence, Finding, Fix } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { Node, PersistentVolumeClaim, Pod } from '../../core/kube-types.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { topOwner } from '../../events/top-owner.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { eventText } from '../container-spec.js';
import { createMissing } from '../create-missing.js';
import { graphReferenceState, notReadText } from '../reference-state.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** How long a pod may take to get its volumes and network before it counts as stuck. */
const GRACE_MS = 2 * 60_000;
/** Waiting reasons of containers whose pod has no sandbox or volumes yet. */
const CREATING = new Set(['ContainerCreating', 'PodInitializing']);
/** What the kubelet and the attach/detach controller report while a pod cannot get them. */
const BLOCKING_EVENTS = new Set([
  'FailedMount',
  'FailedAttachVolume',
  'FailedMapVolume',
  'FailedCreatePodSandBox',
  'NetworkNotReady',
]);

/** The kubelet's and the attach/detach controller's words (pkg/volume, volumemanager, reconciler). */
const MISSING_SOURCE = /failed for volume "([^"]+)" : (configmap|secret) "([^"]+)" not found/;
const MISSING_KEY =
  /failed for volume "([^"]+)" : (?:configmap )?references non-existent (?:config|secret) key: (\S+)/;
const MULTI_ATTACH = /^Multi-Attach error for volume "([^"]+)" Volume is already (.*)$/;
const USED_BY = /^used by pod\(s\) (.+?)(?: and \d+ pod\(s\) in different namespaces)?$/;
const ATTACH_FAILED = /^AttachVolume\.Attach failed for volume "([^"]+)" : (.*)$/s;
const ATTACHER_TIMEOUT = /timed out waiting for external-attacher of (\S+) CSI driver/;
const CSI_NOT_REGISTERED = /driver name (\S+) not found in the list of registered CSI drivers/;
const VOLUME_OPERATION = /^(MountVolume|MapVolume)\.(\w+) failed for volume "([^"]+)" : (.*)$/s;
const MOUNT_TIMEOUT = /unmounted volumes=\[([^\]]*)\], unattached volumes=\[([^\]]*)\]/;
const CNI_PLUGIN = /plugin type="([^"]+)"/;
const CNI =
  /failed to (setup|set up) network|networkPlugin cni|cni plugin not initialized|NetworkPluginNotReady|failed to find plugin|network is not ready|CNI/i;
const NO_IPS = /failed to assign an IP|no IP addresses available|failed to allocate for range|range is full/i;
const SANDBOX_IMAGE = /sandbox image|pause:|pause image/i;
const RUNTIME_HANDLER = /no runtime for "([^"]+)"|runtime handler "?([^"\s]+)"?/i;

/** What a decoder works from. */
interface StuckPod {
  readonly pod: Pod;
  readonly ref: ResourceRef;
  readonly events: readonly EventRecord[];
  readonly snapshot: Snapshot;
  readonly graph: DependencyGraph;
  readonly nodeName: string | undefined;
}

/** Why it is stuck, in a clause; the fix; and facts read elsewhere that show it. */
interface Diagnosis {
  readonly cause: string;
  readonly fix: Fix;
  readonly evidence: readonly Evidence[];
}

/**
 * A pod stuck before its containers start (every container waiting in ContainerCreating or
 * PodInitializing for more than two minutes since it was created or scheduled) while the kubelet
 * and the attach/detach controller report FailedMount, FailedAttachVolume, FailedMapVolume,
 * FailedCreatePodSandBox or NetworkNotReady. Decoded: a ConfigMap or Secret volume (or one of its
 * keys) that does not exist, a ReadWriteOnce volume still attached to another node (naming the pod
 * and node holding it), a CSI attach that timed out or a driver missing on the node, another mount
 * failure, the network plugin failing to set up the sandbox (or out of pod IPs), the pause image,
 * a RuntimeClass handler. The evidence is the events with their counts.
 *
 * A symptom: a missing ConfigMap is missing-dependency's root cause, a NotReady node the node's;
 * the ranking puts this finding under them.
 */
export const podStuckCreating = defineRule({
  id: 'pod-stuck-creating',
  summary:
    'pods stuck in ContainerCreating: FailedMount (missing ConfigMap/Secret or key, a volume attached elsewhere, CSI driver), FailedAttachVolume, sandbox and network plugin failures',
  reads: ['Event', 'ConfigMap', 'Secret', 'Node', 'PersistentVolumeClaim', ...CONTROLLER_KINDS],
  kinds: ['Pod'],
  symptom: true,
  detect(pod, { snapshot, graph, now }) {
    if (pod.metadata.deletionTimestamp !== undefined) return [];
    const statuses = containerStatuses(pod);
    const reasons = statuses.map((status) => status.state?.waiting?.reason);
    if (statuses.length === 0 || !reasons.every((reason) => reason !== undefined && CREATING.has(reason)))
      return [];
    const sinceText = [
      pod.metadata.creationTimestamp,
      pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')
        ?.lastTransitionTime,
    ]
      .filter((time) => timeMs(time) !== undefined)
      .sort((a, b) => (timeMs(a) ?? 0) - (timeMs(b) ?? 0))
      .at(-1);
    const sinceMs = timeMs(sinceText);
    if (sinceText === undefined || sinceMs === undefined || now.getTime() - sinceMs <= GRACE_MS) return [];
    const ref = refOf(pod);
    const events = snapshot
      .eventsAbout(ref)
      .filter((event) => event.type === 'Warning' && BLOCKING_EVENTS.has(event.reason));
    if (events.length === 0) return [];

    const input: StuckPod = { pod, ref, events, snapshot, graph, nodeName: pod.spec?.nodeName };
    const diagnosis = DECODERS.reduce<Diagnosis | undefined>(
      (found, decode) => found ?? decode(input),
      undefined,
    ) ?? {
      cause: 'the kubelet cannot prepare it',
      fix: { summary: 'read the events for what the kubelet cannot do', commands: [describePod(ref)] },
      evidence: [],
    };
    const stage = reasons.includes('PodInitializing') ? 'PodInitializing' : 'ContainerCreating';
    const age = formatAge(now.getTime() - sinceMs);
    return [
      {
        ruleId: this.id,
        severity: 'critical',
        resource: ref,
        message: `pod has been in ${stage} for ${age}: ${diagnosis.cause}`,
        evidence: [
          {
            source: 'status',
            text: `containers ${formatList(statuses.map((s) => s.name))} waiting in ${stage} since ${sinceText} (${age})`,
          },
          ...events.map((event) => ({ source: 'event' as const, text: eventText(event) })),
          ...diagnosis.evidence,
        ],
        fix: diagnosis.fix,
      } satisfies Finding,
    ];
  },
});

/** Most specific first: a named missing object beats the volume manager's generic timeout. */
const DECODERS: readonly ((input: StuckPod) => Diagnosis | undefined)[] = [
  missingSource,
  missingKey,
  multiAttach,
  attachFailed,
  volumeOperation,
  sandbox,
  mountTimeout,
];

function missingSource({ events, ref, graph }: StuckPod): Diagnosis | undefined {
  const match = firstMatch(events, MISSING_SOURCE);
  if (match === undefined) return undefined;
  const [, volume = '', kind = '', name = ''] = match;
  const missing = { kind: kind === 'secret' ? 'Secret' : 'ConfigMap', ...inNamespaceOf(ref), name };
  const state = graphReferenceState(graph, missing);
  // Created since the kubelet said so: the kubelet mounts it on its next try.
  if (state === 'present') return undefined;
  const fix = createMissing(missing, graph);
  return {
    cause: `its volume ${volume} needs ${missing.kind} ${name}, which ${
      state === 'missing'
        ? 'does not exist'
        : `the kubelet did not find (${notReadText(missing.kind, missing.namespace)})`
    }`,
    fix: {
      summary: `${fix.summary}; the kubelet mounts it once it exists (or mark the volume optional)`,
      ...(fix.commands === undefined ? {} : { commands: fix.commands }),
    },
    evidence:
      state === 'missing'
        ? [
            {
              source: 'graph',
              text: `Pod/${ref.name} volume:${volume} → ${missing.kind}/${name} (not found)`,
            },
          ]
        : [],
  };
}

function missingKey({ events, ref, pod }: StuckPod): Diagnosis | undefined {
  const match = firstMatch(events, MISSING_KEY);
  if (match === undefined) return undefined;
  const [, volume = '', key = ''] = match;
  const spec = pod.spec?.volumes?.find((v) => v.name === volume);
  const source =
    spec?.configMap?.name !== undefined
      ? { kind: 'ConfigMap', name: spec.configMap.name }
      : spec?.secret?.secretName !== undefined
        ? { kind: 'Secret', name: spec.secret.secretName }
        : undefined;
  if (source === undefined)
    return {
      cause: `its volume ${volume} names a key ${key} that its source does not hold`,
      fix: {
        summary: `add the key ${key}, or drop it from the volume's items`,
        commands: [describePod(ref)],
      },
      evidence: [],
    };
  const target = { ...source, ...inNamespaceOf(ref) };
  return {
    cause: `its volume ${volume} needs key ${key} of ${source.kind} ${source.name}, which does not hold it`,
    fix: {
      summary: `add the key ${key} to ${source.kind} ${source.name}, or drop it from the volume's items`,
      commands: [
        `kubectl ${nsFlag(target)}patch ${source.kind.toLowerCase()} ${source.name} --type=merge -p '${JSON.stringify({ [source.kind === 'Secret' ? 'stringData' : 'data']: { [key]: 'VALUE' } })}'`,
      ],
    },
    evidence: [],
  };
}

function multiAttach(input: StuckPod): Diagnosis | undefined {
  const { events, ref, snapshot, nodeName } = input;
  const match = firstMatch(events, MULTI_ATTACH);
  if (match === undefined) return undefined;
  const [, volume = '', rest = ''] = match;
  const claim = claimOf(input, volume);
  const named = USED_BY.exec(rest)?.[1]?.split(', ') ?? [];
  const holders = (named.length > 0 ? named : podsUsingClaim(input, claim))
    .flatMap((name): Pod[] => {
      const pod: Pod | undefined = snapshot.get({ kind: 'Pod', ...inNamespaceOf(ref), name });
      return pod === undefined ? [] : [pod];
    })
    .filter((pod) => pod.metadata.name !== ref.name && pod.spec?.nodeName !== nodeName);
  const what = `volume ${volume}${claim === undefined ? '' : ` (claim ${claim.name})`}`;
  const [holder] = holders;
  const holderNode = holder?.spec?.nodeName;
  if (holder === undefined || holderNode === undefined)
    return {
      cause: `${what} is still attached to another node, and a ReadWriteOnce volume attaches to one node at a time`,
      fix: {
        summary:
          'wait for the attach/detach controller to detach it, or find the node it is attached to and stop what uses it there',
        commands: [`kubectl get volumeattachments -o wide | grep ${volume}`],
      },
      evidence: [],
    };
  const node: Node | undefined = snapshot.get({ kind: 'Node', name: holderNode });
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
  const down = ready !== undefined && ready.status !== 'True';
  const evidence: Evidence[] = [
    {
      source: 'status',
      resource: refOf(holder),
      text: `pod ${holder.metadata.name} uses it on node ${holderNode} (${holder.metadata.deletionTimestamp === undefined ? (holder.status?.phase ?? 'unknown phase') : 'Terminating'})`,
    },
  ];
  if (down)
    evidence.push({
      source: 'status',
      resource: { kind: 'Node', name: holderNode },
      text: `Ready=${ready.status}${ready.reason === undefined ? '' : ` ${ready.reason}`}`,
    });
  const cause = `${what} is still attached to node ${holderNode} for pod ${holder.metadata.name}; a ReadWriteOnce volume attaches to one node at a time`;
  if (down)
    return {
      cause,
      fix: {
        summary: `node ${holderNode} is down, so the volume is not detached from it: once you are sure the node is off, mark it out of service (its pods are deleted and volumes detached), or delete pod ${holder.metadata.name} by force`,
        commands: [
          `kubectl taint nodes ${holderNode} node.kubernetes.io/out-of-service=nodeshutdown:NoExecute  # only when the node is really off`,
          `kubectl ${nsFlag(ref)}delete pod ${holder.metadata.name} --grace-period=0 --force  # only when the node is really off`,
        ],
      },
      evidence,
    };
  const owner = topOwner(ref, snapshot);
  const holderOwner = topOwner(refOf(holder), snapshot);
  if (owner.kind === 'Deployment' && refKey(owner) === refKey(holderOwner))
    return {
      cause,
      fix: {
        summary: `a rolling update starts the new pod before the old one lets go of the volume: give Deployment ${owner.name} the Recreate strategy, or run it as a StatefulSet with a claim per pod`,
        commands: [
          `kubectl ${nsFlag(ref)}patch deployment ${owner.name} -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'`,
        ],
      },
      evidence,
    };
  return {
    cause,
    fix: {
      summary: `two pods need the same ReadWriteOnce volume on different nodes: stop pod ${holder.metadata.name}, give each pod its own claim, or use a ReadWriteMany volume`,
      commands: [`kubectl ${nsFlag(ref)}delete pod ${holder.metadata.name}`],
    },
    evidence,
  };
}

function attachFailed({ events, nodeName }: StuckPod): Diagnosis | undefined {
  const match = firstMatch(events, ATTACH_FAILED);
  if (match === undefined) return undefined;
  const [, volume = '', detail = ''] = match;
  const driver = ATTACHER_TIMEOUT.exec(detail)?.[1];
  const commands = [
    `kubectl get volumeattachments -o wide | grep ${volume}  # the attach error, as the attacher reports it`,
  ];
  if (driver !== undefined)
    return {
      cause: `CSI driver ${driver} did not attach volume ${volume}${nodeName === undefined ? '' : ` to node ${nodeName}`} in time`,
      fix: {
        summary: `check the ${driver} controller (its external-attacher) and the cloud's attach limits and errors for the volume`,
        commands: [
          ...commands,
          `kubectl get pods -A -o wide | grep -i csi  # the driver's controller and node pods`,
        ],
      },
      evidence: [],
    };
  return {
    cause: `volume ${volume} cannot be attached${nodeName === undefined ? '' : ` to node ${nodeName}`}`,
    fix: { summary: 'fix what the attach error names (the volume, its zone, the node)', commands },
    evidence: [],
  };
}

function volumeOperation({ events, ref, nodeName }: StuckPod): Diagnosis | undefined {
  const driverMatch = firstMatch(events, CSI_NOT_REGISTERED);
  if (driverMatch !== undefined) {
    const driver = driverMatch[1] ?? '?';
    return {
      cause: `CSI driver ${driver} is not running${nodeName === undefined ? '' : ` on node ${nodeName}`}, so the volume cannot be mounted`,
      fix: {
        summary: `install ${driver}, or get its node plugin (a DaemonSet pod) running on the node`,
        commands:
          nodeName === undefined
            ? ['kubectl get csidrivers']
            : [
                `kubectl get pods -A -o wide --field-selector spec.nodeName=${nodeName} | grep -i csi  # the driver's node plugin here`,
                `kubectl get csinode ${nodeName} -o yaml`,
              ],
      },
      evidence: [],
    };
  }
  const match = firstMatch(events, VOLUME_OPERATION);
  if (match === undefined) return undefined;
  const [, operation = '', step = '', volume = ''] = match;
  return {
    cause: `volume ${volume} cannot be ${operation === 'MapVolume' ? 'mapped' : 'mounted'} (${operation}.${step} fails)`,
    fix: {
      summary: `fix what the ${operation}.${step} error names: the volume's server, driver or filesystem, as seen from the node`,
      commands: [describePod(ref), ...(nodeName === undefined ? [] : [`kubectl describe node ${nodeName}`])],
    },
    evidence: [],
  };
}

function sandbox({ events, nodeName }: StuckPod): Diagnosis | undefined {
  const failures = events.filter(
    (e) => e.reason === 'FailedCreatePodSandBox' || e.reason === 'NetworkNotReady',
  );
  if (failures.length === 0) return undefined;
  const text = failures.map((e) => e.message).join('\n');
  const on = nodeName === undefined ? '' : ` on node ${nodeName}`;
  const podsHere =
    nodeName === undefined
      ? 'kubectl get pods -A -o wide | grep -iE "calico|cilium|flannel|weave|cni|aws-node"'
      : `kubectl get pods -A -o wide --field-selector spec.nodeName=${nodeName}  # the network plugin's pod here, and its state`;
  const describeNode = nodeName === undefined ? [] : [`kubectl describe node ${nodeName}`];
  if (NO_IPS.test(text))
    return {
      cause: `the network plugin${on} has no pod IP addresses left`,
      fix: {
        summary:
          "the node's pod IP range (or the cloud's IP quota for it) is used up: free addresses (pods that ended), or give the plugin more (a larger range, more IPs per node)",
        commands: [podsHere, ...describeNode],
      },
      evidence: [],
    };
  const handler = RUNTIME_HANDLER.exec(text);
  if (handler !== null)
    return {
      cause: `the container runtime${on} has no handler ${handler[1] ?? handler[2] ?? ''} for the pod's RuntimeClass`,
      fix: {
        summary:
          "configure the handler in the node's container runtime, or schedule the pod on nodes that have it (the RuntimeClass's scheduling), or fix the RuntimeClass",
        commands: ['kubectl get runtimeclass -o wide', ...describeNode],
      },
      evidence: [],
    };
  if (CNI.test(text)) {
    const plugin = CNI_PLUGIN.exec(text)?.[1];
    return {
      cause: `the network plugin${plugin === undefined ? '' : ` (${plugin})`}${on} cannot set up the pod's network`,
      fix: {
        summary: `the network plugin${plugin === undefined ? '' : ` ${plugin}`}${on} fails: check its pod there and its logs (a crashed agent, an expired credential, a missing binary in /opt/cni/bin)`,
        commands: [podsHere, ...describeNode],
      },
      evidence: [],
    };
  }
  if (SANDBOX_IMAGE.test(text))
    return {
      cause: `node ${nodeName ?? '?'} cannot pull the pause (sandbox) image`,
      fix: {
        summary:
          "let the node pull the pause image its runtime is configured with (registry access, or the runtime's sandbox_image setting)",
        commands: describeNode,
      },
      evidence: [],
    };
  return {
    cause: `the container runtime${on} cannot create the pod's sandbox`,
    fix: {
      summary: "read the runtime's message in the events, and the node's state",
      commands: describeNode,
    },
    evidence: [],
  };
}

function mountTimeout({ events, ref }: StuckPod): Diagnosis | undefined {
  const match = firstMatch(events, MOUNT_TIMEOUT);
  if (match === undefined) return undefined;
  const unmounted = (match[1] ?? '').split(' ').filter((v) => v !== '');
  return {
    cause: `its volume${unmounted.length === 1 ? '' : 's'} ${formatList(unmounted)} ${unmounted.length === 1 ? 'is' : 'are'} not attached or mounted`,
    fix: {
      summary:
        'find why in the volume events of the pod and its claims (attach, provisioning, the CSI driver)',
      commands: [describePod(ref)],
    },
    evidence: [],
  };
}

/** The claim, among the pod's, bound to the volume the controller names (a PV name), if any. */
function claimOf({ pod, ref, snapshot }: StuckPod, volume: string): ResourceRef | undefined {
  for (const spec of pod.spec?.volumes ?? []) {
    const name = spec.persistentVolumeClaim?.claimName;
    if (name === undefined) continue;
    const claimRef = { kind: 'PersistentVolumeClaim', ...inNamespaceOf(ref), name };
    const claim: PersistentVolumeClaim | undefined = snapshot.get(claimRef);
    if (claim?.spec?.volumeName === volume || spec.name === volume) return claimRef;
  }
  return undefined;
}

/** Other pods mounting the claim, through the graph's mounts-claim edges. */
function podsUsingClaim({ graph }: StuckPod, claim: ResourceRef | undefined): string[] {
  if (claim === undefined) return [];
  return graph
    .incoming(refKey(claim))
    .filter((edge) => edge.kind === 'mounts-claim')
    .flatMap((edge) => {
      const from = graph.nodeByKey(edge.from)?.ref;
      return from?.kind === 'Pod' ? [from.name] : [];
    });
}

function firstMatch(events: readonly EventRecord[], pattern: RegExp): RegExpExecArray | undefined {
  for (const event of events) {
    const match = pattern.exec(event.message);
    if (match !== null) return match;
  }
  return undefined;
}

function inNamespaceOf(ref: ResourceRef): { readonly namespace?: string } {
  return ref.namespace === undefined ? {} : { namespace: ref.namespace };
}

function describePod(ref: ResourceRef): string {
  return `kubectl ${nsFlag(ref)}describe pod ${ref.name}`;
}
