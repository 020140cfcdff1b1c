import { parseResourceArg } from '../../core/resource-arg.js';
import { describeObject } from '../../diagnose/describe-object.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import type { DescribeDocument } from '../render/describe-document.js';
import { renderDescribeText } from '../render/describe-text.js';
import { OUTPUT_API_VERSION } from '../render/document.js';
import { paletteFor } from '../render/palette.js';
import { openCluster } from '../cluster-context.js';
import type { SourceFlags } from '../source-options.js';
import type { DescribeFormat } from '../output-formats.js';
import { writeDocument } from '../render/write-document.js';

export interface DescribeFlags extends SourceFlags {
  readonly output: DescribeFormat;
  readonly tail: number;
  readonly all?: boolean;
}

/**
 * `kubectl smart describe TYPE/NAME`: what `kubectl describe` shows, plus the findings that concern
 * the object (marking the root causes), its graph neighbours with their health, and its
 * noise-filtered events.
 */
export async function describeCommand(
  words: readonly string[],
  flags: DescribeFlags,
  io: Io,
): Promise<ExitCode> {
  const target = parseResourceArg(words);
  const cluster = await openCluster(flags, io);
  try {
    const description = await describeObject({
      ...cluster,
      target,
      tailLines: flags.tail,
      routineEvents: flags.all === true,
    });
    const { events, notes, ...rest } = description;
    const document: DescribeDocument = {
      apiVersion: OUTPUT_API_VERSION,
      kind: 'Description',
      ...rest,
      events: {
        apiVersion: OUTPUT_API_VERSION,
        kind: 'EventDigest',
        source: description.source,
        capturedAt: description.capturedAt,
        ...events,
        gaps: [],
      },
      ...(notes === undefined
        ? {}
        : {
            notes: notes.map((note) => ({
              at: new Date(note.atMs).toISOString(),
              author: note.author,
              text: note.text,
            })),
          }),
    };
    writeDocument(io, flags.output, document, () =>
      renderDescribeText(document, paletteFor(io.stdoutIsTty, io.env)),
    );
    return EXIT.ok;
  } finally {
    cluster.source.close();
  }
}
