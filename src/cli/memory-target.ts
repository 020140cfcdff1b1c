import { parseResourceArg } from '../core/resource-arg.js';
import type { ResourceRef } from '../core/resource-ref.js';

/**
 * The object a memory command asks about: TYPE/NAME (or TYPE NAME) in `-n`'s namespace. With no
 * cluster to ask, a namespaced object without `-n` is looked for in `default`, as kubectl would.
 */
export function memoryTarget(words: readonly string[], namespace: string | undefined): ResourceRef {
  const { kind, name } = parseResourceArg(words);
  return kind.namespaced
    ? { kind: kind.kind, namespace: namespace ?? 'default', name }
    : { kind: kind.kind, name };
}
