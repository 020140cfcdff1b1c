import type { EventRecord } from '../core/event-record.js';
import type { Container, Pod } from '../core/kube-types.js';
import type { ResourceRef } from '../core/resource-ref.js';
import { nsFlag } from './pod-refs.js';

/** The spec of one of the pod's containers, init or app, by name. */
export function containerSpec(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
}

const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/** Words as a person would type them in a shell: `sh -c 'a && b'`. */
export function shellWords(words: readonly string[]): string {
  return words.map((word) => (PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** What a container runs: its command and args, or the image's entrypoint with them. */
export function runsText(container: Container): string {
  const command = container.command ?? [];
  const args = container.args ?? [];
  if (command.length > 0) return shellWords([...command, ...args]);
  return args.length > 0 ? `the image's entrypoint with ${shellWords(args)}` : "the image's entrypoint";
}

/**
 * A command that changes a field of a pod's containers where it lives: the controller's template
 * (`kubectl edit deployment/api`), or, for a bare pod whose containers cannot be edited, a copy
 * to change and recreate.
 */
export function editCommand(pod: ResourceRef, owner: ResourceRef, what: string): string {
  return owner.kind === 'Pod'
    ? `kubectl ${nsFlag(pod)}get pod ${owner.name} -o yaml > pod.yaml  # change ${what}, then: kubectl replace --force -f pod.yaml`
    : `kubectl ${nsFlag(pod)}edit ${owner.kind.toLowerCase()}/${owner.name}  # ${what}`;
}

/** Kubelet events name the container in fieldPath (`spec.containers{web}`); those without one concern the pod. */
export function aboutContainer(event: EventRecord, container: string): boolean {
  const path = event.involved.fieldPath;
  return path === undefined || path.endsWith(`{${container}}`);
}

/** `FailedMount (x7, last 2026-11-20T03:10:00Z): message`: an event as evidence. */
export function eventText(event: EventRecord): string {
  return `${event.reason} (x${String(event.count)}${event.lastSeen === undefined ? '' : `, last ${event.lastSeen}`}): ${event.message}`;
}
