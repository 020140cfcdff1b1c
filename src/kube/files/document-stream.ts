import { parseAllDocuments } from 'yaml';
import { AppError } from '../../core/errors.js';
import type { ContainerLog } from '../../core/snapshot.js';

/** A parsed top-level document and where it starts, for error messages. */
export interface Document {
  readonly value: unknown;
  readonly line: number;
}

/** What one file holds: documents and, for cluster-info dumps, container logs. */
export interface ParsedFile {
  readonly documents: readonly Document[];
  readonly logs: readonly ContainerLog[];
}

const LOG_START = /^==== START logs for container (\S+) of pod ([^/\s]+)\/(\S+) ====$/;

/**
 * Parses the text of a file as `kubectl` writes them: one JSON value, several JSON values one
 * after another with `==== START logs … ====` blocks between them (`kubectl cluster-info dump`),
 * or multi-document YAML. Malformed input throws one line naming the file, line and column.
 */
export function parseDocumentStream(text: string, file: string): ParsedFile {
  const start = skipSpace(text, 0);
  if (start >= text.length) return { documents: [], logs: [] };
  const first = text[start];
  if (first !== '{' && first !== '[' && !text.startsWith('==== START logs', start))
    return parseYaml(text, file);
  // The common case, one JSON value, goes straight to the native parser.
  if (first !== '=') {
    try {
      return { documents: [{ value: JSON.parse(text) as unknown, line: lineAt(text, start) }], logs: [] };
    } catch {
      // Several values, logs, or a real syntax error: the scanner below tells which, and where.
    }
  }
  return parseJsonStream(text, file);
}

function parseJsonStream(text: string, file: string): ParsedFile {
  const documents: Document[] = [];
  const logs: ContainerLog[] = [];
  let position = skipSpace(text, 0);
  while (position < text.length) {
    const char = text[position];
    if (char === '{' || char === '[') {
      const end = jsonValueEnd(text, position, file);
      const slice = text.slice(position, end);
      try {
        documents.push({ value: JSON.parse(slice) as unknown, line: lineAt(text, position) });
      } catch (error) {
        const offset = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
        const at = position + (offset === undefined ? 0 : Number(offset));
        throw malformed(file, text, at, `invalid JSON (${firstClause(error)})`);
      }
      position = end;
    } else if (text.startsWith('==== START logs', position)) {
      position = readLogBlock(text, position, file, logs);
    } else {
      throw malformed(
        file,
        text,
        position,
        `unexpected "${text.slice(position, position + 20).split('\n')[0] ?? ''}" between JSON documents`,
      );
    }
    position = skipSpace(text, position);
  }
  return { documents, logs };
}

/** Reads one log block; returns the position after its END marker. */
function readLogBlock(text: string, position: number, file: string, logs: ContainerLog[]): number {
  const lineEnd = indexOrEnd(text, '\n', position);
  const header = LOG_START.exec(text.slice(position, lineEnd).trimEnd());
  if (header === null)
    throw malformed(
      file,
      text,
      position,
      'a log header that is not "==== START logs for container C of pod NS/POD ===="',
    );
  const [, container = '', namespace = '', pod = ''] = header;
  const endMarker = `==== END logs for container ${container} of pod ${namespace}/${pod} ====`;
  const end = text.indexOf(endMarker, lineEnd);
  if (end < 0)
    throw malformed(
      file,
      text,
      position,
      `the log of ${namespace}/${pod} container ${container} has no END line`,
    );
  logs.push({
    namespace,
    pod,
    container,
    previous: false,
    text: text.slice(lineEnd + 1, end).replace(/\n$/, ''),
  });
  return end + endMarker.length;
}

/** The index just past the JSON value starting at `start`, found by matching brackets outside strings. */
function jsonValueEnd(text: string, start: number, file: string): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92 /* \ */) i++;
      else if (code === 34 /* " */) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 123 /* { */ || code === 91 /* [ */) depth++;
    else if (code === 125 /* } */ || code === 93 /* ] */) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw malformed(file, text, start, 'a JSON document that never closes (truncated file?)');
}

function parseYaml(text: string, file: string): ParsedFile {
  const documents: Document[] = [];
  for (const document of parseAllDocuments(text)) {
    const [error] = document.errors;
    if (error !== undefined) {
      const position = error.linePos?.[0];
      const where = position === undefined ? file : `${file}:${position.line}:${position.col}`;
      throw new AppError(
        'malformed-input',
        `${where}: invalid YAML (${error.message.split('\n')[0] ?? ''}); fix the file or pass a kubectl get -o json|yaml output`,
      );
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    // A document's range starts at its `---` marker; its first line is where its contents start.
    documents.push({ value, line: lineAt(text, document.contents?.range[0] ?? document.range[0]) });
  }
  return { documents, logs: [] };
}

/** An AppError saying where in which file the input went wrong. */
export function malformed(file: string, text: string, position: number, what: string): AppError {
  const line = lineAt(text, position);
  const column = position - text.lastIndexOf('\n', position - 1);
  return new AppError(
    'malformed-input',
    `${file}:${line}:${column}: ${what}; fix the file or pass a kubectl get -o json|yaml output`,
  );
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index >= 0 && index < position; index = text.indexOf('\n', index + 1))
    line++;
  return line;
}

function skipSpace(text: string, position: number): number {
  let index = position;
  while (index < text.length && /\s/.test(text[index] ?? '')) index++;
  return index;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index < 0 ? text.length : index;
}

function firstClause(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split(' in JSON')[0] ?? message).trim();
}
