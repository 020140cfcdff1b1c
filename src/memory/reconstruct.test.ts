import { describe, expect, it } from 'vitest';
import type { Change } from '../core/change.js';
import type { KubeObject } from '../core/kube-object.js';
import type { StoredChange } from '../store/memory-store.js';
import { diffObjects } from './field-diff.js';
import { makeChange } from './make-change.js';
import { applyChange, reconstructAt } from './reconstruct.js';
import { copy, getIn, realDeployment, realPod, setIn } from '../../test/support/memory-fixtures.js';

type Edit = (object: KubeObject) => void;

/** Applying the recorded diff of `edit` to `before` gives `after`, as the diff sees objects. */
function roundTrip(before: KubeObject, edit: Edit): { after: KubeObject; rebuilt: KubeObject | undefined } {
  const after = copy(before);
  edit(after);
  const fields = diffObjects(before, after);
  expect(fields.length).toBeGreaterThan(0);
  const rebuilt = applyChange(before, {
    action: 'modified',
    fields,
    object: { kind: before.kind, name: before.metadata.name },
  });
  return { after, rebuilt };
}

const CONTAINER = ['spec', 'template', 'spec', 'containers', 0];
const list = (object: unknown, path: readonly (string | number)[]): unknown[] =>
  getIn(object, path) as unknown[];

describe('applyChange', () => {
  const coredns = realDeployment('coredns');
  const edits: [string, Edit][] = [
    ['an image bump', (d) => setIn(d, [...CONTAINER, 'image'], 'registry.k8s.io/coredns/coredns:v1.11.1')],
    ['an env var added', (d) => setIn(d, [...CONTAINER, 'env'], [{ name: 'GODEBUG', value: 'netdns=go' }])],
    [
      'a container added',
      (d) =>
        list(d, CONTAINER.slice(0, -1)).push({
          name: 'sidecar',
          image: 'busybox:1.36',
          args: ['sleep', 'infinity'],
        }),
    ],
    [
      'a volumeMount changed and a new one',
      (d) => {
        setIn(d, [...CONTAINER, 'volumeMounts', 0, 'readOnly'], false);
        list(d, [...CONTAINER, 'volumeMounts']).push({ name: 'tmp', mountPath: '/tmp' });
      },
    ],
    [
      'labels with dotted keys',
      (d) => {
        setIn(d, ['metadata', 'labels', 'app.kubernetes.io/version'], '1.11');
        setIn(d, ['metadata', 'labels', 'k8s-app'], undefined);
      },
    ],
    ['a scale', (d) => setIn(d, ['spec', 'replicas'], 5)],
    [
      'tolerations replaced',
      (d) =>
        setIn(
          d,
          ['spec', 'template', 'spec', 'tolerations'],
          [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        ),
    ],
    [
      'a long positional list',
      (d) =>
        setIn(
          d,
          [...CONTAINER, 'args'],
          ['-conf', ...Array.from({ length: 40 }, (_, i) => `-x${String(i)}`)],
        ),
    ],
  ];
  for (const [what, edit] of edits) {
    it(`rebuilds ${what} from the recorded fields`, () => {
      const { after, rebuilt } = roundTrip(coredns, edit);
      expect(diffObjects(rebuilt, after)).toEqual([]);
    });
  }

  it('shortens a list of more than 32 scalars kept by position', () => {
    const long = setIn(
      copy(coredns),
      [...CONTAINER, 'args'],
      Array.from({ length: 40 }, (_, i) => `-x${String(i)}`),
    );
    const shorter = Array.from({ length: 35 }, (_, i) => `-x${String(i)}`);
    const { rebuilt } = roundTrip(long, (d) => setIn(d, [...CONTAINER, 'args'], shorter));
    expect(getIn(rebuilt, [...CONTAINER, 'args'])).toEqual(shorter);
  });

  it('rebuilds a real pod from its creation, and a status change of it', () => {
    const pod = realPod('troubleshoot_crashloop-exit127-containercannotrun_podlist.json');
    const created = applyChange(undefined, {
      action: 'added',
      fields: diffObjects(undefined, pod),
      object: { kind: 'Pod', name: pod.metadata.name },
    });
    expect(diffObjects(created, pod)).toEqual([]);
    const { after, rebuilt } = roundTrip(pod, (p) => {
      setIn(p, ['status', 'containerStatuses', 0, 'restartCount'], 9);
      const conditions = list(p, ['status', 'conditions']) as { type: string }[];
      setIn(
        p,
        ['status', 'conditions'],
        conditions.filter((c) => c.type !== 'Ready'),
      );
    });
    expect(diffObjects(rebuilt, after)).toEqual([]);
  });

  it('keeps a ConfigMap key named __proto__ as data, and a deletion leaves nothing', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'n' },
      data: { a: '1' },
    };
    const { rebuilt } = roundTrip(cm, (c) =>
      Object.defineProperty(c['data'], '__proto__', { value: 'x', enumerable: true }),
    );
    expect(Object.getOwnPropertyDescriptor(getIn(rebuilt, ['data']), '__proto__')?.value).toBe('x');
    expect(Object.prototype).not.toHaveProperty('x');
    expect(
      applyChange(cm, { action: 'deleted', fields: [], object: { kind: 'ConfigMap', name: 'c' } }),
    ).toBeUndefined();
  });
});

describe('reconstructAt', () => {
  const T0 = Date.parse('2026-11-20T03:00:00Z');
  const iso = (s: number): string => new Date(T0 + s * 1000).toISOString();
  const cm = (value: string, uid = 'cm-1', rv = '1'): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'api-config', namespace: 'shop', uid, resourceVersion: rv },
    data: { CACHE_SIZE: value },
  });
  let id = 0;
  const stored = (change: Change | undefined): StoredChange => ({ ...change!, id: ++id });
  const changes = [
    stored(makeChange({ at: iso(10), before: cm('512Mi'), after: cm('lots', 'cm-1', '2') })),
    stored(makeChange({ at: iso(20), before: cm('lots', 'cm-1', '2'), resourceVersion: '3' })),
    stored(makeChange({ at: iso(30), after: cm('1Gi', 'cm-2', '4') })),
  ];
  const checkpoints = [{ atMs: T0, object: cm('512Mi') }];
  const at = (s: number): unknown[] =>
    reconstructAt({ checkpoints, changes, atMs: T0 + s * 1000 }).map((o) => [
      o.metadata.uid,
      o.metadata.resourceVersion,
      (o as { data?: object }).data,
    ]);

  it('gives each moment its own state: as checkpointed, edited, deleted, re-created', () => {
    expect(at(5)).toEqual([['cm-1', '1', { CACHE_SIZE: '512Mi' }]]);
    expect(at(10)).toEqual([['cm-1', '2', { CACHE_SIZE: 'lots' }]]);
    expect(at(25)).toEqual([]);
    expect(at(35)).toEqual([['cm-2', '4', { CACHE_SIZE: '1Gi' }]]);
    expect(reconstructAt({ checkpoints, changes, atMs: T0 - 1 })).toEqual([]);
  });

  it('does not apply again what a later checkpoint already holds', () => {
    const later = [{ atMs: T0 + 15_000, object: cm('lots', 'cm-1', '2') }];
    expect(
      reconstructAt({ checkpoints: later, changes: changes.slice(0, 1), atMs: T0 + 16_000 }).map(
        (o) => o.metadata.resourceVersion,
      ),
    ).toEqual(['2']);
  });
});
