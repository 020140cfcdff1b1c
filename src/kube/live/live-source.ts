import { Coverage } from '../../core/coverage.js';
import type { DataGap } from '../../core/data-gap.js';
import { AppError } from '../../core/errors.js';
import { toEventRecord } from '../../core/event-record.js';
import { apiVersionOf, findKind, resourceNameOf, type KindInfo } from '../../core/kinds.js';
import { isKubeObject, type KubeObject } from '../../core/kube-object.js';
import { withoutSecretValues } from '../../core/secret-values.js';
import { Snapshot } from '../../core/snapshot.js';
import type { ClusterSource, FollowEventsOptions, LoadRequest, LoadResult } from '../source.js';
import { collectionPath } from './api-paths.js';
import { mapBounded } from './bounded.js';
import { classifyReadFailure } from './read-failure.js';
import { HttpStatusError, type KubeTransport } from './transport.js';

export interface LiveSourceOptions {
  readonly transport: KubeTransport;
  /** Namespace of the kubeconfig context, used when neither -n nor -A is given. */
  readonly defaultNamespace: string;
  /** Lists in flight at once. */
  readonly concurrency?: number;
  /** Items per page (`limit`); the server hands a `continue` token for the rest. */
  readonly pageSize?: number;
  /** The clock, for the snapshot's capture time. */
  readonly now?: () => Date;
  readonly description?: string;
}

interface ListPage {
  readonly items?: unknown[];
  readonly metadata?: { readonly continue?: string; readonly resourceVersion?: string };
}

/**
 * Reads a cluster through its API server: one paginated list per kind the command needs, at most
 * `concurrency` at a time, never one request per object. A kind that cannot be read becomes a
 * data gap and the rest still answer; an unreachable server or rejected credentials end the command.
 */
export class LiveSource implements ClusterSource {
  readonly description: string;
  readonly defaultNamespace: string;
  readonly #transport: KubeTransport;
  readonly #concurrency: number;
  readonly #pageSize: number;
  readonly #now: () => Date;

  constructor(options: LiveSourceOptions) {
    this.#transport = options.transport;
    this.defaultNamespace = options.defaultNamespace;
    this.#concurrency = options.concurrency ?? 6;
    this.#pageSize = options.pageSize ?? 500;
    this.#now = options.now ?? (() => new Date());
    this.description = options.description ?? `cluster ${options.transport.server}`;
  }

  async load(request: LoadRequest): Promise<LoadResult> {
    const coverage = new Coverage();
    const gaps: DataGap[] = [];
    const lists = await mapBounded(request.kinds, this.#concurrency, async (kind) => {
      const namespace = kind.namespaced ? request.namespace : undefined;
      try {
        const { objects } = await this.#listAll(kind, namespace);
        coverage.add(kind.kind, namespace);
        return objects;
      } catch (error) {
        gaps.push(
          classifyReadFailure(
            error,
            {
              resource: resourceNameOf(kind),
              verb: 'list',
              ...(namespace === undefined ? {} : { namespace }),
            },
            this.#transport.server,
          ),
        );
        return [];
      }
    });
    const snapshot = new Snapshot({ objects: lists.flat(), coverage, capturedAt: this.#now() });
    return { snapshot, gaps };
  }

  close(): void {
    this.#transport.close();
  }

  /**
   * Follows events as an informer does: list, then watch from the list's resourceVersion. When the
   * watch's version has been compacted away (410 Gone), list again and report what changed in the
   * gap (by uid and resourceVersion), so nothing that happened while disconnected is missed.
   */
  async followEvents(options: FollowEventsOptions): Promise<void> {
    const events = findKind('events');
    if (events === undefined) throw new AppError('internal', 'the Event kind is not registered');
    const path = collectionPath(events, options.namespace);
    const seen = new Map<string, string>();
    const report = (object: KubeObject): void => {
      const record = toEventRecord(object);
      if (record !== undefined) options.onEvent(record);
    };
    const relist = async (reportChanges: boolean): Promise<string> => {
      const list = await this.#listAll(events, options.namespace);
      for (const object of list.objects) {
        const id = object.metadata.uid ?? object.metadata.name;
        const version = object.metadata.resourceVersion ?? '';
        if (reportChanges && seen.get(id) !== version) report(object);
        seen.set(id, version);
      }
      return list.resourceVersion;
    };
    // A function, not a property read: the signal aborts during the awaits below, which narrowing ignores.
    const stopped = (): boolean => options.signal.aborted;
    let resourceVersion = await relist(false);
    while (!stopped()) {
      const stream = { expired: false };
      try {
        await this.#transport.streamLines(
          path,
          { watch: 'true', resourceVersion, allowWatchBookmarks: 'true' },
          (line) => {
            const message = JSON.parse(line) as { type?: string; object?: KubeObject & { code?: number } };
            const object = message.object;
            if (message.type === 'ERROR') {
              if (object?.code === 410) stream.expired = true;
              return;
            }
            const version = object?.metadata.resourceVersion;
            if (object === undefined || version === undefined) return;
            resourceVersion = version;
            if (message.type !== 'ADDED' && message.type !== 'MODIFIED') return;
            const event = { ...object, kind: 'Event' };
            seen.set(event.metadata.uid ?? event.metadata.name, version);
            report(event);
          },
          options.signal,
        );
      } catch (error) {
        if (!(error instanceof HttpStatusError && error.status === 410)) throw error;
        stream.expired = true;
      }
      if (stream.expired && !stopped()) resourceVersion = await relist(true);
    }
  }

  /** Every object of a kind, page by page, and the list's resourceVersion (where a watch starts). */
  async #listAll(
    kind: KindInfo,
    namespace: string | undefined,
    restarts = 0,
  ): Promise<{ objects: KubeObject[]; resourceVersion: string }> {
    const path = collectionPath(kind, namespace);
    const objects: KubeObject[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const query: Record<string, string> = { limit: String(this.#pageSize) };
      if (continueToken !== undefined) query.continue = continueToken;
      let page: ListPage;
      try {
        page = (await this.#transport.getJson(path, query)) as ListPage;
      } catch (error) {
        // 410 on a continue token: the list's snapshot was compacted between pages. Start over,
        // once or twice, rather than mixing pages from two points in time.
        if (
          continueToken !== undefined &&
          error instanceof HttpStatusError &&
          error.status === 410 &&
          restarts < 2
        ) {
          return this.#listAll(kind, namespace, restarts + 1);
        }
        throw error;
      }
      for (const item of page.items ?? []) {
        // List items carry no kind or apiVersion; restore them so objects look as `kubectl get -o json` shows them.
        const object = { apiVersion: apiVersionOf(kind), kind: kind.kind, ...(item as object) };
        if (isKubeObject(object)) objects.push(withoutSecretValues(object));
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
    } while (continueToken !== undefined);
    return { objects, resourceVersion };
  }
}
