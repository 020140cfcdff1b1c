import { formatAge } from '../../core/duration.js';
import type { Evidence, Finding, Fix, Severity } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../core/kube-types.js';
import { selectorMatches } from '../../core/label-selector.js';
import { formatBytes, parseBytes } from '../../core/resource-quantity.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { Snapshot } from '../../core/snapshot.js';
import { timeMs } from '../../core/time.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { eventText } from '../container-spec.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

/** How long an external provisioner may take before the wait is worth a look. */
const PROVISION_GRACE_MS = 5 * 60_000;
const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];
/** Set by the scheduler on a WaitForFirstConsumer claim once it has picked the consumer's node. */
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** What the rule knows of one Pending claim while deciding why it waits. */
interface Claim {
  readonly claim: PersistentVolumeClaim;
  readonly ref: ResourceRef;
  readonly snapshot: Snapshot;
  readonly graph: DependencyGraph;
  readonly now: Date;
  /** Pods (and workloads without pods) that mount it, by ref. */
  readonly consumers: readonly ResourceRef[];
  readonly base: Pick<Finding, 'ruleId' | 'resource'>;
  /** critical when something mounts it, warning otherwise. */
  readonly severity: Severity;
  readonly usedBy: readonly Evidence[];
}

/**
 * A PersistentVolumeClaim stuck Pending, decoded: it names no StorageClass and the cluster has no
 * default one (and no hand-made PersistentVolume fits it); it binds statically (storageClassName "",
 * or a class with no provisioner) and no Available PersistentVolume has the capacity, access modes,
 * volume mode and labels it asks for (each candidate's shortfall named); it names a volume in
 * spec.volumeName that does not exist or is another claim's; the provisioner reports
 * ProvisioningFailed (quoted); or an external provisioner has not answered in five minutes (it is
 * probably not installed or not running). Critical when a pod mounts the claim, warning otherwise.
 * A WaitForFirstConsumer claim that no pod uses yet, or whose pod is not scheduled yet, is info:
 * it is waiting as designed. A StorageClass that does not exist is missing-dependency's finding,
 * not repeated here.
 *
 * A symptom: a claim bound by name to a PersistentVolume that is Failed or Released waits on that
 * volume (`bound-to`), and the ranking puts it under the volume's finding.
 */
export const pvcPending = defineRule({
  id: 'pvc-pending',
  summary:
    'a claim stuck Pending, decoded: no default StorageClass, no PersistentVolume fits (each shortfall named), ProvisioningFailed, a provisioner that never answers',
  reads: ['Event', 'PersistentVolume', 'StorageClass'],
  kinds: ['PersistentVolumeClaim'],
  symptom: true,
  detect(claim, { snapshot, graph, now }) {
    if (claim.status?.phase !== 'Pending' || claim.metadata.deletionTimestamp !== undefined) return [];
    const ref = refOf(claim);
    const consumers = graph
      .incoming(refKey(ref))
      .filter((edge) => edge.kind === 'mounts-claim')
      .flatMap((edge) => {
        const node = graph.nodeByKey(edge.from);
        return node === undefined ? [] : [node.ref];
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const input: Claim = {
      claim,
      ref,
      snapshot,
      graph,
      now,
      consumers,
      base: { ruleId: this.id, resource: ref },
      severity: consumers.length > 0 ? 'critical' : 'warning',
      usedBy:
        consumers.length === 0
          ? []
          : [
              {
                source: 'graph',
                text: `mounted by ${formatList(consumers.map((c) => `${c.kind === 'Pod' ? 'pod' : c.kind} ${c.name}`))}`,
              },
            ],
    };
    const volumeName = claim.spec?.volumeName;
    const found =
      volumeName !== undefined && volumeName !== '' ? namedVolume(input, volumeName) : unnamedVolume(input);
    return found === undefined ? [] : [found];
  },
});

/** A claim that names its PersistentVolume (spec.volumeName): is that volume there, and free? */
function namedVolume(input: Claim, volumeName: string): Finding | undefined {
  const { claim, ref, snapshot, graph, base, severity, usedBy } = input;
  const pvRef: ResourceRef = { kind: 'PersistentVolume', name: volumeName };
  const node = graph.node(pvRef);
  const events = snapshot
    .eventsAbout(ref)
    .filter((e) => e.type === 'Warning' && (e.reason === 'VolumeMismatch' || e.reason === 'FailedBinding'))
    .map((e): Evidence => ({ source: 'event', text: eventText(e) }));
  const fix: Fix = {
    summary: `create PersistentVolume ${volumeName} to fit the claim, or recreate the claim without spec.volumeName (or naming a free volume)`,
    commands: [
      'kubectl get pv',
      `kubectl ${nsFlag(ref)}get pvc ${ref.name} -o yaml > claim.yaml  # change spec.volumeName, then: kubectl replace --force -f claim.yaml`,
    ],
  };
  if (node?.presence === 'missing')
    return {
      ...base,
      severity,
      message: `PersistentVolumeClaim ${ref.name} asks for PersistentVolume ${volumeName}, which does not exist: it stays Pending`,
      evidence: [
        { source: 'spec', text: `volumeName: ${volumeName}` },
        { source: 'graph', resource: pvRef, text: `PersistentVolume ${volumeName} not found` },
        ...events,
        ...usedBy,
      ],
      fix,
    };
  const pv: PersistentVolume | undefined = node?.object;
  if (pv === undefined) return undefined;
  const owner = pv.spec?.claimRef;
  const held = heldBy(pv, claim);
  if (held !== undefined)
    return {
      ...base,
      severity,
      message: `PersistentVolumeClaim ${ref.name} asks for PersistentVolume ${volumeName}, which ${held}: it stays Pending`,
      evidence: [
        { source: 'spec', text: `volumeName: ${volumeName}` },
        {
          source: 'spec',
          resource: pvRef,
          text: `claimRef: ${owner?.namespace ?? ''}/${owner?.name ?? ''}${owner?.uid === undefined ? '' : ` (uid ${owner.uid})`}, phase ${pv.status?.phase ?? 'unknown'}`,
        },
        ...events,
        ...usedBy,
      ],
      fix:
        pv.status?.phase === 'Released'
          ? {
              summary: `PersistentVolume ${volumeName} is Released: once its data is safe, clear its claimRef so this claim can bind it`,
              commands: [
                `kubectl patch pv ${volumeName} --type=json -p '[{"op":"remove","path":"/spec/claimRef"}]'`,
              ],
            }
          : fix,
    };
  const misfit = mismatch(pv, claim, classOf(claim));
  if (misfit === undefined) return undefined;
  return {
    ...base,
    severity,
    message: `PersistentVolumeClaim ${ref.name} asks for PersistentVolume ${volumeName}, which does not fit it (${misfit}): it stays Pending`,
    evidence: [{ source: 'spec', text: `volumeName: ${volumeName}` }, ...events, ...usedBy],
    fix,
  };
}

/** A claim waiting for any volume: by its StorageClass, or by hand-made volumes. */
function unnamedVolume(input: Claim): Finding | undefined {
  const { claim, snapshot, graph } = input;
  const className = claim.spec?.storageClassName;
  if (className === undefined) {
    if (!snapshot.coverage.covers('StorageClass', undefined)) return undefined;
    // With a default class, the PV controller assigns it to the claim (1.28+): only a wait.
    if (snapshot.ofKind('StorageClass').some(isDefaultClass)) return undefined;
    return staticBinding(input, '', 'no-class');
  }
  if (className === '') return staticBinding(input, '', 'static');
  const classRef: ResourceRef = { kind: 'StorageClass', name: className };
  const node = graph.node(classRef);
  // A StorageClass that does not exist is missing-dependency's finding, on the class.
  if (node?.presence === 'missing') return undefined;
  const storageClass: StorageClass | undefined = node?.object;
  return (
    provisioningFailed(input, className, storageClass) ??
    (storageClass?.provisioner === NO_PROVISIONER
      ? staticBinding(input, className, 'no-provisioner')
      : undefined) ??
    (storageClass?.volumeBindingMode === 'WaitForFirstConsumer'
      ? waitingForConsumer(input, className, storageClass)
      : undefined) ??
    (storageClass === undefined ? undefined : provisionerSilent(input, className, storageClass))
  );
}

/**
 * A claim only a hand-made PersistentVolume can satisfy: `static` (storageClassName ""),
 * `no-class` (none named and no default class), `no-provisioner` (a class whose provisioner is
 * kubernetes.io/no-provisioner, as for local volumes). Reported when no Available volume fits.
 */
function staticBinding(
  input: Claim,
  className: string,
  why: 'static' | 'no-class' | 'no-provisioner',
): Finding | undefined {
  const { claim, ref, snapshot, base, severity, usedBy } = input;
  if (!snapshot.coverage.covers('PersistentVolume', undefined)) return undefined;
  const candidates = snapshot
    .ofKind('PersistentVolume')
    .map((object) => object)
    .filter((pv) => (pv.spec?.storageClassName ?? '') === className);
  const misfits = candidates.map((pv) => ({ pv, misfit: mismatch(pv, claim, className) }));
  if (misfits.some(({ misfit }) => misfit === undefined)) return undefined;
  const wants = wantsText(claim);
  const classText = className === '' ? 'without a StorageClass' : `of StorageClass ${className}`;
  const evidence: Evidence[] = [];
  if (why === 'no-class')
    evidence.push(
      { source: 'spec', text: 'storageClassName: not set' },
      {
        source: 'graph',
        text: `no StorageClass is marked default (storageclass.kubernetes.io/is-default-class=true)${classesText(snapshot)}`,
      },
    );
  else if (why === 'static')
    evidence.push({ source: 'spec', text: 'storageClassName: "" (bind to an existing volume only)' });
  else
    evidence.push({
      source: 'spec',
      resource: { kind: 'StorageClass', name: className },
      text: `StorageClass ${className}: provisioner ${NO_PROVISIONER} (volumes are made by hand)`,
    });
  evidence.push(
    candidates.length === 0
      ? { source: 'graph', text: `no PersistentVolume ${classText}` }
      : {
          source: 'graph',
          text: `PersistentVolumes ${classText}: ${formatList(misfits.map(({ pv, misfit }) => `${pv.metadata.name} (${misfit ?? 'fits'})`))}`,
        },
  );
  for (const event of snapshot.eventsAbout(ref).filter((e) => e.reason === 'FailedBinding'))
    evidence.push({ source: 'event', text: eventText(event) });
  evidence.push(...usedBy);
  const none = candidates.length === 0 ? 'there is none' : `none of the ${String(candidates.length)} fits`;
  if (why === 'no-class') {
    const classes = snapshot.ofKind('StorageClass');
    const [only] = classes;
    return {
      ...base,
      severity,
      message: `PersistentVolumeClaim ${ref.name} names no StorageClass and the cluster has no default one, so it can only bind to a PersistentVolume made by hand (${wants}), and ${none}`,
      evidence,
      fix: {
        summary:
          'mark a StorageClass as the default (the claim then gets it and is provisioned), or create a PersistentVolume that fits',
        commands: [
          'kubectl get storageclass',
          `kubectl patch storageclass ${classes.length === 1 && only !== undefined ? only.metadata.name : 'NAME'} -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'`,
        ],
      },
    };
  }
  return {
    ...base,
    severity,
    message: `PersistentVolumeClaim ${ref.name} binds only to a PersistentVolume made by hand ${classText} (${wants}), and ${none}: it stays Pending`,
    evidence,
    fix: {
      summary:
        why === 'static'
          ? `create a PersistentVolume without a StorageClass that fits (${wants}), or recreate the claim with a StorageClass that provisions`
          : `create a PersistentVolume of StorageClass ${className} that fits (${wants}), on a node the pod can run on`,
      commands: ['kubectl get pv'],
    },
  };
}

/** The provisioner said why it cannot make the volume: quote it. */
function provisioningFailed(
  input: Claim,
  className: string,
  storageClass: StorageClass | undefined,
): Finding | undefined {
  const { ref, snapshot, base, severity, usedBy } = input;
  const events = snapshot
    .eventsAbout(ref)
    .filter((e) => e.type === 'Warning' && e.reason === 'ProvisioningFailed');
  const last = events.at(-1);
  if (last === undefined) return undefined;
  const provisioner = storageClass?.provisioner;
  const count = events.reduce((sum, e) => sum + e.count, 0);
  return {
    ...base,
    severity,
    message: `PersistentVolumeClaim ${ref.name} cannot be provisioned: StorageClass ${className}${provisioner === undefined ? '' : ` (${provisioner})`} failed ${String(count)} time${count === 1 ? '' : 's'}: ${firstLine(last.message)}`,
    evidence: [
      { source: 'spec', text: `storageClassName: ${className}` },
      ...events.map((e): Evidence => ({ source: 'event', text: eventText(e) })),
      ...usedBy,
    ],
    fix: {
      summary: `fix what the provisioner reports (quoted above: permissions, quota, parameters of StorageClass ${className}); it retries, and the claim binds once a volume is made`,
      commands: [
        `kubectl ${nsFlag(ref)}describe pvc ${ref.name}`,
        `kubectl get storageclass ${className} -o yaml`,
      ],
    },
  };
}

/** A WaitForFirstConsumer claim waits, by design, for a pod that uses it to be scheduled. */
function waitingForConsumer(
  input: Claim,
  className: string,
  storageClass: StorageClass,
): Finding | undefined {
  const { claim, ref, snapshot, graph, consumers, base } = input;
  // The scheduler picked a node: provisioning is under way, and a silent provisioner is the question.
  if (claim.metadata.annotations?.[SELECTED_NODE] !== undefined)
    return provisionerSilent(input, className, storageClass);
  const mode: Evidence = {
    source: 'spec',
    resource: { kind: 'StorageClass', name: className },
    text: `StorageClass ${className}: volumeBindingMode WaitForFirstConsumer`,
  };
  const waitEvents = snapshot
    .eventsAbout(ref)
    .filter((e) => e.reason === 'WaitForFirstConsumer' || e.reason === 'WaitForPodScheduled')
    .slice(-1)
    .map((e): Evidence => ({ source: 'event', text: eventText(e) }));
  const pods = consumers.filter((c) => c.kind === 'Pod');
  const unscheduled = pods.filter((pod) => {
    const object: Pod | undefined = graph.node(pod)?.object;
    return object !== undefined && (object.spec?.nodeName ?? '') === '';
  });
  if (pods.length === 0)
    return {
      ...base,
      severity: 'info',
      message: `PersistentVolumeClaim ${ref.name} waits for a pod to use it (StorageClass ${className} binds WaitForFirstConsumer), and no pod mounts it yet`,
      evidence: [mode, ...waitEvents, ...input.usedBy],
      fix: {
        summary:
          'nothing to do: it is provisioned when a pod that mounts it is scheduled (delete it if nothing will)',
        commands: [`kubectl ${nsFlag(ref)}get pvc ${ref.name}`],
      },
    };
  if (unscheduled.length === 0) return provisionerSilent(input, className, storageClass);
  const names = formatList(unscheduled.map((pod) => pod.name));
  return {
    ...base,
    severity: 'info',
    message: `PersistentVolumeClaim ${ref.name} waits for pod ${names} to be scheduled (StorageClass ${className} binds WaitForFirstConsumer): why the pod is Pending is the problem`,
    evidence: [mode, ...waitEvents, ...input.usedBy],
    fix: {
      summary: 'see why the pod is not scheduled; the claim is provisioned once it is',
      commands: unscheduled.map((pod) => `kubectl ${nsFlag(pod)}describe pod ${pod.name}`),
    },
  };
}

/** An external provisioner that has not made the volume in five minutes is likely not running. */
function provisionerSilent(input: Claim, className: string, storageClass: StorageClass): Finding | undefined {
  const { claim, ref, snapshot, now, base, severity, usedBy } = input;
  const provisioner = storageClass.provisioner;
  if (provisioner === undefined || provisioner === NO_PROVISIONER) return undefined;
  const created = timeMs(claim.metadata.creationTimestamp);
  if (created === undefined || now.getTime() - created <= PROVISION_GRACE_MS) return undefined;
  const waiting = snapshot
    .eventsAbout(ref)
    .filter((e) => e.reason === 'ExternalProvisioning' || e.reason === 'Provisioning')
    .map((e): Evidence => ({ source: 'event', text: eventText(e) }));
  const age = formatAge(now.getTime() - created);
  return {
    ...base,
    severity,
    message: `PersistentVolumeClaim ${ref.name} has waited ${age} for provisioner ${provisioner} (StorageClass ${className}) to create its volume: the provisioner is probably not installed or not running`,
    evidence: [
      { source: 'status', text: `Pending since ${claim.metadata.creationTimestamp ?? '?'} (${age})` },
      {
        source: 'spec',
        resource: { kind: 'StorageClass', name: className },
        text: `StorageClass ${className}: provisioner ${provisioner}`,
      },
      ...waiting,
      ...usedBy,
    ],
    fix: {
      summary: `install or restart the provisioner for ${provisioner} (its controller pods, and its CSIDriver registration); the claim binds once it makes the volume`,
      commands: [
        `kubectl get csidriver ${provisioner}`,
        `kubectl get pods -A | grep -i ${provisionerShortName(provisioner)}`,
      ],
    },
  };
}

/** Why a PersistentVolume cannot bind a claim, as the PV controller checks it; undefined when it can. */
function mismatch(pv: PersistentVolume, claim: PersistentVolumeClaim, className: string): string | undefined {
  const held = heldBy(pv, claim);
  if (held !== undefined) return held;
  const mine = pv.spec?.claimRef?.name !== undefined;
  const phase = pv.status?.phase;
  if (phase !== undefined && phase !== 'Available' && !mine) return phase;
  if ((pv.spec?.storageClassName ?? '') !== className)
    return `StorageClass ${pv.spec?.storageClassName ?? '(none)'}`;
  const wanted = claim.spec?.resources?.requests?.storage;
  const has = pv.spec?.capacity?.storage;
  if (wanted !== undefined && (has === undefined || parseBytes(has) < parseBytes(wanted)))
    return `${has ?? 'no capacity'} < ${formatBytes(parseBytes(wanted))}`;
  const modes = pv.spec?.accessModes ?? [];
  const missingModes = (claim.spec?.accessModes ?? []).filter((mode) => !modes.includes(mode));
  if (missingModes.length > 0) return `no ${missingModes.join(', ')}`;
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem'))
    return `volumeMode ${pv.spec?.volumeMode ?? 'Filesystem'}`;
  const selector = claim.spec?.selector;
  if (selector !== undefined && !selectorMatches(selector, pv.metadata.labels))
    return 'labels do not match the selector';
  return undefined;
}

/**
 * Whom a PersistentVolume is held for when not this claim: another claim, or a deleted claim of
 * the same name (its claimRef uid differs: the volume stays Released until the claimRef is cleared).
 */
function heldBy(pv: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  const owner = pv.spec?.claimRef;
  if (owner?.name === undefined) return undefined;
  if (owner.name !== claim.metadata.name || owner.namespace !== claim.metadata.namespace)
    return `is bound to claim ${owner.namespace ?? ''}/${owner.name}`;
  const uid = claim.metadata.uid;
  return owner.uid !== undefined && uid !== undefined && owner.uid !== uid
    ? `is still held for a deleted claim of the same name (phase ${pv.status?.phase ?? 'unknown'})`
    : undefined;
}

/** The claim's class for matching: "" when it names none. */
function classOf(claim: PersistentVolumeClaim): string {
  return claim.spec?.storageClassName ?? '';
}

/** `5Gi, ReadWriteMany`: what the claim asks a volume for. */
function wantsText(claim: PersistentVolumeClaim): string {
  const storage = claim.spec?.resources?.requests?.storage;
  return [storage, ...(claim.spec?.accessModes ?? [])].filter((part) => part !== undefined).join(', ');
}

function isDefaultClass(object: {
  readonly metadata: { readonly annotations?: Readonly<Record<string, string>> };
}): boolean {
  return DEFAULT_CLASS_ANNOTATIONS.some((key) => object.metadata.annotations?.[key] === 'true');
}

/** `; classes: gp2, gp3`, when there are some, for the no-default evidence. */
function classesText(snapshot: Snapshot): string {
  const names = snapshot.ofKind('StorageClass').map((sc) => sc.metadata.name);
  return names.length === 0 ? '; there is no StorageClass at all' : `; classes: ${formatList(names)}`;
}

/** `ebs` for `ebs.csi.aws.com`, `local-path` for `rancher.io/local-path`: a word to find its pods by. */
function provisionerShortName(provisioner: string): string {
  const last = provisioner.split('/').at(-1) ?? provisioner;
  return last.split('.')[0] ?? last;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
