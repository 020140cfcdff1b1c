import type { Io } from '../io.js';
import { toJson, toYaml } from './document.js';

/**
 * Prints a command's document in the `-o` format asked for: JSON and YAML the same way for every
 * command, any other format through the command's own text renderer.
 */
export function writeDocument<F extends string>(
  io: Pick<Io, 'stdout'>,
  format: F,
  document: unknown,
  text: (format: Exclude<F, 'json' | 'yaml'>) => string,
): void {
  if (format === 'json') io.stdout(toJson(document));
  else if (format === 'yaml') io.stdout(toYaml(document));
  else io.stdout(text(format as Exclude<F, 'json' | 'yaml'>));
}
