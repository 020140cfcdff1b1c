import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { callerLog, callerPod, clusterService, readyPod } from '../../../test/support/callers.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { analyze } from '../analyze.js';
import { dnsPolicyClusterNames } from './dns-policy-cluster-names.js';

const at = new Date('2026-11-20T03:12:00Z');
const db = clusterService('db', 'data', [{ port: 5432 }]);
const withSpec = (pod: KubeObject, extra: object): KubeObject => ({
  ...pod,
  spec: { ...(pod['spec'] as object), ...extra },
});
const api = callerPod({
  env: [{ name: 'DATABASE_URL', value: 'postgres://app@db.data.svc.cluster.local:5432/app' }],
});

describe('dns-policy-cluster-names', () => {
  it('finds dnsPolicy Default under cluster names, critical when the logs show them failing to resolve', () => {
    const pod = withSpec(api, { dnsPolicy: 'Default' });
    // Go's resolver through the node's resolv.conf (test/fixtures/connection-errors: opencost-helm-chart#235).
    const log = callerLog(['dial tcp: lookup db.data.svc.cluster.local on 169.254.169.253:53: no such host']);
    const context = contextOf([pod, db, readyPod('db-0', 'data', 'db')], at, [log]);
    const [finding] = dnsPolicyClusterNames.detect(pod, context);
    expect(finding).toMatchObject({
      severity: 'critical',
      message:
        "dnsPolicy Default resolves names with the node's resolver, which does not know cluster names: db.data.svc.cluster.local will not resolve",
      fix: { summary: expect.stringContaining('set dnsPolicy to ClusterFirst') as unknown },
    });
    const { problems } = analyze(context.snapshot, context.graph);
    expect(problems[0]?.rootCause.ruleId).toBe('dns-policy-cluster-names');
  });

  it('finds a hostNetwork pod left at ClusterFirst, a warning without failing logs', () => {
    const pod = withSpec(api, { hostNetwork: true });
    const [finding] = dnsPolicyClusterNames.detect(pod, contextOf([pod, db], at));
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toContain('hostNetwork with dnsPolicy ClusterFirst');
    expect(finding?.fix?.summary).toContain('ClusterFirstWithHostNet');
  });

  it('is silent for ClusterFirst, ClusterFirstWithHostNet, or a pod that dials only IPs', () => {
    expect(dnsPolicyClusterNames.detect(api as never, contextOf([api, db], at))).toEqual([]);
    const hostNet = withSpec(api, { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
    expect(dnsPolicyClusterNames.detect(hostNet as never, contextOf([hostNet, db], at))).toEqual([]);
    const byIp = withSpec(callerPod({ env: [{ name: 'DB_ADDR', value: '10.96.0.20:5432' }] }), {
      dnsPolicy: 'Default',
    });
    const dbIp = clusterService('db', 'app', [{ port: 5432 }], '10.96.0.20');
    expect(dnsPolicyClusterNames.detect(byIp as never, contextOf([byIp, dbIp], at))).toEqual([]);
  });
});
