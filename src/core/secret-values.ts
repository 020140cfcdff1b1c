import type { KubeObject } from './kube-object.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A Secret with every value removed: keys stay (the graph needs them to tell a missing key), each
 * value becomes the empty string, and the last-applied annotation (which repeats the values) goes.
 * Every source passes Secrets through this before anything else sees them, so no later layer can
 * print, store or send a secret value, whatever it does.
 */
export function withoutSecretValues(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const { data, stringData, binaryData, ...rest } = object as KubeObject & {
    data?: Record<string, unknown> | null;
    stringData?: Record<string, unknown> | null;
    binaryData?: Record<string, unknown> | null;
  };
  const blank = (map: Record<string, unknown> | null | undefined): Record<string, string> | undefined =>
    map === null || map === undefined
      ? undefined
      : Object.fromEntries(Object.keys(map).map((key) => [key, '']));
  const annotations = Object.fromEntries(
    Object.entries(object.metadata.annotations ?? {}).filter(([key]) => key !== LAST_APPLIED),
  );
  const blankData = blank(data);
  const blankStringData = blank(stringData);
  const blankBinaryData = blank(binaryData);
  return {
    ...rest,
    metadata: { ...object.metadata, annotations },
    ...(blankData === undefined ? {} : { data: blankData }),
    ...(blankStringData === undefined ? {} : { stringData: blankStringData }),
    ...(blankBinaryData === undefined ? {} : { binaryData: blankBinaryData }),
  };
}
