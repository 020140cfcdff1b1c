import { EXIT, type ExitCode } from '../exit-codes.js';
import { configPath } from '../config.js';
import { featureTable } from '../capabilities.js';
import type { Io } from '../io.js';
import { OUTPUT_API_VERSION } from '../render/document.js';
import { writeDocument } from '../render/write-document.js';
import { paletteFor } from '../render/palette.js';
import { formatTable } from '../render/table.js';
import type { InfoFormat } from '../output-formats.js';

/** `kubectl smart info features`: every capability, its tier and gate, and whether it is on here. */
export function infoFeaturesCommand(flags: { readonly output: InfoFormat }, io: Io): ExitCode {
  const features = featureTable(flags, io);
  const document = {
    apiVersion: OUTPUT_API_VERSION,
    kind: 'FeatureList',
    configFile: configPath(io.env),
    features,
  };
  writeDocument(io, flags.output, document, () => {
    const palette = paletteFor(io.stdoutIsTty, io.env);
    const rows = features.map((feature) => {
      const state =
        feature.availability === 'available'
          ? feature.enabled
            ? palette.green(feature.enabledBy === undefined ? 'on' : `on (${feature.enabledBy})`)
            : 'off'
          : palette.dim('not yet available');
      return [feature.tier, feature.commands.join(', '), feature.gate, state, feature.capability];
    });
    const header = ['TIER', 'COMMANDS', 'GATE', 'STATE', 'CAPABILITY'].map((h) => palette.dim(h));
    return `${formatTable([header, ...rows])}\n${palette.dim(`\nconfig file: ${configPath(io.env)}\n`)}`;
  });
  return EXIT.ok;
}
