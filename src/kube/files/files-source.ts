import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { Coverage } from '../../core/coverage.js';
import { AppError } from '../../core/errors.js';
import { toEventRecord } from '../../core/event-record.js';
import { isNamespaced, POD_METRICS } from '../../core/kinds.js';
import { hasStatusConditions, type KubeObject } from '../../core/kube-object.js';
import { withoutSecretValues } from '../../core/secret-values.js';
import { withCertificateFacts } from '../certificate-metadata.js';
import { timeMs } from '../../core/time.js';
import { Snapshot, type ContainerLog } from '../../core/snapshot.js';
import type { ClusterSource, LoadRequest, LoadResult } from '../source.js';
import { parseDocumentStream } from './document-stream.js';
import { objectsFromDocuments } from './objects-from-documents.js';

const OBJECT_FILE = /\.(json|ya?ml)$/i;

interface ReadFiles {
  readonly objects: readonly KubeObject[];
  readonly logs: readonly ContainerLog[];
  /** `Pod/shop` when a typed list of pods was read for namespace shop (from a dump directory). */
  readonly listed: ReadonlySet<string>;
}

export interface FilesSourceOptions {
  /** Files or directories (`--from`, repeatable); `-` reads standard input. */
  readonly paths: readonly string[];
  /** Reads standard input for `-`. */
  readonly readStdin?: () => string;
}

/**
 * Reads a cluster from files: `kubectl get -o json|yaml` output (single objects, Lists, multi-document
 * YAML, JSON arrays), directories of them, and `kubectl cluster-info dump` in both its stdout form and
 * its `--output-directory` layout (with pod logs). Files are read once, on the first load.
 */
export class FilesSource implements ClusterSource {
  readonly description: string;
  readonly #options: FilesSourceOptions;
  #read: ReadFiles | undefined;

  constructor(options: FilesSourceOptions) {
    this.#options = options;
    this.description = `files ${options.paths.join(', ')}`;
  }

  get defaultNamespace(): string | undefined {
    return undefined;
  }

  load(request: LoadRequest): Promise<LoadResult> {
    // Reading is synchronous; a failure must still arrive as a rejection, as the port promises.
    return new Promise((resolve) => {
      resolve(this.#loadNow(request));
    });
  }

  #loadNow(request: LoadRequest): LoadResult {
    this.#read ??= readAll(this.#options);
    const { objects, logs, listed } = this.#read;
    const wanted = new Set(request.kinds.map((kind) => kind.kind));
    // Kinds whose objects act on other namespaces (chaos experiments) are kept from every namespace.
    const everywhere = new Set(
      request.kinds.filter((kind) => kind.readAcrossNamespaces === true).map((kind) => kind.kind),
    );
    // Usage readings in a dump (`kubectl get podmetrics -A -o yaml`) are kept when usage is asked for.
    if (request.usage === true) wanted.add(POD_METRICS.kind);
    const inScope = (namespace: string | undefined): boolean =>
      request.namespace === undefined || namespace === undefined || namespace === request.namespace;
    const coverage = new Coverage();
    const kept: KubeObject[] = [];
    for (const object of objects) {
      if (!wanted.has(object.kind) && !(request.withConditions === true && hasStatusConditions(object)))
        continue;
      if (!inScope(object.metadata.namespace) && !everywhere.has(object.kind)) continue;
      kept.push(object);
      // Files say nothing about what was left out, so a kind counts as read where objects of it
      // were found (every namespace for cluster-scoped kinds), or where a dump listed it.
      coverage.add(object.kind, isNamespaced(object.kind) ? object.metadata.namespace : undefined);
    }
    for (const entry of listed) {
      const [kind = '', namespace = ''] = entry.split('/');
      if (wanted.has(kind)) coverage.add(kind, namespace === '' ? undefined : namespace);
    }
    const keptLogs = logs.filter((log) => inScope(log.namespace));
    const snapshot = new Snapshot({
      objects: kept,
      logs: keptLogs,
      coverage,
      capturedAt: capturedAt(objects),
    });
    return { snapshot, gaps: [] };
  }

  close(): void {
    // Nothing held open: files are read whole.
  }

  followEvents(): Promise<void> {
    return Promise.reject(
      new AppError('usage', '-w/--watch follows a live cluster; it cannot follow --from files'),
    );
  }
}

function readAll(options: FilesSourceOptions): ReadFiles {
  const objects: KubeObject[] = [];
  const logs: ContainerLog[] = [];
  const listed = new Set<string>();
  for (const path of options.paths) {
    if (path === '-') {
      const text = (options.readStdin ?? (() => readFileSync(0, 'utf8')))();
      addFile(text, '<stdin>', [], undefined);
      continue;
    }
    for (const file of filesUnder(path)) {
      addFile(readFileSync(file, 'utf8'), file, foldersNaming(path, file), dumpNamespaceOf(path, file));
    }
  }
  return { objects, logs, listed };

  function addFile(
    text: string,
    file: string,
    folders: readonly string[],
    dumpNamespace: string | undefined,
  ): void {
    const parsed = parseDocumentStream(text, file);
    const found = objectsFromDocuments(parsed.documents, file, folders);
    for (const object of found.objects) objects.push(withoutSecretValues(withCertificateFacts(object)));
    logs.push(...parsed.logs);
    for (const kind of found.listedKinds) {
      listed.add(`${kind}/${isNamespaced(kind) ? (dumpNamespace ?? '') : ''}`);
    }
  }
}

/** The files a path names: itself, or the object files and `logs.txt` files below a directory, sorted. */
function filesUnder(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new AppError('usage', `--from ${path}: no such file or directory`);
  }
  if (!stats.isDirectory()) return [path];
  const found: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (OBJECT_FILE.test(entry.name) || entry.name === 'logs.txt') found.push(full);
    }
  };
  walk(path);
  if (found.length === 0)
    throw new AppError('usage', `--from ${path}: the directory holds no .json, .yaml or logs.txt files`);
  return found;
}

/**
 * The folders that may name the kind of a kind-less object in `file`: the `--from` folder itself
 * (`--from bundle/deployments`) and those below it, never those above it (the user's own `~/deploy`).
 */
function foldersNaming(root: string, file: string): string[] {
  const rootFolder = file === root ? dirname(file) : root;
  const below = relative(rootFolder, dirname(file))
    .split(sep)
    .filter((folder) => folder !== '' && folder !== '..');
  return [basename(rootFolder), ...below];
}

/**
 * In a `cluster-info dump --output-directory` layout, `DIR/NS/pods.json` holds the pods of NS:
 * the directory names the namespace, so an empty list still tells that NS had none.
 */
function dumpNamespaceOf(root: string, file: string): string | undefined {
  const parts = relative(root, dirname(file)).split(sep);
  return parts.length === 1 && parts[0] !== '' && parts[0] !== '..' && basename(file) !== 'logs.txt'
    ? parts[0]
    : undefined;
}

/** The newest timestamp in the files: the moment the capture describes. */
function capturedAt(objects: readonly KubeObject[]): Date {
  let newest = Number.NEGATIVE_INFINITY;
  const consider = (time: string | undefined): void => {
    newest = Math.max(newest, timeMs(time) ?? Number.NEGATIVE_INFINITY);
  };
  for (const object of objects) {
    consider(object.metadata.creationTimestamp);
    if (object.kind === 'Event') consider(toEventRecord(object)?.lastSeen);
    const conditions = (
      object as { status?: { conditions?: { lastTransitionTime?: string; lastHeartbeatTime?: string }[] } }
    ).status?.conditions;
    for (const condition of Array.isArray(conditions) ? conditions : []) {
      consider(condition.lastTransitionTime);
      consider(condition.lastHeartbeatTime);
    }
  }
  return Number.isFinite(newest) ? new Date(newest) : new Date();
}
