import type { Evidence } from '../../core/finding.js';
import type { KubeObject } from '../../core/kube-object.js';
import { refOf } from '../../core/resource-ref.js';
import { deprecationOf, type DeprecatedApi } from '../deprecated-apis.js';
import { nsFlag } from '../pod-refs.js';
import { defineRule } from '../rule.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const HELM_RELEASE = 'meta.helm.sh/release-name';
/** kubectl writes last-applied with sorted keys, so the object's own apiVersion comes first. */
const LEADING_API_VERSION = /^\s*\{\s*"apiVersion"\s*:\s*"([^"]+)"/;

/** One place an old API version shows, and where. */
interface Sighting {
  readonly entry: DeprecatedApi;
  readonly evidence: Evidence;
}

/**
 * An object written through an API version Kubernetes deprecated or no longer serves (the table
 * in analyze/deprecated-apis.ts): as the manifest declares it (objects read from files), in
 * `kubectl.kubernetes.io/last-applied-configuration` (what the last `kubectl apply` sent), or in
 * metadata.managedFields (which client wrote which fields, through which version). The object
 * itself is stored and served in the current version, but the manifests, charts and clients that
 * write it fail on the release that removed the version. Warning; the fix names the replacement
 * apiVersion. Not a symptom.
 */
export const deprecatedApi = defineRule({
  id: 'deprecated-api',
  summary:
    'objects written through deprecated or removed API versions (manifest, last-applied, managedFields), with the replacement',
  reads: [],
  kinds: [
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'CronJob',
    'Ingress',
    'IngressClass',
    'NetworkPolicy',
    'PodDisruptionBudget',
    'HorizontalPodAutoscaler',
    'PriorityClass',
    'RuntimeClass',
    'StorageClass',
    'ValidatingWebhookConfiguration',
    'MutatingWebhookConfiguration',
    'APIService',
    'Role',
    'RoleBinding',
    'ClusterRole',
    'ClusterRoleBinding',
  ],
  detect(object) {
    const sightings = sightingsOf(object);
    const [worst] = [...sightings].sort((a, b) => minor(a.entry.removedIn) - minor(b.entry.removedIn));
    if (worst === undefined) return [];
    const ref = refOf(object);
    const { entry } = worst;
    const versions = [...new Set(sightings.map((s) => s.entry.apiVersion))];
    const use =
      entry.replacement === undefined
        ? (entry.note ?? 'there is no replacement')
        : `use ${entry.replacement}`;
    const release = object.metadata.annotations?.[HELM_RELEASE];
    const commands = [
      ...(entry.replacement === undefined
        ? []
        : [
            `kubectl-convert -f MANIFEST.yaml --output-version ${entry.replacement}  # the kubectl convert plugin`,
          ]),
      ...(release === undefined || entry.replacement === undefined
        ? []
        : [
            `helm mapkubeapis ${release}${ref.namespace === undefined ? '' : ` --namespace ${ref.namespace}`}`,
          ]),
      `kubectl ${nsFlag(ref)}get ${object.kind.toLowerCase()} ${ref.name} -o yaml --show-managed-fields`,
    ];
    return [
      {
        ruleId: this.id,
        severity: 'warning',
        resource: ref,
        message: `${object.kind} ${ref.name} is written as ${versions.join(', ')} ${object.kind}, which Kubernetes deprecated in ${entry.deprecatedIn} and stopped serving in ${entry.removedIn}: the manifests or clients that write it fail from ${entry.removedIn} on; ${use}`,
        evidence: sightings.map((s) => s.evidence),
        fix: {
          summary:
            entry.replacement === undefined
              ? `${entry.note ?? 'remove it'}; then delete the manifests that still declare ${entry.apiVersion} ${object.kind}`
              : `change apiVersion to ${entry.replacement} in the manifests, charts and pipelines that write it (mind the fields that changed), and apply them again${release === undefined ? '' : `; for Helm release ${release}, rewrite the stored release with the mapkubeapis plugin`}`,
          commands,
        },
      },
    ];
  },
});

function sightingsOf(object: KubeObject): Sighting[] {
  const sightings: Sighting[] = [];
  const see = (apiVersion: string | undefined, text: string): void => {
    if (apiVersion === undefined) return;
    const entry = deprecationOf(apiVersion, object.kind);
    if (entry !== undefined) sightings.push({ entry, evidence: { source: 'spec', text } });
  };
  see(object.apiVersion, `apiVersion: ${object.apiVersion ?? ''}`);
  const lastApplied = lastAppliedVersion(object.metadata.annotations?.[LAST_APPLIED]);
  see(lastApplied, `${LAST_APPLIED}: apiVersion ${lastApplied ?? ''}`);
  for (const field of object.metadata.managedFields ?? []) {
    const entry = field as {
      manager?: string;
      operation?: string;
      apiVersion?: string;
      time?: string;
    } | null;
    if (entry === null || typeof entry !== 'object') continue;
    see(
      entry.apiVersion,
      `managedFields: ${entry.manager ?? 'unknown manager'} (${entry.operation ?? '?'}${entry.time === undefined ? '' : ` at ${entry.time}`}) through ${entry.apiVersion ?? ''}`,
    );
  }
  return sightings;
}

/** The top-level apiVersion of a last-applied-configuration, without parsing all of it when kubectl wrote it. */
function lastAppliedVersion(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const leading = LEADING_API_VERSION.exec(text)?.[1];
  if (leading !== undefined) return leading;
  try {
    const parsed = JSON.parse(text) as { apiVersion?: unknown } | null;
    return typeof parsed?.apiVersion === 'string' ? parsed.apiVersion : undefined;
  } catch {
    // Not JSON: not kubectl's annotation; nothing to read.
    return undefined;
  }
}

/** `1.25` → 25, for ordering removals. */
function minor(release: string): number {
  return Number(release.split('.')[1] ?? 0);
}
