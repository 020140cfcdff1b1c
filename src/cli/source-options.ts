import { AppError } from '../core/errors.js';
import { parseDurationMs } from '../core/duration.js';
import { parseSelector, type LabelSelector } from '../core/label-selector.js';
import {
  createHttpTransport,
  FilesSource,
  LiveSource,
  loadKubeConfig,
  type ClusterSource,
} from '../kube/index.js';
import { parseMomentMs } from '../core/moment.js';
import { MemorySource } from '../memory/memory-source.js';
import type { Io } from './io.js';
import { openMemoryStore, requireMemory, type MemoryFlags } from './store-options.js';

/** The flags every cluster-reading command takes, as kubectl names them. */
export interface SourceFlags extends MemoryFlags {
  /** `--at`: the cluster as the recording saw it then. */
  readonly at?: string;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly selector?: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly from?: readonly string[];
  readonly requestTimeout?: string;
}

/** Which source the flags opened, typed, so a command asks instead of testing classes. */
export type OpenedVia =
  | { readonly via: 'recording'; readonly recording: MemorySource }
  | { readonly via: 'files' }
  | { readonly via: 'live'; readonly live: LiveSource };

export interface OpenedSource<S extends ClusterSource = ClusterSource> {
  readonly source: S;
  readonly opened: OpenedVia;
  /** Namespace to read namespaced kinds in; undefined for every namespace. */
  readonly namespace: string | undefined;
  readonly selector?: LabelSelector;
}

const DEFAULT_REQUEST_TIMEOUT = '30s';

/** What a command holds open beside its lists: watches (`record` keeps one per kind). */
export interface SourceNeeds {
  readonly streams?: number;
  /**
   * Objects per list page (default 500). A process that runs for days asks for smaller pages: a
   * page is parsed whole, and the heap V8 grows for the largest one is kept long after.
   */
  readonly pageSize?: number;
}

/** Picks the source the flags ask for (files with --from, else the cluster of the kubeconfig) and the namespace scope. */
export async function openSource(flags: SourceFlags, io: Io, needs: SourceNeeds = {}): Promise<OpenedSource> {
  const selector = flags.selector === undefined ? undefined : parseSelectorFlag(flags.selector);
  const timeoutMs = parseDurationMs(flags.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT, '--request-timeout');
  let opened: OpenedVia;
  let source: ClusterSource;
  if (flags.at !== undefined) {
    if ((flags.from?.length ?? 0) > 0 || flags.context !== undefined || flags.kubeconfig !== undefined) {
      throw new AppError(
        'usage',
        '--at reads the recording; --from, --context and --kubeconfig read something else: use one or the other',
      );
    }
    requireMemory(flags, io, '--at');
    const nowMs = Date.now();
    const atMs = parseMomentMs(flags.at, '--at', nowMs);
    if (atMs > nowMs)
      throw new AppError(
        'nothing-read',
        `--at ${flags.at} is in the future (it is now ${new Date(nowMs).toISOString()}): nothing is recorded there yet`,
      );
    const store = await openMemoryStore(flags, io, { create: false });
    const recording = new MemorySource({ store, atMs, closeStore: true });
    source = recording;
    opened = { via: 'recording', recording };
  } else if (flags.from !== undefined && flags.from.length > 0) {
    if (flags.context !== undefined || flags.kubeconfig !== undefined) {
      throw new AppError(
        'usage',
        '--from reads files; --context and --kubeconfig are for a live cluster: use one or the other',
      );
    }
    source = new FilesSource({ paths: flags.from, readStdin: io.readStdin });
    opened = { via: 'files' };
  } else {
    const loaded = loadKubeConfig({
      ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
      env: io.env,
    });
    const concurrency = 6;
    const transport = await createHttpTransport(
      loaded,
      { timeoutMs, maxSockets: concurrency + (needs.streams ?? 1) },
      io.env,
    );
    const live = new LiveSource({
      transport,
      defaultNamespace: loaded.namespace,
      concurrency,
      ...(needs.pageSize === undefined ? {} : { pageSize: needs.pageSize }),
      description: `context ${loaded.contextName}`,
    });
    source = live;
    opened = { via: 'live', live };
  }
  const namespace = flags.allNamespaces === true ? undefined : (flags.namespace ?? source.defaultNamespace);
  return { source, opened, namespace, ...(selector === undefined ? {} : { selector }) };
}

/**
 * Opens the live cluster of the kubeconfig, for commands that watch it (`record`, `agent`):
 * `--from` and `--at` are usage errors naming the command.
 */
export async function openLiveSource(
  command: string,
  flags: SourceFlags,
  io: Io,
  needs: SourceNeeds = {},
): Promise<OpenedSource<LiveSource>> {
  refuseOffline(command, flags);
  const opened = await openSource(flags, io, needs);
  if (opened.opened.via !== 'live') throw new AppError('internal', `${command} opened no live cluster`);
  return { ...opened, source: opened.opened.live };
}

/** For commands that watch a live cluster: `--from` and `--at` are usage errors naming the command. */
export function refuseOffline(command: string, flags: SourceFlags): void {
  if ((flags.from?.length ?? 0) > 0 || flags.at !== undefined)
    throw new AppError('usage', `${command} watches a live cluster: drop --from and --at`);
}

/** Opens the recording at `--at`, for commands that only read the past (`replay`). */
export async function openRecording(
  command: string,
  flags: SourceFlags,
  io: Io,
): Promise<OpenedSource<MemorySource>> {
  if (flags.at === undefined)
    throw new AppError('usage', `${command} needs --at TIME: an RFC 3339 time, or how long ago (30m, 2h)`);
  const opened = await openSource(flags, io);
  if (opened.opened.via !== 'recording') throw new AppError('internal', `${command} opened no recording`);
  return { ...opened, source: opened.opened.recording };
}

function parseSelectorFlag(text: string): LabelSelector {
  const selector = parseSelector(text);
  if (selector === undefined) {
    throw new AppError(
      'usage',
      `-l ${text}: not a label selector; write it as kubectl does, e.g. app=web,tier!=db`,
    );
  }
  return selector;
}
