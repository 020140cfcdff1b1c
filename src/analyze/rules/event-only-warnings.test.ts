import { describe, expect, it } from 'vitest';
import { Coverage } from '../../core/coverage.js';
import type { KubeObject } from '../../core/kube-object.js';
import { Snapshot } from '../../core/snapshot.js';
import { buildGraph } from '../../graph/build-graph.js';
import { realdataItems } from '../../../test/support/realdata.js';
import { runRules, type AnalyzerContext } from '../rule.js';
import { eventOnlyWarnings } from './event-only-warnings.js';

const CAPTURE = 'events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json';

/** A context whose coverage is what was read: events, and the kinds named. */
function contextOf(objects: readonly KubeObject[], read: readonly [string, string?][] = []): AnalyzerContext {
  const coverage = new Coverage();
  coverage.add('Event');
  for (const [kind, namespace] of read) coverage.add(kind, namespace);
  const capturedAt = new Date('2023-07-11T05:40:00Z');
  const snapshot = new Snapshot({ objects, coverage, capturedAt });
  return { snapshot, graph: buildGraph(snapshot), now: capturedAt };
}

describe('event-only-warnings', () => {
  it('folds the Warning events of a real EventList by object, marked as event-only', () => {
    const { findings } = runRules([eventOnlyWarnings], contextOf(realdataItems(CAPTURE)));
    const byObject = new Map(findings.map((f) => [`${f.resource.kind}/${f.resource.name}`, f]));
    expect([...byObject.keys()].sort()).toEqual([
      'Job/oom-kill-job3',
      'Pod/no-image-deployment-849c4c4958-rxqmt',
      'Pod/pending-pod-resources-5fddcf7688-djjfc',
    ]);
    const pull = byObject.get('Pod/no-image-deployment-849c4c4958-rxqmt');
    expect(pull).toMatchObject({
      ruleId: 'event-only-warnings',
      severity: 'warning',
      resource: { kind: 'Pod', namespace: 'message-image-pull-fail' },
    });
    expect(pull?.message).toMatch(
      /^Warning events Failed x13: Failed to pull image "noimage.com\/no-such-image": .*\(only its events were read, not the Pod itself\)$/,
    );
    expect(pull?.evidence[0]?.text).toMatch(
      /^event-only: Pod no-image-deployment-849c4c4958-rxqmt itself was not read/,
    );
    expect(pull?.evidence.every((e) => e.source === 'event')).toBe(true);
    expect(pull?.evidence.map((e) => e.text)).toContain(
      'Failed (x4, last 2023-07-11T05:36:12Z): Error: ErrImagePull',
    );
    expect(byObject.get('Job/oom-kill-job3')?.message).toBe(
      'Warning events BackoffLimitExceeded x1: Job has reached the specified backoff limit (only its events were read, not the Job itself)',
    );
    expect(byObject.get('Pod/pending-pod-resources-5fddcf7688-djjfc')?.message).toMatch(
      /^Warning events FailedScheduling x\d+: 0\/1 nodes are available: 1 Insufficient nvidia.com\/gpu/,
    );
  });

  it('says nothing of an object whose kind was read: it is there for its own rules, or gone', () => {
    const events = realdataItems(CAPTURE);
    const read = contextOf(events, [['Pod', 'message-image-pull-fail'], ['Job']]);
    expect(runRules([eventOnlyWarnings], read).findings).toEqual([]);
    // Pods read in another namespace only: these pods are still unknown.
    const elsewhere = contextOf(events, [['Pod', 'default'], ['Job']]);
    expect(
      runRules([eventOnlyWarnings], elsewhere)
        .findings.map((f) => f.resource.name)
        .sort(),
    ).toEqual(['no-image-deployment-849c4c4958-rxqmt', 'pending-pod-resources-5fddcf7688-djjfc']);
  });

  it('makes no finding of Normal events alone', () => {
    const normal = realdataItems(CAPTURE).filter((e) => (e as { type?: string }).type === 'Normal');
    expect(normal.length).toBeGreaterThan(0);
    expect(runRules([eventOnlyWarnings], contextOf(normal)).findings).toEqual([]);
  });

  it('names a cluster-scoped object without a namespace', () => {
    const event: KubeObject = {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'worker-2.1770b96096f009dd', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'worker-2', uid: 'worker-2' },
      type: 'Warning',
      reason: 'SystemOOM',
      message: 'System OOM encountered, victim process: java, pid: 4121',
      count: 2,
      lastTimestamp: '2023-07-11T05:36:12Z',
    };
    const [finding] = runRules([eventOnlyWarnings], contextOf([event])).findings;
    expect(finding?.resource).toEqual({ kind: 'Node', name: 'worker-2' });
    expect(finding?.fix?.commands).toEqual(['kubectl describe node worker-2']);
  });
});
