import type { SmartConfig } from './config.js';

/** Where a capability stands in this build. */
export type Availability = 'available' | 'not yet available';

/** One feature flag of DESIGN.md §1. */
export interface Feature {
  readonly tier: string;
  readonly capability: string;
  readonly commands: readonly string[];
  /** How it is switched on: `always`, a flag, or `config`. */
  readonly gate: string;
  readonly availability: Availability;
  readonly enabled: boolean;
}

/**
 * Every capability with its tier and gate. A later tier is listed as not yet available until its
 * work lands, so `info features` never promises what this build cannot do.
 */
export function featureTable(config: SmartConfig, env: NodeJS.ProcessEnv): readonly Feature[] {
  const predictOn =
    config.features?.experimentalPredict === true || env.SMART_EXPERIMENTAL_PREDICT === 'true';
  const memoryOn = config.features?.alphaMemory === true || env.SMART_ALPHA_MEMORY === 'true';
  const later = (feature: Omit<Feature, 'availability' | 'enabled'>, on: boolean): Feature => ({
    ...feature,
    availability: 'not yet available',
    enabled: on,
  });
  return [
    {
      tier: '1',
      capability: 'live debugger: dependencies and events',
      commands: ['deps', 'events'],
      gate: 'always',
      availability: 'available',
      enabled: true,
    },
    {
      tier: '1',
      capability: 'live debugger: root cause',
      commands: ['analyze', 'describe'],
      gate: 'always',
      availability: 'available',
      enabled: true,
    },

    later(
      {
        tier: '2',
        capability: 'predictive prevention',
        commands: ['predict'],
        gate: '--experimental-predict',
      },
      predictOn,
    ),
    {
      tier: '3',
      capability: 'operational memory',
      commands: ['record', 'timeline', 'replay', 'why', 'note', 'export', 'import', '--at'],
      gate: '--alpha-memory',
      availability: 'available',
      enabled: memoryOn,
    },
    later(
      {
        tier: '3',
        capability: 'operational memory: patterns',
        commands: ['patterns', 'trace'],
        gate: '--alpha-memory',
      },
      memoryOn,
    ),
    later(
      { tier: 'R&D', capability: 'change-impact simulation', commands: ['simulate'], gate: '--alpha-memory' },
      memoryOn,
    ),
    later(
      { tier: 'agent', capability: 'incident observer', commands: ['agent', 'receive'], gate: 'config' },
      false,
    ),
    later(
      {
        tier: 'agent',
        capability: 'remediation',
        commands: ['agent', 'remediate'],
        gate: 'config (dry-run by default)',
      },
      false,
    ),
    {
      tier: 'all',
      capability: 'discoverability',
      commands: ['info features', 'demo'],
      gate: 'always',
      availability: 'available',
      enabled: true,
    },
    later({ tier: 'all', capability: 'discoverability', commands: ['label', 'ui'], gate: 'always' }, true),
  ];
}
