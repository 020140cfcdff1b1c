import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { callerLog, callerPod, clusterService, readyPod } from '../../../test/support/callers.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { analyze } from '../analyze.js';
import { networkPolicyBlocksCallers } from './network-policy-blocks-callers.js';

const at = new Date('2026-11-20T03:12:00Z');
const db = clusterService('db', 'app', [{ name: 'postgres', port: 5432, targetPort: 5432 }], '10.96.0.20');
const dbPod = readyPod('db-0', 'app', 'db');
const api = callerPod({ env: [{ name: 'DB_HOST', value: 'db' }] });
/** A NetworkPolicy of `app` over the db pods (or `podSelector`), as `kubectl get -o yaml` shows one. */
const policy = (
  name: string,
  spec: object,
  podSelector: object = { matchLabels: { app: 'db' } },
): KubeObject => ({
  kind: 'NetworkPolicy',
  metadata: { name, namespace: 'app' },
  spec: { podSelector, ...spec },
});
const denyAll = policy('deny-all', { policyTypes: ['Ingress'], ingress: [] }, {});
// go's net wording for a dropped SYN: i/o timeout at the cluster IP.
const timeouts = callerLog([
  '2026-11-20T03:11:00Z level=error msg="ping" err="dial tcp 10.96.0.20:5432: i/o timeout"',
  '2026-11-20T03:11:40Z level=error msg="ping" err="dial tcp 10.96.0.20:5432: i/o timeout"',
]);

describe('network-policy-blocks-callers', () => {
  it('names a deny-all policy in front of a Service its callers time out on, and ranks their failure under it', () => {
    const context = contextOf([api, db, dbPod, denyAll], at, [timeouts]);
    const [finding, ...others] = networkPolicyBlocksCallers.detect(denyAll, context);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'critical',
      resource: { kind: 'NetworkPolicy', name: 'deny-all' },
      message: 'NetworkPolicy deny-all drops the traffic of 1 caller(s) of Service/db: it allows no ingress',
    });
    expect(finding?.fix?.summary).toContain('podSelector app=api');
    const { problems } = analyze(context.snapshot, context.graph);
    expect(problems[0]?.rootCause.ruleId).toBe('network-policy-blocks-callers');
    expect(problems[0]?.symptoms.map((f) => f.ruleId)).toContain('dependency-unreachable');
  });

  it('says so when the rules admit others but none of the callers; a warning while no log saw it fail', () => {
    const frontendOnly = policy('frontend-only', {
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 5432 }] }],
    });
    const [finding] = networkPolicyBlocksCallers.detect(
      frontendOnly,
      contextOf([api, db, dbPod, frontendOnly], at),
    );
    expect(finding).toMatchObject({
      severity: 'warning',
      message:
        'NetworkPolicy frontend-only drops the traffic of 1 caller(s) of Service/db: none of its ingress rules admits them',
    });
  });

  it('is silent when some policy admits the callers, or when admission turns on what was not read', () => {
    const admitting = policy('api-in', {
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { app: 'api' } } }],
          ports: [{ port: 'postgres' }, { port: 5432 }],
        },
      ],
    });
    const byBlock = policy('office', { ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] });
    const byNamespace = policy('team', {
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } } }] }],
    });
    // deny-all plus a policy that admits the caller: policies add up.
    expect(
      networkPolicyBlocksCallers.detect(
        denyAll as never,
        contextOf([api, db, dbPod, denyAll, admitting], at),
      ),
    ).toEqual([]);
    expect(
      networkPolicyBlocksCallers.detect(byBlock as never, contextOf([api, db, dbPod, byBlock], at)),
    ).toEqual([]);
    // No Namespace object read: its labels are unknown, so nothing is said.
    expect(
      networkPolicyBlocksCallers.detect(byNamespace as never, contextOf([api, db, dbPod, byNamespace], at)),
    ).toEqual([]);
    const labelled: KubeObject = { kind: 'Namespace', metadata: { name: 'app', labels: { team: 'shop' } } };
    expect(
      networkPolicyBlocksCallers.detect(
        byNamespace as never,
        contextOf([api, db, dbPod, byNamespace, labelled], at),
      ),
    ).toEqual([]);
  });

  it('finds an egress policy that keeps callers from the Service they dial', () => {
    const dnsOnly = policy(
      'egress-dns-only',
      { policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] },
      { matchLabels: { app: 'api' } },
    );
    const [finding] = networkPolicyBlocksCallers.detect(dnsOnly, contextOf([api, db, dbPod, dnsOnly], at));
    expect(finding?.message).toBe(
      'NetworkPolicy egress-dns-only keeps its pods from reaching Service/db, which they call: none of its egress rules admits them',
    );
  });
});
