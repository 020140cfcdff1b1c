import type { CapabilityId } from './command-spec.js';
import { COMMANDS } from './command-table.js';
import { loadConfig, type SmartConfig } from './config.js';
import { GATES, gateState, type GateId } from './gates.js';
import type { Io } from './io.js';

/** One capability of docs/DESIGN.md §1: built here, or still to come. */
interface CapabilityEntry {
  readonly tier: string;
  readonly capability: string;
  /** How it is switched on: always, a gate, or the agent's configuration. */
  readonly gate: 'always' | 'config' | GateId;
  /** Built: its commands are those of the command table that name it. */
  readonly built?: CapabilityId;
  /** Not built yet: the commands it will bring (none of them is registered). */
  readonly planned?: readonly string[];
  /** Flags that belong to it beside its commands (`--at`). */
  readonly flags?: readonly string[];
}

const CAPABILITIES: readonly CapabilityEntry[] = [
  { tier: '1', capability: 'live debugger: dependencies and events', gate: 'always', built: 'deps-events' },
  { tier: '1', capability: 'live debugger: root cause', gate: 'always', built: 'root-cause' },
  { tier: '2', capability: 'predictive prevention', gate: 'experimentalPredict', planned: ['predict'] },
  { tier: '3', capability: 'operational memory', gate: 'alphaMemory', built: 'memory', flags: ['--at'] },
  {
    tier: '3',
    capability: 'operational memory: patterns',
    gate: 'alphaMemory',
    planned: ['patterns', 'trace'],
  },
  { tier: 'R&D', capability: 'change-impact simulation', gate: 'alphaMemory', planned: ['simulate'] },
  { tier: 'agent', capability: 'incident observer', gate: 'config', built: 'incident-observer' },
  { tier: 'agent', capability: 'remediation', gate: 'config', planned: ['remediate'] },
  { tier: 'all', capability: 'discoverability', gate: 'always', built: 'discoverability' },
  { tier: 'all', capability: 'discoverability', gate: 'always', planned: ['label', 'ui'] },
];

/** Where a capability stands in this build. */
export type Availability = 'available' | 'not yet available';

/** One row of `info features`. */
export interface Feature {
  readonly tier: string;
  readonly capability: string;
  readonly commands: readonly string[];
  /** `always`, `config` (the agent's settings), or the gate's flag. */
  readonly gate: string;
  readonly availability: Availability;
  /** Switched on here: by its gate's flag, environment variable or config file, or always. */
  readonly enabled: boolean;
  readonly enabledBy?: 'flag' | 'env' | 'config';
}

/**
 * Every capability with its tier, gate and state, the commands of a built one taken from the
 * command table (so they cannot drift from what runs), the planned ones of a later one listed as
 * not yet available. The gates' state is what is in effect for these flags, environment and config.
 */
export function featureTable(
  flags: Readonly<Record<string, unknown>>,
  io: Pick<Io, 'env'>,
): readonly Feature[] {
  let config: SmartConfig | undefined;
  const configOnce = (): SmartConfig => (config ??= loadConfig(io.env));
  return CAPABILITIES.map((entry) => {
    const state =
      entry.gate === 'always' || entry.gate === 'config'
        ? { on: true }
        : gateState(entry.gate, flags, io, configOnce);
    const commands =
      entry.built === undefined
        ? (entry.planned ?? [])
        : [
            ...COMMANDS.filter((command) => command.capability === entry.built).map((c) => c.name),
            ...(entry.flags ?? []),
          ];
    return {
      tier: entry.tier,
      capability: entry.capability,
      commands,
      gate: entry.gate === 'always' || entry.gate === 'config' ? entry.gate : GATES[entry.gate].flag,
      availability: entry.built === undefined ? 'not yet available' : 'available',
      enabled: state.on,
      ...('by' in state && state.by !== undefined ? { enabledBy: state.by } : {}),
    };
  });
}
