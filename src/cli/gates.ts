import { AppError } from '../core/errors.js';
import { loadConfig, type SmartConfig } from './config.js';
import type { Io } from './io.js';

/**
 * The feature gates (docs/DESIGN.md §1), each switched on the same three ways: a flag, an
 * environment variable, or the config file's `features:` section; the first that says so wins.
 */
export const GATES = {
  alphaMemory: {
    flag: '--alpha-memory',
    env: 'SMART_ALPHA_MEMORY',
    what: 'the operational memory, an alpha feature',
  },
  experimentalPredict: {
    flag: '--experimental-predict',
    env: 'SMART_EXPERIMENTAL_PREDICT',
    what: 'prediction, an experimental feature',
  },
} as const;

export type GateId = keyof typeof GATES;

/** Whether a gate is on, and what switched it on. */
export interface GateState {
  readonly on: boolean;
  /** `flag`, `env` or `config` when on; absent when off. */
  readonly by?: 'flag' | 'env' | 'config';
}

/**
 * The gate's state from the parsed flags (camelCase, as `alphaMemory`), the environment and the
 * config file. The file is read only when flag and environment are silent; a caller asking about
 * several gates passes `config` to read it once.
 */
export function gateState(
  id: GateId,
  flags: Readonly<Record<string, unknown>>,
  io: Pick<Io, 'env'>,
  config: () => SmartConfig = () => loadConfig(io.env),
): GateState {
  if (flags[id] === true) return { on: true, by: 'flag' };
  if (io.env[GATES[id].env] === 'true') return { on: true, by: 'env' };
  if (config().features?.[id] === true) return { on: true, by: 'config' };
  return { on: false };
}

/** Stops a gated command, in one line that says the three ways to switch the gate on. */
export function requireGate(
  id: GateId,
  flags: Readonly<Record<string, unknown>>,
  io: Pick<Io, 'env'>,
  command: string,
): void {
  if (gateState(id, flags, io).on) return;
  const gate = GATES[id];
  throw new AppError(
    'usage',
    `${command} is part of ${gate.what}: add ${gate.flag}, set ${gate.env}=true, or set features.${id}: true in the config file`,
  );
}
