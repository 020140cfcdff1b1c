import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { agentConfigSchema } from './agent-settings.js';

const configSchema = z
  .object({
    features: z
      .object({
        experimentalPredict: z.boolean().optional(),
        alphaMemory: z.boolean().optional(),
      })
      .strict()
      .optional(),
    /** The memory store: a SQLite path or a postgres:// URL (SMART_STORE_URL and --store win). */
    store: z.string().min(1).optional(),
    /** The agent's settings (README "Incident observer"); SMART_* variables and flags win. */
    agent: agentConfigSchema.optional(),
  })
  .strict();

/** The user's config file, validated. */
export type SmartConfig = z.infer<typeof configSchema>;

/** `SMART_CONFIG`, else `~/.kube/smart/config.yaml`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  return env.SMART_CONFIG ?? join(env.HOME ?? homedir(), '.kube', 'smart', 'config.yaml');
}

/** Reads the config file; an absent file is an empty config, a bad one is one line and exit 2. */
export function loadConfig(env: NodeJS.ProcessEnv): SmartConfig {
  const path = configPath(env);
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new AppError(
      'usage',
      `${path}: not valid YAML (${error instanceof Error ? (error.message.split('\n')[0] ?? '') : ''}); fix or remove it`,
    );
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : issue.path.join('.');
    throw new AppError(
      'usage',
      `${path}: ${where === '' ? '' : `${where}: `}${issue?.message ?? 'invalid'}; see docs/commands.md "Configuration"`,
    );
  }
  return result.data;
}
