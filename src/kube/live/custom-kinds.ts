import { kindInfo, type KindInfo } from '../../core/kinds.js';
import type { KubeObject } from '../../core/kube-object.js';

/** The kind that defines the others; read only to follow custom resources, so not in the registry. */
export const CUSTOM_RESOURCE_DEFINITIONS: KindInfo = {
  kind: 'CustomResourceDefinition',
  group: 'apiextensions.k8s.io',
  version: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
  shortNames: ['crd', 'crds'],
};

interface DefinitionSpec {
  readonly group?: string;
  readonly scope?: string;
  readonly names?: {
    readonly kind?: string;
    readonly plural?: string;
    readonly shortNames?: readonly string[];
  };
  readonly versions?: readonly {
    readonly name?: string;
    readonly served?: boolean;
    readonly storage?: boolean;
  }[];
}

/** What `kindsOfDefinitions` found: the kinds to follow, and the definitions it had to pass over, with why. */
export interface CustomKinds {
  readonly kinds: KindInfo[];
  readonly skipped: { readonly name: string; readonly why: string }[];
}

/**
 * The kinds a cluster's CustomResourceDefinitions define, each at the version the API server
 * stores (served), else its first served one. A definition not yet established serves nothing;
 * one whose kind is named like a built-in kind (Knative's `Service`) is passed over, since objects
 * are known by kind, namespace and name and the two would be taken for one another. The kinds the
 * registry knows only as CRDs (Chaos Mesh's PodChaos, `optional`) are custom kinds like any other.
 */
export function kindsOfDefinitions(definitions: readonly KubeObject[]): CustomKinds {
  const kinds: KindInfo[] = [];
  const skipped: { name: string; why: string }[] = [];
  for (const definition of definitions) {
    const name = definition.metadata.name;
    const spec = (definition['spec'] ?? {}) as DefinitionSpec;
    const { kind, plural } = spec.names ?? {};
    const served = (spec.versions ?? []).filter((version) => version.served === true);
    const version = (served.find((v) => v.storage === true) ?? served[0])?.name;
    if (kind === undefined || plural === undefined || spec.group === undefined || version === undefined) {
      skipped.push({ name, why: 'serves no version' });
    } else if (!isEstablished(definition)) {
      skipped.push({ name, why: 'not established yet' });
    } else if (kindInfo(kind) !== undefined && kindInfo(kind)?.optional !== true) {
      skipped.push({ name, why: `its kind ${kind} is named like a built-in kind` });
    } else {
      kinds.push({
        kind,
        group: spec.group,
        version,
        plural,
        namespaced: spec.scope !== 'Cluster',
        shortNames: spec.names?.shortNames ?? [],
      });
    }
  }
  return { kinds, skipped };
}

function isEstablished(definition: KubeObject): boolean {
  const conditions = (
    definition['status'] as { conditions?: { type?: string; status?: string }[] } | undefined
  )?.conditions;
  return (conditions ?? []).some(
    (condition) => condition.type === 'Established' && condition.status === 'True',
  );
}
