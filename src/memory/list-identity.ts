/**
 * Which field names an item of a list, by the list's own field name. Diffs walk keyed lists by
 * these identities (so a reorder or an insert moves no path) and the actor lookup resolves the same
 * identities against managedFields. Most are Kubernetes' own merge keys; where an item has none
 * (tolerations) the identity is the pair that makes it distinct in practice.
 */
type Identity = (item: Readonly<Record<string, unknown>>) => string | undefined;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const byField =
  (field: string): Identity =>
  (item) =>
    text(item[field]);

const byName = byField('name');

/** A port by name, or when unnamed by number and protocol (`8080/TCP`), which is what must be unique. */
const port: Identity = (item) => {
  const named = text(item.name);
  if (named !== undefined) return named;
  const number = item.containerPort ?? item.port;
  if (typeof number !== 'number') return undefined;
  return `${String(number)}/${text(item.protocol) ?? 'TCP'}`;
};

/** A taint by key and effect (`node.kubernetes.io/unreachable:NoExecute`): a node has one of each pair. */
const taint: Identity = (item) => {
  const key = text(item.key);
  const effect = text(item.effect);
  return key === undefined || effect === undefined ? undefined : `${key}:${effect}`;
};

/** A toleration by key and effect, `*` for either left open (an operator `Exists` with no key tolerates all). */
const toleration: Identity = (item) => `${text(item.key) ?? '*'}:${text(item.effect) ?? '*'}`;

const IDENTITIES = new Map<string, Identity>([
  ['containers', byName],
  ['initContainers', byName],
  ['ephemeralContainers', byName],
  ['containerStatuses', byName],
  ['initContainerStatuses', byName],
  ['ephemeralContainerStatuses', byName],
  ['env', byName],
  ['volumes', byName],
  ['imagePullSecrets', byName],
  ['ports', port],
  // A volume's name is not unique among mounts (one ConfigMap mounted at two subPaths); the mount path is.
  ['volumeMounts', byField('mountPath')],
  ['volumeDevices', byField('devicePath')],
  ['conditions', byField('type')],
  ['taints', taint],
  ['tolerations', toleration],
  ['ownerReferences', byField('uid')],
]);

/**
 * The identity of `item` in the list held by field `listField` (`containers` → the container's
 * name), or undefined when the list is not keyed or the item lacks what would name it.
 */
export function itemIdentity(listField: string, item: unknown): string | undefined {
  const identity = IDENTITIES.get(listField);
  if (identity === undefined || typeof item !== 'object' || item === null || Array.isArray(item))
    return undefined;
  return identity(item as Readonly<Record<string, unknown>>);
}

/** True when items of the list held by `listField` are named by identity rather than position. */
export function isKeyedList(listField: string): boolean {
  return IDENTITIES.has(listField);
}
