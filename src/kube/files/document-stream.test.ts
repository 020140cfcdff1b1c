import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { parseDocumentStream } from './document-stream.js';

const errorOf = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('parseDocumentStream', () => {
  it('parses one JSON value', () => {
    expect(parseDocumentStream('\n{"kind":"Pod","metadata":{"name":"a"}}\n', 'a.json')).toEqual({
      documents: [{ value: { kind: 'Pod', metadata: { name: 'a' } }, line: 2 }],
      logs: [],
    });
  });

  it('parses the stdout of kubectl cluster-info dump: JSON lists one after another, with log blocks', () => {
    const text = [
      '{',
      '    "kind": "NodeList",',
      '    "items": []',
      '}',
      '{',
      '    "kind": "PodList",',
      '    "items": [{"metadata": {"name": "api-0", "namespace": "shop"}, "note": "braces } in { strings"}]',
      '}',
      '==== START logs for container api of pod shop/api-0 ====',
      'starting',
      'panic: invalid CACHE_SIZE "unlimited"',
      '==== END logs for container api of pod shop/api-0 ====',
      // The END marker may follow the last log line directly when the log lacks a final newline.
      '==== START logs for container sidecar of pod shop/api-0 ====',
      'no newline at the end==== END logs for container sidecar of pod shop/api-0 ====',
      '{"kind": "EventList", "items": []}',
      '',
    ].join('\n');
    const parsed = parseDocumentStream(text, 'dump.txt');
    expect(parsed.documents.map((d) => [(d.value as { kind: string }).kind, d.line])).toEqual([
      ['NodeList', 1],
      ['PodList', 5],
      ['EventList', 15],
    ]);
    expect(parsed.logs).toEqual([
      {
        namespace: 'shop',
        pod: 'api-0',
        container: 'api',
        previous: false,
        text: 'starting\npanic: invalid CACHE_SIZE "unlimited"',
      },
      {
        namespace: 'shop',
        pod: 'api-0',
        container: 'sidecar',
        previous: false,
        text: 'no newline at the end',
      },
    ]);
  });

  it('parses multi-document YAML, skipping empty documents', () => {
    const text = 'kind: ConfigMap\nmetadata:\n  name: a\n---\n---\nkind: Secret\nmetadata:\n  name: b\n';
    expect(parseDocumentStream(text, 'a.yaml')).toEqual({
      documents: [
        { value: { kind: 'ConfigMap', metadata: { name: 'a' } }, line: 1 },
        { value: { kind: 'Secret', metadata: { name: 'b' } }, line: 6 },
      ],
      logs: [],
    });
  });

  it('returns nothing for an empty file', () => {
    expect(parseDocumentStream('  \n', 'empty.json')).toEqual({ documents: [], logs: [] });
  });

  it('names file, line and column of a JSON syntax error', () => {
    const error = errorOf(() =>
      parseDocumentStream('{"kind": "PodList",\n "items": [\n  {"a": 1,}\n ]}\n', 'pods.json'),
    );
    expect(error.code).toBe('malformed-input');
    expect(error.message).toMatch(/^pods\.json:3:11: invalid JSON \(/);
  });

  it('names a truncated document and garbage between documents', () => {
    expect(errorOf(() => parseDocumentStream('{"kind": "List",\n"items": [\n', 'cut.json')).message).toBe(
      'cut.json:1:1: a JSON document that never closes (truncated file?); fix the file or pass a kubectl get -o json|yaml output',
    );
    expect(
      errorOf(() =>
        parseDocumentStream('{"kind":"List","items":[]}\nError from server (Forbidden)\n', 'x.json'),
      ).message,
    ).toBe(
      'x.json:2:1: unexpected "Error from server (F" between JSON documents; fix the file or pass a kubectl get -o json|yaml output',
    );
    expect(
      errorOf(() => parseDocumentStream('==== START logs for container a of pod ns/p ====\nlog\n', 'd.txt'))
        .message,
    ).toBe(
      'd.txt:1:1: the log of ns/p container a has no END line; fix the file or pass a kubectl get -o json|yaml output',
    );
  });

  it('names the line and column of a YAML error', () => {
    const error = errorOf(() => parseDocumentStream('kind: Pod\nmetadata:\n  name: [a\n', 'pod.yaml'));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toMatch(/^pod\.yaml:4:1: invalid YAML \(/);
  });
});
