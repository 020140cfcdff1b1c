import { EXIT, type ExitCode } from '../exit-codes.js';
import { loadConfig, configPath } from '../config.js';
import { featureTable } from '../features.js';
import type { Io } from '../io.js';
import { OUTPUT_API_VERSION, toJson, toYaml } from '../render/document.js';
import { paletteFor } from '../render/palette.js';
import { formatTable } from '../render/table.js';

export const INFO_FORMATS = ['text', 'wide', 'json', 'yaml'] as const;
export type InfoFormat = (typeof INFO_FORMATS)[number];

/** `kubectl smart info features`: every capability, its tier and gate, and whether it is on here. */
export function infoFeaturesCommand(flags: { readonly output: InfoFormat }, io: Io): ExitCode {
  const features = featureTable(loadConfig(io.env), io.env);
  if (flags.output === 'json' || flags.output === 'yaml') {
    const document = {
      apiVersion: OUTPUT_API_VERSION,
      kind: 'FeatureList',
      configFile: configPath(io.env),
      features,
    };
    io.stdout(flags.output === 'json' ? toJson(document) : toYaml(document));
    return EXIT.ok;
  }
  const palette = paletteFor(io.stdoutIsTty, io.env);
  const rows = features.map((feature) => {
    const state =
      feature.availability === 'available'
        ? feature.enabled
          ? palette.green('on')
          : 'off'
        : palette.dim('not yet available');
    return [feature.tier, feature.commands.join(', '), feature.gate, state, feature.capability];
  });
  io.stdout(
    `${formatTable([['TIER', 'COMMANDS', 'GATE', 'STATE', 'CAPABILITY'].map((h) => palette.dim(h)), ...rows])}\n`,
  );
  io.stdout(palette.dim(`\nconfig file: ${configPath(io.env)}\n`));
  return EXIT.ok;
}
