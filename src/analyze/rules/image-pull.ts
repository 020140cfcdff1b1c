import type { Evidence, Finding } from '../../core/finding.js';
import type { Pod } from '../../core/kube-types.js';
import { refKey, refOf, type ResourceRef } from '../../core/resource-ref.js';
import { CONTROLLER_KINDS } from '../../core/kinds.js';
import { topOwner } from '../../events/top-owner.js';
import { registryOf, repositoryOf } from '../image-reference.js';
import { nodeState, referenceStateText, type ReferenceState } from '../reference-state.js';
import { containerStatuses, nsFlag } from '../pod-refs.js';
import { defineRule, type AnalyzerContext } from '../rule.js';

const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);

/** What a fix command needs to know about the failing pull. */
interface PullContext {
  /** `-n shop ` (see nsFlag). */
  readonly ns: string;
  /** What to change: `deployment/api`, or `pod/p` for a bare pod. */
  readonly target: string;
  /** The target is a rollout kubectl can undo. */
  readonly undoable: boolean;
  readonly container: string;
  readonly image: string;
  readonly registry: string;
  readonly serviceAccount: string;
}

/** A pull Secret for the registry, attached to the pod's ServiceAccount so every pod gets it. */
const pullCredentials = (c: PullContext): string[] => [
  `kubectl ${c.ns}create secret docker-registry regcred --docker-server=${c.registry} --docker-username=USER --docker-password=TOKEN`,
  `kubectl ${c.ns}patch serviceaccount ${c.serviceAccount} -p '{"imagePullSecrets":[{"name":"regcred"}]}'`,
];

/** Why a pull failed, from the runtime's words. Order matters: a 429 body may also say "denied". */
const CAUSES: readonly {
  readonly cause: string;
  readonly pattern: RegExp;
  readonly fix: string;
  readonly commands: (c: PullContext) => string[];
}[] = [
  {
    cause: 'rate-limited',
    pattern: /429|too many requests|toomanyrequests|rate limit/i,
    fix: 'authenticate to the registry (a pull Secret) or use a mirror; then wait and retry',
    commands: pullCredentials,
  },
  {
    cause: 'TLS',
    pattern: /x509|certificate|tls:/i,
    fix: "trust the registry's CA on the nodes, or fix the registry's certificate",
    commands: (c) => [
      `openssl s_client -connect ${c.registry.includes(':') ? c.registry : `${c.registry}:443`} -servername ${c.registry.split(':')[0] ?? c.registry} </dev/null  # from a node: the certificate the registry presents`,
    ],
  },
  {
    cause: 'DNS',
    pattern: /no such host|server misbehaving|lookup \S+ on/i,
    fix: 'fix the registry host name, or DNS on the nodes',
    commands: (c) => [`nslookup ${c.registry.split(':')[0] ?? c.registry}  # from a node`],
  },
  {
    cause: 'invalid name',
    pattern: /invalid reference format|InvalidImageName|couldn't parse image/i,
    fix: 'fix the image reference',
    commands: (c) => [`kubectl ${c.ns}set image ${c.target} ${c.container}=${repositoryOf(c.image)}:TAG`],
  },
  {
    cause: 'not found',
    pattern: /manifest unknown|not found|notfound/i,
    fix: 'fix the tag, or roll back to one that exists',
    commands: (c) => [
      ...(c.undoable ? [`kubectl ${c.ns}rollout undo ${c.target}`] : []),
      `kubectl ${c.ns}set image ${c.target} ${c.container}=${repositoryOf(c.image)}:EXISTING-TAG`,
    ],
  },
  {
    cause: 'unauthorized',
    pattern: /unauthorized|authentication required|insufficient_scope|access denied|denied|forbidden/i,
    fix: 'give the pod pull credentials: restore or fix its imagePullSecret',
    commands: pullCredentials,
  },
  {
    cause: 'timeout',
    pattern: /i\/o timeout|deadline exceeded|timed out|timeout/i,
    fix: 'check the network path from the nodes to the registry',
    commands: (c) => [`curl -sv https://${c.registry}/v2/ -o /dev/null  # from a node`],
  },
];

/**
 * ErrImagePull / ImagePullBackOff / InvalidImageName, classified from the runtime's message and
 * the kubelet's Failed events: not found, unauthorized (naming the pull Secrets the pod relies on,
 * and which are missing), rate-limited, TLS, DNS, timeout, invalid name.
 */
export const imagePull = defineRule({
  id: 'image-pull',
  summary:
    'ErrImagePull / ImagePullBackOff classified: not found, unauthorized (naming the pull Secrets, and which are missing), rate-limited, TLS, DNS, timeout, invalid name',
  reads: ['Event', ...CONTROLLER_KINDS],
  symptom: true,
  kinds: ['Pod'],
  fixInTemplate: true,
  detect(pod, context) {
    const ref = refOf(pod);
    const findings: Finding[] = [];
    const pullEvents = context.snapshot
      .eventsAbout(ref)
      .filter((event) => event.reason === 'Failed' && /pull|image/i.test(event.message));
    for (const status of containerStatuses(pod)) {
      const waiting = status.state?.waiting;
      if (waiting?.reason === undefined || !PULL_FAILURES.has(waiting.reason)) continue;
      const image = imageOf(pod, status.name);
      const texts = [waiting.message ?? '', ...pullEvents.map((event) => event.message)];
      const match =
        CAUSES.find(({ pattern }) => texts.some((text) => pattern.test(text))) ??
        (waiting.reason === 'InvalidImageName' ? CAUSES[3] : undefined);
      const evidence: Evidence[] = [
        {
          source: 'status',
          text: `container ${status.name}: ${waiting.reason}${waiting.message === undefined ? '' : `: ${waiting.message}`}`,
        },
        ...pullEvents
          .filter((event) => /Failed to pull image/.test(event.message))
          .map((event) => ({ source: 'event' as const, text: `${event.message} (x${String(event.count)})` })),
      ];
      const pullSecrets = pullSecretsOf(ref, context);
      if (match?.cause === 'unauthorized' || match === undefined) {
        for (const secret of pullSecrets)
          evidence.push({
            source: 'graph',
            text: `pull Secret ${secret.ref.name} (${secret.via}): ${referenceStateText(secret.ref, secret.state)}`,
          });
        if (pullSecrets.length === 0)
          evidence.push({
            source: 'spec',
            text: 'the pod has no imagePullSecrets, itself or through its ServiceAccount',
          });
      }
      const registry = registryOf(image);
      const owner = topOwner(ref, context.snapshot);
      findings.push({
        ruleId: this.id,
        severity: 'critical',
        resource: ref,
        message: `image ${image} cannot be pulled from ${registry}: ${match?.cause ?? 'unknown reason'}`,
        evidence,
        fix: {
          summary: match?.fix ?? 'read the Failed events for the runtime’s reason',
          commands: [
            ...(match?.commands({
              ns: nsFlag(ref),
              target:
                owner.kind === 'Pod' ? `pod/${owner.name}` : `${owner.kind.toLowerCase()}/${owner.name}`,
              undoable:
                owner.kind === 'Deployment' || owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet',
              container: status.name,
              image,
              registry,
              serviceAccount: pod.spec?.serviceAccountName ?? 'default',
            }) ?? []),
            `kubectl ${nsFlag(ref)}describe pod ${pod.metadata.name}`,
          ],
        },
      });
    }
    return findings;
  },
});

function imageOf(pod: Pod, container: string): string {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return containers.find((c) => c.name === container)?.image ?? '(unknown image)';
}

function pullSecretsOf(
  ref: ReturnType<typeof refOf>,
  context: AnalyzerContext,
): { ref: ResourceRef; via: string; state: ReferenceState }[] {
  return context.graph
    .outgoing(refKey(ref))
    .filter((edge) => edge.kind === 'pulls-with')
    .flatMap((edge) => {
      const node = context.graph.nodeByKey(edge.to);
      if (node === undefined) return [];
      // Present, missing, or not read (the read-only user and the agent read no Secrets): never
      // present for want of a missing node.
      return [{ ref: node.ref, via: edge.detail?.via ?? 'imagePullSecrets', state: nodeState(node) }];
    });
}
