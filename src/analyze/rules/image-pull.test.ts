import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { realdataItems } from '../../../test/support/realdata.js';
import { imagePull } from './image-pull.js';

describe('image-pull', () => {
  it('classifies the real x509 failure as TLS, quoting the kubelet’s Failed event', () => {
    const [pod] = realdataItems('pods/troubleshoot_errimagepull_podlist.json');
    const events = realdataItems(
      'events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json',
    ).map((event) => ({
      ...event,
      involvedObject: { ...(event.involvedObject as object), namespace: pod!.metadata.namespace },
    }));
    const [finding] = imagePull.detect(pod!, contextOf([pod!, ...events]));
    expect(finding).toMatchObject({
      ruleId: 'image-pull',
      severity: 'critical',
      message: 'image noimage.com/no-such-image cannot be pulled from noimage.com: TLS',
      fix: { summary: "trust the registry's CA on the nodes, or fix the registry's certificate" },
    });
    expect(finding?.evidence).toContainEqual({
      source: 'event',
      text: 'Failed to pull image "noimage.com/no-such-image": rpc error: code = Unknown desc = Error response from daemon: Get "https://noimage.com/v2/": x509: certificate is not valid for any names, but wanted to match noimage.com (x4)',
    });
  });

  const pod = (message: string, extra: object = {}): KubeObject => ({
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop' },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/shop/app:9.9' }], ...extra },
    status: {
      phase: 'Pending',
      containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ErrImagePull', message } } }],
    },
  });

  it('tells not found, unauthorized, rate-limited, DNS and timeouts apart', () => {
    const cause = (message: string): string | undefined =>
      imagePull
        .detect(pod(message), contextOf([pod(message)]))[0]
        ?.message.split(': ')
        .at(-1);
    expect(
      cause(
        'failed to pull and unpack image "registry.example.com/shop/app:9.9": failed to resolve reference "registry.example.com/shop/app:9.9": registry.example.com/shop/app:9.9: not found',
      ),
    ).toBe('not found');
    expect(
      cause(
        'failed to resolve reference "registry.example.com/shop/app:9.9": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
      ),
    ).toBe('unauthorized');
    expect(
      cause(
        'unexpected status from HEAD request to https://registry.example.com/v2/shop/app/manifests/9.9: 429 Too Many Requests',
      ),
    ).toBe('rate-limited');
    expect(cause('dial tcp: lookup registry.example.com on 10.96.0.10:53: no such host')).toBe('DNS');
    expect(cause('dial tcp 10.0.0.9:443: i/o timeout')).toBe('timeout');
  });

  it('names the pull Secrets an unauthorized pod relies on, and which are missing', () => {
    const failing = pod('pull access denied, repository does not exist or may require authorization', {
      imagePullSecrets: [{ name: 'regcred' }],
    });
    const [finding] = imagePull.detect(failing, contextOf([failing]));
    expect(finding?.evidence).toContainEqual({
      source: 'graph',
      text: 'pull Secret regcred (imagePullSecrets): missing',
    });
  });

  it('gives the command for each cause: roll back a missing tag, add pull credentials', () => {
    const owned = (message: string): KubeObject[] => [
      { kind: 'Deployment', metadata: { name: 'app', namespace: 'shop', uid: 'd' } },
      {
        kind: 'ReplicaSet',
        metadata: {
          name: 'app-5d9',
          namespace: 'shop',
          uid: 'r',
          ownerReferences: [{ kind: 'Deployment', name: 'app', uid: 'd', controller: true }],
        },
      },
      {
        ...pod(message, { serviceAccountName: 'app' }),
        metadata: {
          name: 'app-5d9-x',
          namespace: 'shop',
          ownerReferences: [{ kind: 'ReplicaSet', name: 'app-5d9', uid: 'r', controller: true }],
        },
      },
    ];
    const commands = (message: string): readonly string[] | undefined => {
      const objects = owned(message);
      return imagePull.detect(objects[2]!, contextOf(objects))[0]?.fix?.commands;
    };
    expect(commands('manifest unknown')).toEqual([
      'kubectl -n shop rollout undo deployment/app',
      'kubectl -n shop set image deployment/app app=registry.example.com/shop/app:EXISTING-TAG',
      'kubectl -n shop describe pod app-5d9-x',
    ]);
    expect(commands('401 Unauthorized')).toEqual([
      'kubectl -n shop create secret docker-registry regcred --docker-server=registry.example.com --docker-username=USER --docker-password=TOKEN',
      `kubectl -n shop patch serviceaccount app -p '{"imagePullSecrets":[{"name":"regcred"}]}'`,
      'kubectl -n shop describe pod app-5d9-x',
    ]);
  });
});
