/**
 * `analyze --from` a dump that holds a chaos experiment: the files source reads the experiment
 * like any kind an analysis reads, the graph puts it upstream of the pods it faults, and the
 * experiment, not the crash loops it causes, is the root cause. Paused, it is no cause at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/kube-object.js';
import { chaosManifest, crashLoopStatus, deploymentWithPods } from '../support/chaos-fixtures.js';
import { runCli } from './run-cli.js';

interface Ref {
  kind: string;
  namespace?: string;
  name: string;
}
interface Problem {
  rootCause: { ruleId: string; resource: Ref; message: string };
  chain: Ref[];
  symptoms: { ruleId: string; resource: Ref }[];
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A dump as `kubectl get -o yaml` and `-o json` write it: the experiment in YAML, the rest as a List. */
function dump(paused: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'smart-chaos-'));
  dirs.push(dir);
  const experiment = chaosManifest('chaos-mesh_pod-failure-example.yaml', 'tidb', (object) => {
    object['spec'] = { ...(object['spec'] as object), mode: 'all', duration: '2h' };
    if (paused)
      (object.metadata as { annotations?: object }).annotations = {
        'experiment.chaos-mesh.org/pause': 'true',
      };
  });
  const unrelated = deploymentWithPods(
    'tidb',
    'pd',
    { 'app.kubernetes.io/component': 'pd' },
    () => ({
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 0,
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message: 'Back-off pulling image "registry.example.com/pd:1.0"',
            },
          },
        },
      ],
    }),
    1,
  );
  const objects: KubeObject[] = [
    ...deploymentWithPods('tidb', 'tikv', { 'app.kubernetes.io/component': 'tikv' }, () => crashLoopStatus()),
    ...unrelated,
  ];
  writeFileSync(join(dir, 'podchaos.yaml'), stringify(experiment));
  writeFileSync(
    join(dir, 'objects.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  );
  return dir;
}

async function problems(args: readonly string[]): Promise<Problem[]> {
  const result = await runCli(['analyze', ...args, '-o', 'json']);
  expect(result.stderr).toBe('');
  return (JSON.parse(result.stdout) as { problems: Problem[] }).problems;
}

describe('analyze --from a dump with a chaos experiment', () => {
  it('names the active experiment as the first root cause, the crash-looping pods under it', async () => {
    const from = dump(false);
    for (const args of [
      ['-n', 'tidb', '--from', from],
      ['-A', '--from', from],
      ['deploy/tikv', '-n', 'tidb', '--from', from],
    ]) {
      const [first] = await problems(args);
      expect(first?.rootCause.ruleId, args.join(' ')).toBe('chaos-experiment');
      expect(first?.rootCause.resource).toEqual({
        kind: 'PodChaos',
        namespace: 'tidb',
        name: 'pod-failure-example',
      });
      expect(first?.chain.at(-1)?.kind).toBe('PodChaos');
      expect(first?.symptoms.filter((s) => s.ruleId === 'crash-loop')).toHaveLength(3);
    }
  });

  it('shows the experiment upstream of a pod in deps', async () => {
    const from = dump(false);
    const deps = await runCli(['deps', 'pod/tikv-7d9f8c6b5-a0x9q', '-n', 'tidb', '--from', from], {
      env: { NO_COLOR: '1' },
    });
    expect(deps.stdout).toBe(
      [
        'Pod/tikv-7d9f8c6b5-a0x9q  failing (CrashLoopBackOff)',
        '├── runs-on → Node/worker-1  unknown (not read)',
        '└── disrupted-by → PodChaos/pod-failure-example  degraded (injecting PodChaos pod-failure (3 targets))',
        '',
      ].join('\n'),
    );
  });

  it('does not blame a paused experiment: the crash loops are the causes', async () => {
    const found = await problems(['-n', 'tidb', '--from', dump(true)]);
    expect(found.map((p) => p.rootCause.ruleId)).not.toContain('chaos-experiment');
    expect(found.map((p) => p.rootCause.ruleId)).toContain('crash-loop');
  });
});
