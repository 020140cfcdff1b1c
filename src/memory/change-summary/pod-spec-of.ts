import type { KubeObject } from '../../core/kube-object.js';
import type { PodSpec } from '../../core/kube-types.js';
import { isRecord } from './is-record.js';
import { WORKLOAD_KINDS } from './workload-kinds.js';

/** Where the pod spec sits in each kind that has one. */
export const POD_SPEC_AT: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['Pod', ['spec']],
  ...WORKLOAD_KINDS.map((kind): [string, readonly string[]] => [kind, ['spec', 'template', 'spec']]),
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
]);

/** The pod spec at `at` in an object, when it has one there. */
export function podSpecOf(
  object: KubeObject | undefined,
  at: readonly string[] | undefined,
): PodSpec | undefined {
  if (object === undefined || at === undefined) return undefined;
  let value: unknown = object;
  for (const key of at) value = isRecord(value) ? value[key] : undefined;
  // Read defensively below: every PodSpec field is optional.
  return isRecord(value) ? value : undefined;
}
