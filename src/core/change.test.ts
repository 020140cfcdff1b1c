import { describe, expect, it } from 'vitest';
import { formatFieldPath, parseFieldPath, type FieldPathSegment } from './change.js';

const cases: readonly (readonly [string, readonly FieldPathSegment[]])[] = [
  ['spec.replicas', [{ key: 'spec' }, { key: 'replicas' }]],
  [
    'spec.template.spec.containers[api].image',
    [
      { key: 'spec' },
      { key: 'template' },
      { key: 'spec' },
      { key: 'containers' },
      { item: 'api' },
      { key: 'image' },
    ],
  ],
  ['data.CACHE_SIZE', [{ key: 'data' }, { key: 'CACHE_SIZE' }]],
  ['metadata.labels.app', [{ key: 'metadata' }, { key: 'labels' }, { key: 'app' }]],
  [
    'metadata.labels["app.kubernetes.io/name"]',
    [{ key: 'metadata' }, { key: 'labels' }, { key: 'app.kubernetes.io/name' }],
  ],
  ['data["nginx.conf"]', [{ key: 'data' }, { key: 'nginx.conf' }]],
  ['spec.containers[api].args', [{ key: 'spec' }, { key: 'containers' }, { item: 'api' }, { key: 'args' }]],
  [
    'spec.containers[api].volumeMounts[/etc/config].readOnly',
    [
      { key: 'spec' },
      { key: 'containers' },
      { item: 'api' },
      { key: 'volumeMounts' },
      { item: '/etc/config' },
      { key: 'readOnly' },
    ],
  ],
  [
    'spec.taints[node.kubernetes.io/unreachable:NoExecute]',
    [{ key: 'spec' }, { key: 'taints' }, { item: 'node.kubernetes.io/unreachable:NoExecute' }],
  ],
  [
    'spec.metrics[0].resource.name',
    [{ key: 'spec' }, { key: 'metrics' }, { index: 0 }, { key: 'resource' }, { key: 'name' }],
  ],
  ['spec.ports[8080/TCP]', [{ key: 'spec' }, { key: 'ports' }, { item: '8080/TCP' }]],
  // Identities that would read as positions or as quoted keys are written with `=`.
  ['spec.containers[="0"].image', [{ key: 'spec' }, { key: 'containers' }, { item: '0' }, { key: 'image' }]],
  ['spec.env[="a]b"]', [{ key: 'spec' }, { key: 'env' }, { item: 'a]b' }]],
  ['["odd key"].x', [{ key: 'odd key' }, { key: 'x' }]],
];

describe('field paths', () => {
  it.each(cases)('%s reads back as it was written', (path, segments) => {
    expect(formatFieldPath(segments)).toBe(path);
    expect(parseFieldPath(path)).toEqual(segments);
  });

  it('refuses what is not a path', () => {
    for (const bad of [
      'spec..replicas',
      'spec[',
      'spec[]',
      'spec["unterminated]',
      'spec["a"',
      'a b',
      'spec.x]',
    ])
      expect(parseFieldPath(bad), bad).toBeUndefined();
  });
});
