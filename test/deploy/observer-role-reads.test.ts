/**
 * The ClusterRole the chart ships lets the agent (and a least-privilege user) read everything an
 * analysis reads, which is derived from the rules: a rule added with a new kind fails here until
 * the role grants it. Secrets are the one exception, on purpose.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ANALYSIS_READS } from '../../src/analyze/analysis-reads.ts';
import { POD_METRICS, type KindInfo } from '../../src/core/kinds.ts';

interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const role = parse(
  readFileSync(new URL('../../deploy/kubernetes/observer-clusterrole.yaml', import.meta.url), 'utf8'),
) as { kind: string; rules: PolicyRule[] };

/** The verbs the role grants on a kind's resource. */
function verbsFor(rules: readonly PolicyRule[], kind: KindInfo): Set<string> {
  return new Set(
    rules
      .filter((rule) => rule.apiGroups.includes(kind.group) && rule.resources.includes(kind.plural))
      .flatMap((rule) => rule.verbs),
  );
}

/** The kinds a role cannot list and watch, as `plural.group`. */
function unreadable(rules: readonly PolicyRule[]): string[] {
  return ANALYSIS_READS.kinds
    .filter((kind) => kind.kind !== 'Secret')
    .filter((kind) => !['get', 'list', 'watch'].every((verb) => verbsFor(rules, kind).has(verb)))
    .map((kind) => `${kind.plural}.${kind.group}`);
}

describe('the observer ClusterRole', () => {
  it('may get, list and watch every kind an analysis reads, but Secrets', () => {
    expect(role.kind).toBe('ClusterRole');
    expect(ANALYSIS_READS.kinds.map((kind) => kind.kind)).toContain('ResourceQuota');
    expect(unreadable(role.rules)).toEqual([]);
  });

  it('may not read Secrets', () => {
    const secrets = ANALYSIS_READS.kinds.find((kind) => kind.kind === 'Secret');
    expect(secrets).toBeDefined();
    if (secrets !== undefined) expect(verbsFor(role.rules, secrets).size).toBe(0);
  });

  it('may read pod usage from the Metrics API, which the OOM rule reads', () => {
    expect(ANALYSIS_READS.usage).toBe(true);
    expect(verbsFor(role.rules, POD_METRICS).has('list')).toBe(true);
  });

  it('names what a role without quotas could not read', () => {
    const withoutQuotas = role.rules.map((rule) => ({
      ...rule,
      resources: rule.resources.filter((resource) => resource !== 'resourcequotas'),
    }));
    expect(unreadable(withoutQuotas)).toEqual(['resourcequotas.']);
  });
});
