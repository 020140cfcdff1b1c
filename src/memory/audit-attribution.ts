import { parseFieldPath, type Change, type ChangeActor } from '../core/change.js';
import { kindInfo } from '../core/kinds.js';
import { timeMs } from '../core/time.js';

/** The verbs that change objects; reads and watches are left out of the index. */
export const MUTATING_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;
export type MutatingVerb = (typeof MUTATING_VERBS)[number];

/** Subresources whose `create` changes no object: a shell, a stream, a token. */
const NON_MUTATING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'log', 'token']);

/** One successful write, as an audit log tells it, cut down to what attribution needs. */
export interface AuditRecord {
  readonly auditID: string;
  readonly verb: MutatingVerb;
  /** Plural resource: `deployments`. */
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  /** Absent for a `deletecollection`. */
  readonly name?: string;
  /** When the response completed, epoch milliseconds. */
  readonly atMs: number;
  readonly code: number;
  /** The object's resourceVersion after the write, when the log level kept the response. */
  readonly resourceVersion?: string;
  /** The authenticated user. */
  readonly user: string;
  /** Whom `user` acted as (`kubectl --as`). */
  readonly impersonatedUser?: string;
  readonly userAgent?: string;
  readonly sourceIPs: readonly string[];
}

/** Who made a change, according to the audit log. */
export interface AuditAttribution {
  /** The authenticated user that made the request. */
  readonly user: string;
  /** Present when `user` impersonated someone: the user the request acted as. */
  readonly impersonatedUser?: string;
  /** The client, `kubectl/v1.30.2 (linux/amd64) kubernetes/39683505`, when the log has it. */
  readonly userAgent?: string;
  readonly sourceIPs: readonly string[];
  readonly auditID: string;
  readonly verb: MutatingVerb;
  readonly subresource?: string;
  /** ISO time the request completed. */
  readonly at: string;
  /** How the record was found: by the object's resourceVersion (exact) or by time (nearest before). */
  readonly matchedBy: 'resourceVersion' | 'time';
}

export interface AttributeOptions {
  /** How long before a change a write may have completed and still explain it. Default 5 s. */
  readonly windowMs?: number;
  /** How far after: the recorder's clock against the API server's. Default 1 s. */
  readonly skewMs?: number;
}

/** Audit events read from a file, and the lines that were not JSON. */
export interface ParsedAuditLog {
  readonly events: readonly unknown[];
  readonly malformedLines: number;
}

/**
 * The events of an audit log in any of its shapes: JSON lines (the log backend), one Event, an
 * EventList (the webhook backend) or a JSON array.
 */
export function parseAuditLog(text: string): ParsedAuditLog {
  const trimmed = text.trim();
  if (trimmed === '') return { events: [], malformedLines: 0 };
  const whole = parseJson(trimmed);
  if (whole.ok) return { events: eventsOf(whole.value), malformedLines: 0 };
  const events: unknown[] = [];
  let malformedLines = 0;
  for (const line of trimmed.split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseJson(line);
    if (parsed.ok) events.push(...eventsOf(parsed.value));
    else malformedLines++;
  }
  return { events, malformedLines };
}

/**
 * The record of one audit event when it is a successful write to an object (a mutating verb, stage
 * ResponseComplete, a 2xx status); undefined for everything else.
 */
export function toAuditRecord(event: unknown): AuditRecord | undefined {
  if (!isRecord(event)) return undefined;
  if (event.kind !== undefined && event.kind !== 'Event') return undefined;
  if (event.stage !== 'ResponseComplete') return undefined;
  const verb = MUTATING_VERBS.find((known) => known === event.verb);
  if (verb === undefined) return undefined;
  const code = isRecord(event.responseStatus) ? event.responseStatus.code : undefined;
  if (typeof code !== 'number' || code < 200 || code > 299) return undefined;
  const ref = isRecord(event.objectRef) ? event.objectRef : {};
  const resource = text(ref.resource);
  const subresource = text(ref.subresource);
  if (resource === undefined || (subresource !== undefined && NON_MUTATING_SUBRESOURCES.has(subresource)))
    return undefined;
  const user = isRecord(event.user) ? text(event.user.username) : undefined;
  const metadata = isRecord(event.metadata) ? event.metadata : {};
  const atMs =
    timeMs(text(event.stageTimestamp)) ??
    timeMs(text(event.requestReceivedTimestamp)) ??
    timeMs(text(event.timestamp)) ??
    timeMs(text(metadata.creationTimestamp));
  const auditID = text(event.auditID);
  if (user === undefined || atMs === undefined || auditID === undefined) return undefined;
  const response = objectMetadata(event.responseObject);
  const request = objectMetadata(event.requestObject);
  const name = text(ref.name) ?? text(response.name) ?? text(request.name);
  const namespace = text(ref.namespace) ?? text(response.namespace) ?? text(request.namespace);
  const resourceVersion = text(response.resourceVersion);
  const impersonatedUser = isRecord(event.impersonatedUser)
    ? text(event.impersonatedUser.username)
    : undefined;
  const userAgent = text(event.userAgent);
  const sourceIPs = Array.isArray(event.sourceIPs)
    ? event.sourceIPs.filter((ip): ip is string => typeof ip === 'string')
    : [];
  return {
    auditID,
    verb,
    resource,
    ...(subresource === undefined ? {} : { subresource }),
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
    atMs,
    code,
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    user,
    ...(impersonatedUser === undefined ? {} : { impersonatedUser }),
    ...(userAgent === undefined ? {} : { userAgent }),
    sourceIPs,
  };
}

/** The change an audit record may explain: the parts attribution reads. */
export type AttributableChange = Pick<Change, 'at' | 'object' | 'action' | 'fields' | 'resourceVersion'>;

/**
 * The successful writes of an audit log, indexed by object (and by resourceVersion where the log
 * kept responses), so each change finds its request without a scan. Fed once, event by event or
 * line by line, so a large log streams through without being held; only the small records stay.
 */
export class AuditIndex {
  readonly #byObject = new Map<string, AuditRecord[]>();
  readonly #byVersion = new Map<string, AuditRecord>();
  readonly #unsorted = new Set<string>();
  #size = 0;
  #skipped = 0;
  #malformed = 0;

  /** An index of every write in an audit log's text (any shape parseAuditLog reads). */
  static fromText(text: string): AuditIndex {
    const index = new AuditIndex();
    const parsed = parseAuditLog(text);
    for (const event of parsed.events) index.add(event);
    index.#malformed += parsed.malformedLines;
    return index;
  }

  /** Writes indexed. */
  get size(): number {
    return this.#size;
  }

  /** Events left out: reads, failures, earlier stages. */
  get skipped(): number {
    return this.#skipped;
  }

  /** Lines that were not JSON. */
  get malformed(): number {
    return this.#malformed;
  }

  /** Adds one audit event; true when it was a write and is now indexed. */
  add(event: unknown): boolean {
    const record = toAuditRecord(event);
    if (record === undefined) {
      this.#skipped++;
      return false;
    }
    const key = objectKey(record.resource, record.namespace, record.name);
    const list = this.#byObject.get(key);
    if (list === undefined) this.#byObject.set(key, [record]);
    else {
      const last = list.at(-1);
      if (last !== undefined && last.atMs > record.atMs) this.#unsorted.add(key);
      list.push(record);
    }
    if (record.resourceVersion !== undefined && record.name !== undefined)
      this.#byVersion.set(`${key}@${record.resourceVersion}`, record);
    this.#size++;
    return true;
  }

  /** Adds one line of a JSON-lines log (or an EventList on one line); blank lines are fine. */
  addLine(line: string): number {
    if (line.trim() === '') return 0;
    const parsed = parseJson(line);
    if (!parsed.ok) {
      this.#malformed++;
      return 0;
    }
    return eventsOf(parsed.value).filter((event) => this.add(event)).length;
  }

  /**
   * The request that made a change: the write to the same object (resource, namespace, name) whose
   * response carried the change's resourceVersion; failing that, the write that completed nearest
   * to the change within the window before it (a few seconds; a little after for clock skew),
   * preferring a verb that fits the action (create for added, delete for deleted) and the status
   * subresource for changes of status alone. Undefined when no write fits.
   */
  attribute(change: AttributableChange, options: AttributeOptions = {}): AuditAttribution | undefined {
    const resource = pluralOf(change.object.kind);
    const key = objectKey(resource, change.object.namespace, change.object.name);
    if (change.resourceVersion !== undefined) {
      const exact = this.#byVersion.get(`${key}@${change.resourceVersion}`);
      if (exact !== undefined) return toAttribution(exact, 'resourceVersion');
    }
    const atMs = timeMs(change.at);
    if (atMs === undefined) return undefined;
    const from = atMs - (options.windowMs ?? 5000);
    const to = atMs + (options.skewMs ?? 1000);
    const candidates = [
      ...this.#records(key),
      ...(change.action === 'deleted'
        ? this.#records(objectKey(resource, change.object.namespace, undefined))
        : []),
    ].filter((record) => record.atMs >= from && record.atMs <= to);
    const statusOnly = isStatusOnly(change);
    let best: { record: AuditRecord; misfit: number; distance: number } | undefined;
    for (const record of candidates) {
      const misfit = verbMisfit(record, change) + subresourceMisfit(record, statusOnly);
      const distance = Math.abs(atMs - record.atMs);
      if (best === undefined || misfit < best.misfit || (misfit === best.misfit && distance < best.distance))
        best = { record, misfit, distance };
    }
    return best === undefined ? undefined : toAttribution(best.record, 'time');
  }

  #records(key: string): readonly AuditRecord[] {
    const list = this.#byObject.get(key);
    if (list === undefined) return [];
    if (this.#unsorted.delete(key)) list.sort((a, b) => a.atMs - b.atMs);
    return list;
  }
}

/** The change with the audit log's user, client and source added to its actor. */
export function withAuditActor(change: Change, attribution: AuditAttribution): Change {
  const actor: ChangeActor = {
    ...change.actor,
    user: attribution.user,
    ...(attribution.impersonatedUser === undefined ? {} : { impersonatedUser: attribution.impersonatedUser }),
    ...(attribution.userAgent === undefined ? {} : { userAgent: attribution.userAgent }),
    ...(attribution.sourceIPs.length === 0 ? {} : { sourceIPs: attribution.sourceIPs }),
  };
  return { ...change, actor };
}

/** Who, in words: `kubernetes-admin`, or `system:admin as bob` when the request impersonated bob. */
export function formatAuditUser(actor: Pick<ChangeActor, 'user' | 'impersonatedUser'>): string | undefined {
  if (actor.user === undefined) return actor.impersonatedUser;
  return actor.impersonatedUser === undefined ? actor.user : `${actor.user} as ${actor.impersonatedUser}`;
}

/** A verb that does not fit the action still may explain it (an apply that creates is a patch), but last. */
function verbMisfit(record: AuditRecord, change: AttributableChange): number {
  switch (change.action) {
    case 'added':
      return record.verb === 'create' && record.subresource === undefined ? 0 : 1;
    case 'deleted':
      return record.verb === 'delete' ||
        record.verb === 'deletecollection' ||
        (record.verb === 'create' && record.subresource === 'eviction')
        ? 0
        : 1;
    case 'modified':
      // A graceful delete modifies first (deletionTimestamp); a binding is a create on a subresource.
      return record.verb === 'update' ||
        record.verb === 'patch' ||
        (record.verb === 'create' && record.subresource !== undefined) ||
        (record.verb === 'delete' &&
          change.fields.some((field) => field.path === 'metadata.deletionTimestamp'))
        ? 0
        : 1;
    default: {
      const unknown: never = change.action;
      throw new Error(`unknown change action ${String(unknown)}`);
    }
  }
}

function subresourceMisfit(record: AuditRecord, statusOnly: boolean): number {
  if (record.subresource === 'status') return statusOnly ? 0 : 1;
  return statusOnly && record.subresource === undefined ? 1 : 0;
}

function isStatusOnly(change: AttributableChange): boolean {
  return (
    change.fields.length > 0 &&
    change.fields.every((field) => {
      const first = parseFieldPath(field.path)?.[0];
      return first !== undefined && 'key' in first && first.key === 'status';
    })
  );
}

function toAttribution(record: AuditRecord, matchedBy: AuditAttribution['matchedBy']): AuditAttribution {
  return {
    user: record.user,
    ...(record.impersonatedUser === undefined ? {} : { impersonatedUser: record.impersonatedUser }),
    ...(record.userAgent === undefined ? {} : { userAgent: record.userAgent }),
    sourceIPs: record.sourceIPs,
    auditID: record.auditID,
    verb: record.verb,
    ...(record.subresource === undefined ? {} : { subresource: record.subresource }),
    at: new Date(record.atMs).toISOString(),
    matchedBy,
  };
}

/** The plural resource of a kind: from the kinds table, else as the API server would guess (CRDs). */
function pluralOf(kind: string): string {
  const known = kindInfo(kind)?.plural;
  if (known !== undefined) return known;
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

function objectKey(resource: string, namespace: string | undefined, name: string | undefined): string {
  return `${resource}/${namespace ?? ''}/${name ?? '*'}`;
}

function eventsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  if (isRecord(value) && Array.isArray(value.items) && value.kind !== 'Event')
    return value.items as unknown[];
  return [value];
}

function objectMetadata(object: unknown): Readonly<Record<string, unknown>> {
  return isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
}

function parseJson(source: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch {
    return { ok: false };
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
