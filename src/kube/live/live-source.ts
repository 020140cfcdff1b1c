import { Coverage } from '../../core/coverage.js';
import { pause } from '../../core/pause.js';
import type { DataGap } from '../../core/data-gap.js';
import { AppError } from '../../core/errors.js';
import { toEventRecord } from '../../core/event-record.js';
import { apiVersionOf, findKind, POD_METRICS, resourceNameOf, type KindInfo } from '../../core/kinds.js';
import { isKubeObject, type KubeObject } from '../../core/kube-object.js';
import { withoutSecretValues } from '../../core/secret-values.js';
import { withCertificateFacts } from '../certificate-metadata.js';
import { Snapshot, type ContainerLog } from '../../core/snapshot.js';
import type { Pod } from '../../core/kube-types.js';
import { oomKilledStatuses } from '../../core/pod-usage.js';
import type {
  ClusterSource,
  FollowEventsOptions,
  LoadRequest,
  LoadResult,
  LogsResult,
  LogWant,
  WatchKindHandlers,
  WatchKindOptions,
} from '../source.js';
import { collectionPath } from './api-paths.js';
import { mapBounded } from './bounded.js';
import { CUSTOM_RESOURCE_DEFINITIONS, kindsOfDefinitions, type CustomKinds } from './custom-kinds.js';
import { classifyReadFailure, followFailure } from './read-failure.js';
import { apiServerLeaseLock, type LeaseLock } from './lease-lock.js';
import { HttpStatusError, RequestTimeoutError, type KubeTransport } from './transport.js';

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

/** Containers of a pod worth a log: failing now, or restarted after failing. */
function failingContainers(
  pod: Pod,
): { namespace: string; pod: string; container: string; previous: boolean }[] {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.flatMap((status) => {
    const waiting = status.state?.waiting?.reason;
    const failedExit =
      (status.state?.terminated?.exitCode ?? 0) !== 0 || (status.lastState?.terminated?.exitCode ?? 0) !== 0;
    const failing = failedExit || waiting === 'CrashLoopBackOff' || waiting === 'RunContainerError';
    if (!failing) return [];
    const base = { namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name, container: status.name };
    return (status.restartCount ?? 0) > 0
      ? [
          { ...base, previous: false },
          { ...base, previous: true },
        ]
      : [{ ...base, previous: false }];
  });
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
  /** The API server's address. */
  readonly server: string;
  readonly #transport: KubeTransport;
  readonly #concurrency: number;
  readonly #pageSize: number;
  readonly #now: () => Date;

  constructor(options: LiveSourceOptions) {
    this.#transport = options.transport;
    this.server = options.transport.server;
    this.defaultNamespace = options.defaultNamespace;
    this.#concurrency = options.concurrency ?? 6;
    this.#pageSize = options.pageSize ?? 500;
    this.#now = options.now ?? (() => new Date());
    this.description = options.description ?? `cluster ${options.transport.server}`;
  }

  async load(request: LoadRequest): Promise<LoadResult> {
    const coverage = new Coverage();
    const gaps: DataGap[] = [];
    const discovery = new Map<string, Promise<ReadonlySet<string> | undefined>>();
    const lists = await mapBounded(request.kinds, this.#concurrency, async (kind) => {
      const namespace = kind.namespaced ? request.namespace : undefined;
      try {
        if (kind.readAcrossNamespaces === true && namespace !== undefined) {
          const everywhere = await this.#listEverywhereIfAllowed(kind);
          if (everywhere !== undefined) {
            coverage.add(kind.kind);
            return everywhere;
          }
        }
        const objects = await this.#listAll(kind, namespace);
        coverage.add(kind.kind, namespace);
        return objects;
      } catch (error) {
        if (kind.optional === true && (await this.#notServed(kind, error, discovery))) return [];
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
    const objects = lists.flat();
    const logs =
      request.logs === undefined ? [] : await this.#failingContainerLogs(objects, request.logs, gaps);
    if (request.usage === true)
      objects.push(...(await this.#usageOfOomKilled(objects, request.namespace, gaps)));
    const snapshot = new Snapshot({ objects, logs, coverage, capturedAt: this.#now() });
    return { snapshot, gaps };
  }

  /**
   * A kind whose objects act on other namespaces, listed across all of them; undefined when the
   * user may not (403), so it is listed in the namespace asked instead, as any kind is. Any other
   * failure is thrown, to be judged as the namespace's list would be.
   */
  async #listEverywhereIfAllowed(kind: KindInfo): Promise<KubeObject[] | undefined> {
    try {
      return await this.#listAll(kind, undefined);
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 403) return undefined;
      throw error;
    }
  }

  /**
   * Whether an optional kind's failed list means the cluster does not serve it (its CRD is not
   * installed), so it is skipped rather than reported: a 404, or a 403 on a kind its API group's
   * discovery document (readable by every authenticated user) does not list. A 403 on a kind that
   * is served is a gap like any other. Discovery is asked once per group version per load.
   */
  async #notServed(
    kind: KindInfo,
    error: unknown,
    discovery: Map<string, Promise<ReadonlySet<string> | undefined>>,
  ): Promise<boolean> {
    if (!(error instanceof HttpStatusError)) return false;
    if (error.status === 404) return true;
    if (error.status !== 403) return false;
    const groupVersion = apiVersionOf(kind);
    let served = discovery.get(groupVersion);
    if (served === undefined) {
      served = this.#servedResources(kind);
      discovery.set(groupVersion, served);
    }
    const resources = await served;
    return resources !== undefined && !resources.has(kind.plural);
  }

  /** The resources a kind's group version serves; empty when it is not served, undefined when discovery fails. */
  async #servedResources(kind: KindInfo): Promise<ReadonlySet<string> | undefined> {
    const path = kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
    try {
      const document = (await this.#transport.getJson(path, {})) as {
        resources?: readonly { name?: unknown }[];
      };
      return new Set(
        (document.resources ?? []).flatMap((resource) =>
          typeof resource.name === 'string' ? [resource.name] : [],
        ),
      );
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) return new Set();
      return undefined;
    }
  }

  /**
   * Logs of failing containers only (waiting in a back-off or error, or terminated with an error):
   * the current log and, when the container has restarted, the previous one. Never a request for a
   * healthy container; a log that may not be read is one gap per namespace.
   */
  async #failingContainerLogs(
    objects: readonly KubeObject[],
    { tailLines, pods }: NonNullable<LoadRequest['logs']>,
    gaps: DataGap[],
  ): Promise<ContainerLog[]> {
    const wanted = objects
      .filter(
        (object) =>
          object.kind === 'Pod' &&
          (pods === undefined || pods.has(`${object.metadata.namespace ?? ''}/${object.metadata.name}`)),
      )
      .flatMap((pod) => failingContainers(pod as Pod));
    const result = await this.readLogs(wanted, tailLines);
    gaps.push(...result.gaps);
    return [...result.logs];
  }

  /** Each wanted log, at most `concurrency` at a time; a log that may not be read is one gap per namespace. */
  async readLogs(wanted: readonly LogWant[], tailLines: number): Promise<LogsResult> {
    const forbidden = new Set<string>();
    const gaps: DataGap[] = [];
    const logs = await mapBounded(wanted, this.#concurrency, async (want) => {
      const path = `/api/v1/namespaces/${encodeURIComponent(want.namespace)}/pods/${encodeURIComponent(want.pod)}/log`;
      const query = {
        container: want.container,
        tailLines: String(tailLines),
        ...(want.previous ? { previous: 'true' } : {}),
      };
      try {
        return [{ ...want, text: await this.#transport.getText(path, query) }];
      } catch (error) {
        // No previous instance, or the pod went away: nothing to show, nothing missing.
        if (error instanceof HttpStatusError && (error.status === 400 || error.status === 404)) return [];
        const gap = classifyReadFailure(
          error,
          { resource: 'pods/log', verb: 'get', namespace: want.namespace },
          this.#transport.server,
        );
        if (!forbidden.has(want.namespace)) gaps.push(gap);
        forbidden.add(want.namespace);
        return [];
      }
    });
    return { logs: logs.flat(), gaps };
  }

  /**
   * What the pods with an OOM-killed container use now, as the Metrics API reports it: one list (in
   * the one namespace they share, else across all), and none when no container was OOM-killed.
   * Without metrics-server the API is not served: a gap that says so, never a failure.
   */
  async #usageOfOomKilled(
    objects: readonly KubeObject[],
    namespace: string | undefined,
    gaps: DataGap[],
  ): Promise<KubeObject[]> {
    const wanted = new Set(
      objects
        .filter((object) => object.kind === 'Pod' && oomKilledStatuses(object as Pod).length > 0)
        .map((pod) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`),
    );
    if (wanted.size === 0) return [];
    const namespaces = new Set([...wanted].map((key) => key.split('/')[0] ?? ''));
    const [only] = namespaces;
    const scope = namespace ?? (namespaces.size === 1 ? only : undefined);
    try {
      const metrics = await this.#listAll(POD_METRICS, scope);
      return metrics.filter((m) => wanted.has(`${m.metadata.namespace ?? ''}/${m.metadata.name}`));
    } catch (error) {
      const target = {
        resource: resourceNameOf(POD_METRICS),
        verb: 'list' as const,
        ...(scope === undefined ? {} : { namespace: scope }),
      };
      const gap = classifyReadFailure(error, target, this.#transport.server);
      gaps.push(
        gap.reason === 'forbidden'
          ? gap
          : {
              ...gap,
              message:
                gap.reason === 'not-served'
                  ? 'the Metrics API is not served (no metrics-server): what OOM-killed containers use now is unknown'
                  : `the Metrics API did not answer (${gap.message}): what OOM-killed containers use now is unknown`,
              check: 'kubectl get apiservice v1beta1.metrics.k8s.io',
            },
      );
      return [];
    }
  }

  /** The agent's leader-election Lease: the one object anything here writes. */
  leaseLock(namespace: string, name: string): LeaseLock {
    return apiServerLeaseLock(this.#transport, namespace, name);
  }

  close(): void {
    this.#transport.close();
  }

  /**
   * Follows events as an informer does (see {@link watchKind}): after a 410 Gone, what changed in
   * the gap (by uid and resourceVersion) is reported, so nothing that happened while disconnected
   * is missed.
   */
  async followEvents(options: FollowEventsOptions): Promise<void> {
    const events = findKind('events');
    if (events === undefined) throw new AppError('internal', 'the Event kind is not registered');
    const seen = new Map<string, string>();
    let listed = false;
    const report = (object: KubeObject): void => {
      seen.set(object.metadata.uid ?? object.metadata.name, object.metadata.resourceVersion ?? '');
      const record = toEventRecord(object);
      if (record !== undefined) options.onEvent(record);
    };
    await this.watchKind(
      events,
      {
        ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
        signal: options.signal,
      },
      {
        onListPage: (objects) => {
          for (const object of objects) {
            const id = object.metadata.uid ?? object.metadata.name;
            // The first list is the past the command has already shown; later ones fill a gap.
            if (listed && seen.get(id) !== object.metadata.resourceVersion) report(object);
            else seen.set(id, object.metadata.resourceVersion ?? '');
          }
        },
        onListEnd: () => {
          listed = true;
        },
        onChange: (type, object) => {
          if (type !== 'DELETED') report(object);
        },
        onProgress: () => undefined,
      },
    );
  }

  /**
   * Follows one kind as an informer does: list, then watch from the list's resourceVersion (or
   * from `resumeFrom`, without a list), with bookmarks. When the version has been compacted away
   * (410 Gone) the kind is listed again and the handlers get the whole list, so a caller can tell
   * what happened in the gap. A dropped connection is retried from the last version seen, with
   * back-off; an unreachable server or rejected credentials end it. Returns when the signal aborts.
   */
  async watchKind(kind: KindInfo, options: WatchKindOptions, handlers: WatchKindHandlers): Promise<void> {
    try {
      await this.#follow(kind, options, handlers);
    } catch (error) {
      const target = {
        resource: resourceNameOf(kind),
        verb: 'watch' as const,
        ...(kind.namespaced && options.namespace !== undefined ? { namespace: options.namespace } : {}),
      };
      throw followFailure(error, target, this.#transport.server);
    }
  }

  /** The kinds the cluster's CustomResourceDefinitions define (see `kindsOfDefinitions`). */
  async customKinds(): Promise<CustomKinds> {
    try {
      return kindsOfDefinitions(await this.#listAll(CUSTOM_RESOURCE_DEFINITIONS, undefined));
    } catch (error) {
      const target = { resource: resourceNameOf(CUSTOM_RESOURCE_DEFINITIONS), verb: 'list' as const };
      throw followFailure(error, target, this.#transport.server);
    }
  }

  async #follow(kind: KindInfo, options: WatchKindOptions, handlers: WatchKindHandlers): Promise<void> {
    const path = collectionPath(kind, options.namespace);
    const redact = safeRedaction(options.redact);
    // A function, not a property read: the signal aborts during the awaits below, which narrowing ignores.
    const stopped = (): boolean => options.signal.aborted;
    const relist = async (): Promise<string> => {
      const version = await this.#listPages(kind, options.namespace, redact, (page, restarted) => {
        handlers.onListPage(page, restarted);
      });
      handlers.onListEnd(version);
      return version;
    };
    let resourceVersion = options.resumeFrom ?? (await relist());
    let retries = 0;
    while (!stopped()) {
      const stream: { expired: boolean; received: boolean; failure?: Error } = {
        expired: false,
        received: false,
      };
      // A handler that throws ends the watch with its error (thrown out of a socket's data event, it would end the process).
      const failed = new AbortController();
      const onLine = (line: string): void => {
        if (failed.signal.aborted) return;
        try {
          const message = JSON.parse(line) as { type?: string; object?: KubeObject & { code?: number } };
          const object = message.object;
          if (message.type === 'ERROR') {
            if (object?.code === 410) stream.expired = true;
            return;
          }
          const version = object?.metadata.resourceVersion;
          if (object === undefined || version === undefined) return;
          stream.received = true;
          resourceVersion = version;
          if (message.type === 'BOOKMARK') handlers.onProgress(version);
          else if (message.type === 'ADDED' || message.type === 'MODIFIED' || message.type === 'DELETED')
            handlers.onChange(
              message.type,
              redact({ ...object, apiVersion: apiVersionOf(kind), kind: kind.kind }),
            );
        } catch (error) {
          stream.failure = error instanceof Error ? error : new Error(String(error));
          failed.abort();
        }
      };
      try {
        await this.#transport.streamLines(
          path,
          { watch: 'true', resourceVersion, allowWatchBookmarks: 'true' },
          onLine,
          AbortSignal.any([options.signal, failed.signal]),
        );
      } catch (error) {
        if (error instanceof HttpStatusError && error.status === 410) stream.expired = true;
        else if (!isTransient(error)) throw error;
        else {
          retries = stream.received ? 1 : retries + 1;
          await pause(Math.min(30_000, 500 * 2 ** retries), options.signal);
          continue;
        }
      }
      if (stream.failure !== undefined) throw stream.failure;
      retries = 0;
      if (stream.expired && !stopped()) resourceVersion = await relist();
    }
  }

  /** Every object of a kind as of one moment, Secret values blanked. */
  async #listAll(kind: KindInfo, namespace: string | undefined): Promise<KubeObject[]> {
    let objects: KubeObject[] = [];
    await this.#listPages(kind, namespace, withoutSecretValues, (page, restarted) => {
      // A list started over: what the first pages said is of an older moment.
      if (restarted) objects = [];
      objects.push(...page);
    });
    return objects;
  }

  /**
   * Lists a kind page by page, handing each page on as it comes so no caller has to hold the whole
   * list, and returns the list's resourceVersion (where a watch starts). When the snapshot is
   * compacted between pages (410 on a continue token) the list starts over, once or twice, rather
   * than go on from a newer point in time: the first page of the new start says `restarted`, and
   * pages already handed on come again, newer.
   */
  async #listPages(
    kind: KindInfo,
    namespace: string | undefined,
    redact: (object: KubeObject) => KubeObject,
    onPage: (objects: KubeObject[], restarted: boolean) => void,
    restarts = 0,
  ): Promise<string> {
    const path = collectionPath(kind, namespace);
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const query: Record<string, string> = { limit: String(this.#pageSize) };
      if (continueToken !== undefined) query.continue = continueToken;
      let page: ListPage;
      try {
        page = (await this.#transport.getJson(path, query)) as ListPage;
      } catch (error) {
        if (
          continueToken !== undefined &&
          error instanceof HttpStatusError &&
          error.status === 410 &&
          restarts < 2
        ) {
          return this.#listPages(kind, namespace, redact, onPage, restarts + 1);
        }
        throw error;
      }
      const objects: KubeObject[] = [];
      for (const item of page.items ?? []) {
        // List items carry no kind or apiVersion; restore them so objects look as `kubectl get -o json` shows them.
        const object = { apiVersion: apiVersionOf(kind), kind: kind.kind, ...(item as object) };
        if (isKubeObject(object)) objects.push(redact(withCertificateFacts(object)));
      }
      onPage(objects, restarts > 0 && continueToken === undefined);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue === '' ? undefined : page.metadata?.continue;
    } while (continueToken !== undefined);
    return resourceVersion;
  }
}

/** The caller's redaction, falling back to blanking Secret values if it fails: it fails closed. */
function safeRedaction(
  redact: ((object: KubeObject) => KubeObject) | undefined,
): (object: KubeObject) => KubeObject {
  if (redact === undefined) return withoutSecretValues;
  return (object) => {
    try {
      return redact(object);
    } catch {
      return withoutSecretValues(object);
    }
  };
}

/** A dropped connection or a server briefly unable to answer: worth trying again from where we were. */
function isTransient(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status === 429 || error.status >= 500;
  if (error instanceof RequestTimeoutError) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    typeof code === 'string' &&
    /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ECONNABORTED|ERR_STREAM_PREMATURE_CLOSE)$/.test(code)
  );
}
