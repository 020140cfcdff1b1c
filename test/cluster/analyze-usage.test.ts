/**
 * The out-of-memory analysis with and without a Metrics API on the real control plane: S2's
 * worker is OOM-killed again and again with a 64Mi limit. Without metrics-server, analyze says the
 * usage is unknown (a data gap) and derives the new limit from the old one; with metrics-server
 * (real, behind the aggregator, scraping the kubelet metrics KWOK plays) it quotes what the
 * container uses now against its limit, for the admin and for the read-only user alike.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../e2e/run-cli.ts';
import { connectCluster } from './harness.ts';
import { startMetricsServer, waitPodMetrics, type MetricsServer } from './metrics-server.ts';
import { scene02 } from './scenes/index.ts';
import { waitPods } from './scenes/util.ts';

interface AnalysisJson {
  problems: {
    rootCause: {
      ruleId: string;
      message: string;
      evidence: { source: string; text: string }[];
      fix?: { summary: string; commands?: string[] };
    };
  }[];
  gaps: { resource: string; reason: string; message: string; check: string }[];
}

const cluster = connectCluster();
const ns = 'usage-s2';
let worker = '';

async function analyzeJson(kubeconfig: string): Promise<AnalysisJson> {
  const result = await runCli(
    ['analyze', 'deployment/worker', '-n', ns, '-o', 'json', '--kubeconfig', kubeconfig],
    {
      env: { NO_COLOR: '1' },
    },
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as AnalysisJson;
}

beforeAll(async () => {
  await scene02(cluster, ns);
  const [pod] = await waitPods(cluster.admin, ns, 'app=worker', () => true, 'the worker pod');
  worker = pod?.metadata.name ?? '';
}, 120_000);

describe('out-of-memory usage from the Metrics API', () => {
  test('without metrics-server: usage unknown, one data gap saying so, the limit derived from the old one', async () => {
    const analysis = await analyzeJson(cluster.kubeconfigAdmin);
    const root = analysis.problems[0]?.rootCause;
    expect(root?.ruleId).toBe('out-of-memory');
    expect(root?.evidence.map((e) => e.source)).not.toContain('metrics');
    expect(root?.fix?.summary).toContain('which is unknown (no usage figures were read)');
    expect(root?.fix?.summary).toContain(
      '96Mi is only 1.5× the current limit, a first step, not a measured figure',
    );
    expect(analysis.gaps).toContainEqual({
      resource: 'pods.metrics.k8s.io',
      namespace: ns,
      reason: 'not-served',
      message:
        'the Metrics API is not served (no metrics-server): what OOM-killed containers use now is unknown',
      check: 'kubectl get apiservice v1beta1.metrics.k8s.io',
    });
  });

  describe('with metrics-server', () => {
    let metrics: MetricsServer | undefined;
    beforeAll(async () => {
      metrics = await startMetricsServer(cluster);
      await waitPodMetrics(cluster, ns, worker);
    }, 180_000);
    afterAll(async () => {
      await metrics?.stop();
    });

    test.for([
      ['admin', cluster.kubeconfigAdmin],
      ['read-only', cluster.kubeconfigReadOnly],
    ])(
      'the %s user sees what the container uses now against its limit, and a limit derived from both',
      async ([, kubeconfig]) => {
        const analysis = await analyzeJson(kubeconfig ?? '');
        const root = analysis.problems[0]?.rootCause;
        expect(root?.ruleId).toBe('out-of-memory');
        expect(root?.message).toMatch(
          /^container worker is killed for using more memory than its limit \(64Mi\), \d+ restarts, using 60Mi \(94%\) now$/,
        );
        const usage = root?.evidence.find((e) => e.source === 'metrics');
        expect(usage?.text).toMatch(
          /^container worker uses 60Mi of memory now \(94% of its 64Mi limit\), measured at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
        );
        expect(root?.fix?.summary).toBe(
          'raise the memory limit above what it uses: it uses 60Mi now and went past the limit when killed; 96Mi is 1.5× the limit',
        );
        expect(root?.fix?.commands).toEqual([
          `kubectl -n ${ns} set resources deployment/worker -c worker --limits=memory=96Mi`,
        ]);
        expect(analysis.gaps.filter((gap) => gap.resource.includes('metrics'))).toEqual([]);

        // The text a person reads quotes the reading under EVIDENCE.
        const text = await runCli(
          ['analyze', 'deployment/worker', '-n', ns, '--kubeconfig', kubeconfig ?? ''],
          {
            env: { NO_COLOR: '1' },
          },
        );
        expect(text.stdout).toContain('uses 60Mi of memory now (94% of its 64Mi limit)');
      },
    );
  });
});
