/**
 * The Helm chart's values schema and defaults against the agent's own config schema, so helm
 * refuses what the agent would refuse and the chart's defaults start an agent. (The chart itself
 * is installed on the real control plane by test/cluster/helm-chart.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  agentConfigSchema,
  agentValuesJsonSchema,
  CHART_SET_AGENT_KEYS,
} from '../../src/cli/agent-settings.ts';
import { FAILURE_REASONS } from '../../src/observe/failure-detection.ts';

const chart = new URL('../../deploy/helm/kubectl-smart/', import.meta.url);

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
}

const valuesSchema = JSON.parse(readFileSync(new URL('values.schema.json', chart), 'utf8')) as JsonSchema;
const agentValues = valuesSchema.properties?.['agent'];
const defaults = parse(readFileSync(new URL('values.yaml', chart), 'utf8')) as { agent: unknown };
/** What templates/agent-configmap.yaml writes into `agent:` itself, from other values. */
const SET_BY_CHART: readonly string[] = CHART_SET_AGENT_KEYS;

describe('the chart’s values schema', () => {
  it('has the agent: schema the agent’s own config schema makes (npm run deploy:schema writes it)', () => {
    expect(agentValues).toEqual(agentValuesJsonSchema());
  });

  it('refuses what the agent refuses: a bad duration, an unknown sink, an empty sink list', () => {
    const agent = agentValuesJsonSchema() as {
      properties: Record<string, { pattern?: string; items?: { pattern?: string }; minItems?: number }>;
    };
    const duration = new RegExp(agent.properties['debounceTtl']?.pattern ?? '');
    expect(['5m', '1h30m', '90s'].every((text) => duration.test(text))).toBe(true);
    expect(['5 minutes', '', '5'].some((text) => duration.test(text))).toBe(false);
    const sink = new RegExp(agent.properties['sinks']?.items?.pattern ?? '');
    expect(['grpc://r:7443', 'https://hook', 'file:/x', 'stdout'].every((text) => sink.test(text))).toBe(
      true,
    );
    expect(['ftp://x', 'grpc://', 'std'].some((text) => sink.test(text))).toBe(false);
    expect(agent.properties['sinks']?.minItems).toBe(1);
    expect(agentConfigSchema.safeParse({ debounceTtl: '5 minutes' }).success).toBe(false);
    expect(agentConfigSchema.safeParse({ sinks: ['ftp://x'] }).success).toBe(false);
  });

  it('takes only keys of the agent’s config, and none the chart sets itself', () => {
    const keys = Object.keys(agentValues?.properties ?? {});
    const agentKeys = Object.keys(agentConfigSchema.shape);
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((key) => !agentKeys.includes(key))).toEqual([]);
    expect(keys.filter((key) => SET_BY_CHART.includes(key))).toEqual([]);
    // Every key of the agent's config is either a value or set by the chart.
    expect(agentKeys.filter((key) => !keys.includes(key) && !SET_BY_CHART.includes(key))).toEqual([]);
  });

  it('lists exactly the failure reasons the agent detects, and log levels it accepts', () => {
    expect(agentValues?.properties?.['detect']?.items?.enum).toEqual([...FAILURE_REASONS]);
    const levels = agentValues?.properties?.['logLevel']?.enum ?? [];
    expect(levels.length).toBeGreaterThan(0);
    for (const level of levels) expect(agentConfigSchema.safeParse({ logLevel: level }).success).toBe(true);
  });

  it('has defaults the agent’s config schema accepts', () => {
    expect(agentConfigSchema.safeParse(defaults.agent).error).toBeUndefined();
  });
});
