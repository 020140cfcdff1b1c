/**
 * A rule that looks up a kind it does not declare would find nothing in a real run, since what
 * a command reads is derived from the declarations (issue: quota-near-limit never fired because
 * ResourceQuota was not read). This test runs every rule over the bundled example and the real
 * captures with a snapshot that notes each kind a rule asks for, and holds the notes against the
 * rule's `kinds` and `reads`.
 */
import { describe, expect, it } from 'vitest';
import { Coverage } from '../core/coverage.js';
import { KINDS } from '../core/kinds.js';
import type { KubeObject } from '../core/kube-object.js';
import type { ResourceRef } from '../core/resource-ref.js';
import { Snapshot } from '../core/snapshot.js';
import type { EventRecord } from '../core/event-record.js';
import { buildGraph } from '../graph/build-graph.js';
import { ANALYSIS_READS, readsOf } from './analysis-reads.js';
import { RULES } from './registry.js';
import { defineRule, type AnyRule } from './rule.js';
import { ruleCluster } from '../../test/support/rule-cluster.js';

/** A snapshot that notes the kinds asked of it. */
class NotingSnapshot extends Snapshot {
  readonly asked = new Set<string>();
  override objectsOfKind(kind: string, namespace?: string): readonly KubeObject[] {
    this.asked.add(kind);
    return super.objectsOfKind(kind, namespace);
  }
  override get(ref: ResourceRef): KubeObject | undefined {
    this.asked.add(ref.kind);
    return super.get(ref);
  }
  override byUid(uid: string): KubeObject | undefined {
    const found = super.byUid(uid);
    if (found !== undefined) this.asked.add(found.kind);
    return found;
  }
  override withLabel(
    kind: string,
    namespace: string | undefined,
    key: string,
    value: string,
  ): readonly KubeObject[] {
    this.asked.add(kind);
    return super.withLabel(kind, namespace, key, value);
  }
  override eventsAbout(ref: ResourceRef): readonly EventRecord[] {
    this.asked.add('Event');
    return super.eventsAbout(ref);
  }
}

/** The kinds each rule asked for, run alone over the objects. */
async function askedByRule(rules: readonly AnyRule[]): Promise<Map<string, Set<string>>> {
  const objects = await ruleCluster();
  const coverage = new Coverage();
  for (const kind of KINDS) coverage.add(kind.kind);
  const asked = new Map<string, Set<string>>();
  for (const rule of rules) {
    const snapshot = new NotingSnapshot({ objects, coverage, capturedAt: new Date('2026-11-20T03:12:00Z') });
    const context = { snapshot, graph: buildGraph(snapshot), now: snapshot.capturedAt };
    const targets = rule.kinds.flatMap((kind) => snapshot.ofKind(kind));
    snapshot.asked.clear();
    for (const object of targets) rule.detect(object, context);
    asked.set(rule.id, new Set(snapshot.asked));
  }
  return asked;
}

describe('what rules read', () => {
  it('every kind a rule looks up is one it declares (kinds or reads)', async () => {
    const asked = await askedByRule(RULES);
    const undeclared = RULES.flatMap((rule) => {
      const declared = new Set<string>([...rule.kinds, ...rule.reads]);
      return [...(asked.get(rule.id) ?? [])]
        .filter((kind) => !declared.has(kind))
        .map((kind) => `${rule.id}: ${kind}`);
    });
    expect(undeclared).toEqual([]);
  });

  it('catches a rule that looks up a kind it did not declare', async () => {
    const sneaky = defineRule({
      id: 'sneaky',
      summary: 'reads quotas without saying so',
      kinds: ['Pod'],
      reads: [],
      detect(_pod, { snapshot }) {
        snapshot.ofKind('ResourceQuota');
        return [];
      },
    });
    expect([...((await askedByRule([sneaky])).get('sneaky') ?? [])]).toEqual(['ResourceQuota']);
  });

  it('an analysis reads the graph, events, and every kind of every rule, ResourceQuota included', () => {
    const read = new Set(ANALYSIS_READS.kinds.map((kind) => kind.kind));
    for (const rule of RULES)
      for (const kind of [...rule.kinds, ...rule.reads])
        if (kind !== 'PodMetrics') expect(read).toContain(kind);
    expect(read).toContain('ResourceQuota');
    expect(read).toContain('Event');
    expect(ANALYSIS_READS.usage).toBe(true);
  });

  it('derives the reads from the rules given, not a list', () => {
    const limits = defineRule({
      id: 'limits',
      summary: 'reads LimitRanges, which the graph does not',
      kinds: ['Pod'],
      reads: ['LimitRange', 'PodMetrics'],
      detect: () => [],
    });
    expect(readsOf([]).kinds.map((kind) => kind.kind)).not.toContain('LimitRange');
    expect(readsOf([]).usage).toBe(false);
    expect(readsOf([limits]).kinds.map((kind) => kind.kind)).toContain('LimitRange');
    expect(readsOf([limits]).usage).toBe(true);
  });
});
