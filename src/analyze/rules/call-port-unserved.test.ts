import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { callerPod, clusterService } from '../../../test/support/callers.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { callPortUnserved } from './call-port-unserved.js';

const cache = clusterService('cache', 'app', [{ name: 'redis', port: 6379, targetPort: 6379 }]);
/** A Deployment whose template dials the cache on a port it does not serve, with no pods yet. */
const worker = (addr: string): KubeObject => ({
  kind: 'Deployment',
  metadata: { name: 'worker', namespace: 'app', uid: 'worker-uid' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'worker' } },
    template: {
      metadata: { labels: { app: 'worker' } },
      spec: {
        containers: [
          {
            name: 'worker',
            image: 'registry.example.com/worker:1.0.0',
            env: [{ name: 'REDIS_ADDR', value: addr }],
          },
        ],
      },
    },
  },
});

describe('call-port-unserved', () => {
  it('reports an address whose port the Service does not serve, naming the ports it does', () => {
    const object = worker('cache:6380');
    const [finding, ...others] = callPortUnserved.detect(object, contextOf([object, cache]));
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      resource: { kind: 'Deployment', name: 'worker' },
      message:
        'env:REDIS_ADDR dials Service/cache on port 6380, which the Service does not serve (it serves 6379 (redis))',
    });
  });

  it('accepts a port served by number or by name, a URL’s default port when served, and a headless Service’s target port', () => {
    for (const addr of ['cache:6379', 'redis://cache:6379/0', 'cache:redis']) {
      const object = worker(addr);
      expect(callPortUnserved.detect(object as never, contextOf([object, cache])), addr).toEqual([]);
    }
    const headless: KubeObject = {
      ...cache,
      spec: { selector: { app: 'cache' }, clusterIP: 'None', ports: [{ port: 80, targetPort: 6379 }] },
    };
    const object = worker('cache:6379');
    expect(callPortUnserved.detect(object as never, contextOf([object, headless]))).toEqual([]);
  });

  it('counts a URL’s implied port as dialled: http://api is port 80', () => {
    const api = clusterService('api', 'app', [{ name: 'http', port: 8080 }]);
    const pod = callerPod({ name: 'web-1', app: 'web', env: [{ name: 'API_URL', value: 'http://api/v1' }] });
    const [finding] = callPortUnserved.detect(pod, contextOf([pod, api]));
    expect(finding?.message).toBe(
      'env:API_URL dials Service/api on port 80, which the Service does not serve (it serves 8080 (http))',
    );
  });

  it('leaves a host:port under a key that is not an address alone (an image reference)', () => {
    const pod = callerPod({ name: 'web-1', env: [{ name: 'SIDECAR_IMAGE', value: 'cache:7' }] });
    expect(callPortUnserved.detect(pod as never, contextOf([pod, cache]))).toEqual([]);
  });
});
