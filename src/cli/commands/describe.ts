import { AppError } from '../../core/errors.js';
import { findKind, type KindInfo } from '../../core/kinds.js';
import { parseResourceArg, unknownResourceType } from '../../core/resource-arg.js';
import { describeObject, describeSelected, type ObjectDescription } from '../../diagnose/describe-object.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import type { DescribeDocument, DescribeListDocument } from '../render/describe-document.js';
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
 * `kubectl smart describe TYPE/NAME` (or `TYPE -l SELECTOR`, every match): what `kubectl describe`
 * shows, plus the findings that concern the object (marking the root causes), its graph
 * neighbours with their health, and its noise-filtered events.
 */
export async function describeCommand(
  words: readonly string[],
  flags: DescribeFlags,
  io: Io,
): Promise<ExitCode> {
  const selectedKind = flags.selector === undefined ? undefined : kindToSelect(words);
  const target = selectedKind === undefined ? parseResourceArg(words) : undefined;
  const cluster = await openCluster(flags, io);
  try {
    const common = { ...cluster, tailLines: flags.tail, routineEvents: flags.all === true };
    const palette = paletteFor(io.stdoutIsTty, io.env);
    if (target !== undefined) {
      const document = describeDocument(await describeObject({ ...common, target }));
      writeDocument(io, flags.output, document, () => renderDescribeText(document, palette));
      return EXIT.ok;
    }
    const { selector } = cluster;
    if (selectedKind === undefined || selector === undefined)
      throw new AppError('internal', 'no selector to describe by');
    const items = (await describeSelected({ ...common, kind: selectedKind, selector })).map(describeDocument);
    const list: DescribeListDocument = { apiVersion: OUTPUT_API_VERSION, kind: 'DescriptionList', items };
    writeDocument(io, flags.output, list, () =>
      items.map((document) => renderDescribeText(document, palette)).join('\n'),
    );
    return EXIT.ok;
  } finally {
    cluster.source.close();
  }
}

/** With -l: the TYPE whose matching objects to describe, as `kubectl describe pods -l app=web` takes it. */
function kindToSelect(words: readonly string[]): KindInfo {
  const [only] = words;
  if (words.length !== 1 || only === undefined || only.includes('/'))
    throw new AppError(
      'usage',
      words.length === 0
        ? 'describe -l needs the kind to select: describe TYPE -l SELECTOR (describe pods -l app=web)'
        : 'a name and -l together: describe one object (TYPE/NAME) or every match (TYPE -l SELECTOR)',
    );
  const kind = findKind(only);
  if (kind === undefined) throw unknownResourceType(only);
  return kind;
}

function describeDocument(description: ObjectDescription): DescribeDocument {
  const { events, notes, ...rest } = description;
  return {
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
}
