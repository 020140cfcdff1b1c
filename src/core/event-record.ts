import { isNamespaced } from './kinds.js';
import type { KubeObject } from './kube-object.js';
import type { ResourceRef } from './resource-ref.js';

/**
 * A Kubernetes event in one shape, whichever API wrote it: core/v1 (`involvedObject`, `count`,
 * `firstTimestamp`) or events.k8s.io/v1 (`regarding`, `note`, `series`, `eventTime`), including the
 * mixed core/v1 events that newer components write with `series` and null timestamps.
 */
export interface EventRecord {
  readonly name: string;
  readonly namespace?: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly involved: ResourceRef & { readonly uid?: string; readonly fieldPath?: string };
  /** How many times it happened, from `series.count`, `count` or `deprecatedCount`; at least 1. */
  readonly count: number;
  /** ISO time of the first occurrence, when the event says. */
  readonly firstSeen?: string;
  /** ISO time of the latest occurrence, when the event says. */
  readonly lastSeen?: string;
  /** The component that reported it (`kubelet`, `default-scheduler`, …), when known. */
  readonly source?: string;
}

interface RawEvent {
  readonly type?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly note?: string;
  readonly involvedObject?: RawRef;
  readonly regarding?: RawRef;
  readonly count?: number;
  readonly deprecatedCount?: number;
  readonly series?: { readonly count?: number; readonly lastObservedTime?: string };
  readonly firstTimestamp?: string | null;
  readonly lastTimestamp?: string | null;
  readonly deprecatedFirstTimestamp?: string | null;
  readonly deprecatedLastTimestamp?: string | null;
  readonly eventTime?: string | null;
  readonly source?: { readonly component?: string };
  readonly deprecatedSource?: { readonly component?: string };
  readonly reportingComponent?: string;
  readonly reportingController?: string;
}

interface RawRef {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
  readonly fieldPath?: string;
}

/** Normalises an Event object; undefined when it names no involved object. */
export function toEventRecord(object: KubeObject): EventRecord | undefined {
  const raw = object as unknown as RawEvent;
  const target = raw.involvedObject ?? raw.regarding;
  if (target?.kind === undefined || target.name === undefined) return undefined;
  const namespace = target.namespace ?? (isNamespaced(target.kind) ? object.metadata.namespace : undefined);
  const firstSeen =
    nonEmpty(raw.firstTimestamp) ??
    nonEmpty(raw.deprecatedFirstTimestamp) ??
    nonEmpty(raw.eventTime) ??
    object.metadata.creationTimestamp;
  const lastSeen =
    nonEmpty(raw.series?.lastObservedTime) ??
    nonEmpty(raw.lastTimestamp) ??
    nonEmpty(raw.deprecatedLastTimestamp) ??
    firstSeen;
  const source =
    nonEmpty(raw.source?.component) ??
    nonEmpty(raw.deprecatedSource?.component) ??
    nonEmpty(raw.reportingComponent) ??
    nonEmpty(raw.reportingController);
  return {
    name: object.metadata.name,
    ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
    type: raw.type ?? 'Normal',
    reason: raw.reason ?? '',
    message: (raw.message ?? raw.note ?? '').trim(),
    involved: {
      kind: target.kind,
      ...(namespace === undefined ? {} : { namespace }),
      name: target.name,
      ...(target.uid === undefined ? {} : { uid: target.uid }),
      ...(target.fieldPath === undefined ? {} : { fieldPath: target.fieldPath }),
    },
    count: Math.max(1, raw.series?.count ?? raw.count ?? raw.deprecatedCount ?? 1),
    ...(firstSeen === undefined ? {} : { firstSeen }),
    ...(lastSeen === undefined ? {} : { lastSeen }),
    ...(source === undefined ? {} : { source }),
  };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}
