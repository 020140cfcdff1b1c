/**
 * One answer per state, on the real control plane (DESIGN.md §7.12): each scene is analysed 20 times
 * at moments spread across its crash loop's cycle — the container waiting out its back-off, running
 * again between crashes, and just exited — chosen by the pod's observed state, not by sleeps of a
 * fixed length. Every analysis must give the same first root cause (rule and object) and the same
 * problems with the same severities.
 *
 * KWOK's crash stages go straight from running to CrashLoopBackOff; the kubelet shows the exited
 * container for a moment in between. The test plays that moment itself: it writes the terminated
 * state as the kubelet would (guarded by the pod's resourceVersion, so a KWOK step in between wins)
 * and analyses; KWOK's `exited` stages (faults.ts) then put the container in CrashLoopBackOff.
 */
import { describe, expect, test } from 'vitest';
import type { Problem } from '../../src/analyze/problem.js';
import { refKey } from '../../src/core/resource-ref.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import { createHttpTransport } from '../../src/kube/live/http-transport.js';
import { loadKubeConfig } from '../../src/kube/live/kubeconfig.js';
import { LiveSource } from '../../src/kube/live/live-source.js';
import { connectCluster, type ClusterHandle } from './harness.ts';
import { scene01, scene02, scene07, scene08, sceneInitCrashLoop, type SceneBuilder } from './scenes/index.ts';
import { cstatus, objectPath, pods, sleep, waitFor, type PodObj } from './scenes/util.ts';

const SAMPLES = 20;

/** Where the sampled container stands in its loop when an analysis starts. */
type Moment = 'backing-off' | 'running' | 'exited' | 'steady';
const CYCLE: readonly Moment[] = ['backing-off', 'running', 'exited'];

interface Case {
  readonly id: string;
  readonly build: SceneBuilder;
  readonly app: string;
  /** The crash-looping container is an init container. */
  readonly init?: boolean;
  /** Pending pods: no loop, the moments are spread in time only. */
  readonly steady?: boolean;
  /** The first root cause: its rule, the object it is found on, and the object to change (`Kind/name`). */
  readonly first: {
    readonly ruleId: string;
    readonly kind: string;
    readonly name: string;
    readonly object: string;
  };
  /** Longest the scene's container runs and backs off: the random wait inside a moment stays below. */
  readonly runMs: number;
  readonly backoffMs: number;
}

const CASES: readonly Case[] = [
  {
    id: 's1',
    build: scene01,
    app: 'api',
    // Its log names CACHE_SIZE, a key of the ConfigMap the container takes its environment from.
    first: { ruleId: 'crash-loop', kind: 'Pod', name: 'api-', object: 'ConfigMap/api-config' },
    runMs: 500,
    backoffMs: 2000,
  },
  {
    id: 'init',
    build: sceneInitCrashLoop,
    app: 'api',
    init: true,
    first: { ruleId: 'crash-loop', kind: 'Pod', name: 'api-', object: 'Deployment/api' },
    runMs: 1000,
    backoffMs: 2000,
  },
  {
    id: 's2',
    build: scene02,
    app: 'worker',
    first: { ruleId: 'out-of-memory', kind: 'Pod', name: 'worker-', object: 'Deployment/worker' },
    runMs: 500,
    backoffMs: 1500,
  },
  {
    id: 's7',
    build: scene07,
    app: 'batch',
    steady: true,
    first: { ruleId: 'pending-unschedulable', kind: 'Pod', name: 'batch-', object: 'Deployment/batch' },
    runMs: 0,
    backoffMs: 1000,
  },
  {
    id: 's8',
    build: scene08,
    app: 'trainer',
    steady: true,
    first: { ruleId: 'pending-unschedulable', kind: 'Pod', name: 'trainer-', object: 'Deployment/trainer' },
    runMs: 0,
    backoffMs: 1000,
  },
];

/**
 * What must be the same at every moment: each problem's root (rule, object, severity), its
 * severity, and the object to change.
 */
function answerOf(problems: readonly Problem[]): string[] {
  return problems.map(
    (p) =>
      `${p.rootCause.ruleId} ${refKey(p.rootCause.resource)} ${p.rootCause.severity} (problem ${String(p.score.severity)}) → ${p.object}`,
  );
}

/** The moment a container status shows, as far as the loop goes. */
function momentOf(pod: PodObj, init: boolean): Moment | undefined {
  const status = cstatus(pod, init);
  if (status?.state?.waiting?.reason === 'CrashLoopBackOff') return 'backing-off';
  if (status?.state?.running !== undefined && status.lastState?.terminated !== undefined) return 'running';
  if (status?.state?.terminated !== undefined) return 'exited';
  return undefined;
}

/** The pod the answer is about: the first of the app's live pods by name (siblings are grouped under it). */
async function loopingPod(cluster: ClusterHandle, ns: string, c: Case): Promise<PodObj> {
  return waitFor(`a looping ${c.app} pod`, async () => {
    const live = (await pods(cluster.admin, ns, `app=${c.app}`))
      .filter((p) => p.metadata.deletionTimestamp === undefined && momentOf(p, c.init ?? false) !== undefined)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    return live[0];
  });
}

/**
 * The kubelet's moment between a crash and its back-off: the running container exits (OOM-killed
 * or with the scene's error), guarded by resourceVersion so a KWOK step in between wins.
 */
function exitedStatus(pod: PodObj, init: boolean, oom: boolean): Record<string, unknown> | undefined {
  const key = init ? 'initContainerStatuses' : 'containerStatuses';
  const statuses = (init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? [];
  const [first, ...rest] = statuses;
  const running = first?.state?.running;
  if (first === undefined || running === undefined) return undefined;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const exited = {
    ...first,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode: oom ? 137 : 1,
        reason: oom ? 'OOMKilled' : 'Error',
        startedAt: running.startedAt,
        finishedAt: now,
        ...(first.containerID === undefined ? {} : { containerID: first.containerID }),
      },
    },
  };
  return {
    metadata: { resourceVersion: pod.metadata.resourceVersion },
    status: { [key]: [exited, ...rest] },
  };
}

async function patchStatus(
  cluster: ClusterHandle,
  pod: PodObj,
  body: Record<string, unknown>,
): Promise<boolean> {
  const path = `${objectPath('Pod', pod.metadata.name, pod.metadata.namespace)}/status`;
  const r = await cluster.admin.request('PATCH', path, body, { contentType: 'application/merge-patch+json' });
  if (r.status === 409) return false;
  if (r.status !== 200)
    throw new Error(`patch status of ${pod.metadata.name}: ${String(r.status)} ${r.text}`);
  return true;
}

describe.concurrent('one answer per state on the real control plane', () => {
  test.for(CASES)(
    '$id: 20 analyses across the loop give the same answer',
    { timeout: 240_000 },
    async (c) => {
      const cluster = connectCluster();
      const ns = `determinism-${c.id}`;
      await c.build(cluster, ns);
      const transport = await createHttpTransport(loadKubeConfig({ kubeconfig: cluster.kubeconfigAdmin }), {
        timeoutMs: 30_000,
        maxSockets: 8,
      });
      const source = new LiveSource({ transport, defaultNamespace: ns, concurrency: 6 });
      // What the crash-loop findings' evidence says the reads caught (CrashLoopBackOff, running
      // again, just exited): the analyses must have seen more than one moment of the loop.
      const caught = new Set<string>();
      const analyse = async (): Promise<string[]> => {
        const { problems } = await diagnose({ source, namespace: ns, tailLines: 20 });
        for (const item of problems[0]?.rootCause.evidence ?? []) {
          const moment = /^(?:init )?container \S+: ([^,]+),/.exec(item.text)?.[1];
          if (problems[0]?.rootCause.ruleId === 'crash-loop' && moment !== undefined) caught.add(moment);
        }
        return answerOf(problems);
      };
      const answers: { moment: Moment; answer: string[] }[] = [];
      try {
        for (let i = 0; i < SAMPLES; i++) {
          const wanted: Moment = c.steady === true ? 'steady' : (CYCLE[i % CYCLE.length] ?? 'running');
          if (wanted === 'steady') {
            await sleep(Math.random() * c.backoffMs);
            answers.push({ moment: wanted, answer: await analyse() });
            continue;
          }
          const init = c.init ?? false;
          // Wait for the moment (the exited one: for the running one, to end it), then a random
          // part of it.
          let seen: PodObj | undefined;
          const pod = await waitFor(
            `${c.app} ${wanted === 'exited' ? 'running' : wanted}`,
            async () => {
              seen = await loopingPod(cluster, ns, c);
              return momentOf(seen, init) === (wanted === 'exited' ? 'running' : wanted) ? seen : undefined;
            },
            60_000,
            50,
          ).catch((error: unknown) => {
            throw new Error(`${String(error)}; the pod's status: ${JSON.stringify(seen?.status)}`);
          });
          if (wanted === 'exited') {
            const exited = exitedStatus(pod, init, c.first.ruleId === 'out-of-memory');
            if (exited === undefined || !(await patchStatus(cluster, pod, exited))) {
              i--; // KWOK moved first: try again at the next running moment.
              continue;
            }
            // KWOK's exited stages put it in CrashLoopBackOff after a moment, as the kubelet does.
            answers.push({ moment: wanted, answer: await analyse() });
            continue;
          }
          await sleep(Math.random() * (wanted === 'running' ? c.runMs / 2 : c.backoffMs / 2));
          answers.push({ moment: wanted, answer: await analyse() });
        }
      } finally {
        transport.close();
      }
      const [first] = answers;
      expect(first?.answer[0]).toMatch(
        new RegExp(
          `^${c.first.ruleId} ${c.first.kind}/${ns}/${c.first.name}\\S+ critical \\(problem 3\\) → ${ns}/${c.first.object}$`,
        ),
      );
      // Every analysis, at every moment, gives the first one's answer.
      for (const [i, other] of answers.entries())
        expect(other.answer, `analysis ${String(i + 1)}, ${other.moment}`).toEqual(first?.answer);
      if (c.steady !== true) expect(new Set(answers.map((a) => a.moment))).toEqual(new Set(CYCLE));
      if (c.first.ruleId === 'crash-loop') expect(caught.size, [...caught].join('; ')).toBeGreaterThan(1);
    },
  );
});
