import { AppError } from './errors.js';
import { findKind, type KindInfo } from './kinds.js';

/** A resource named on the command line, before a namespace is applied. */
export interface ResourceArg {
  readonly kind: KindInfo;
  readonly name: string;
}

/**
 * Parses a resource argument as kubectl takes it: `pod/api-0`, `deploy/api`, `deployments.apps/api`,
 * or the two-word form `pod api-0` (pass both words).
 */
export function parseResourceArg(words: readonly string[]): ResourceArg {
  const { typeWord, name } = splitResourceArg(words);
  const kind = findKind(typeWord);
  if (kind === undefined) throw unknownResourceType(typeWord);
  return { kind, name };
}

/** The error for a type word no kind answers to. */
export function unknownResourceType(typeWord: string): AppError {
  return new AppError(
    'usage',
    `unknown resource type "${typeWord}"; try one of pod, deploy, svc, ing, cm, secret, pvc, node, sts, ds, job, hpa, pdb`,
  );
}

/** The type word and the name of a resource argument, the type not yet looked up. */
export function splitResourceArg(words: readonly string[]): { typeWord: string; name: string } {
  const [first, second, ...rest] = words;
  if (first === undefined || rest.length > 0) {
    throw new AppError('usage', `expected TYPE/NAME or TYPE NAME, got "${words.join(' ')}"`);
  }
  const [typeWord, name] =
    second === undefined ? splitSlash(first) : first.includes('/') ? [undefined, undefined] : [first, second];
  if (typeWord === undefined || name === undefined || name === '') {
    throw new AppError('usage', `expected TYPE/NAME or TYPE NAME, got "${words.join(' ')}"`);
  }
  return { typeWord, name };
}

function splitSlash(word: string): [string | undefined, string | undefined] {
  const slash = word.indexOf('/');
  if (slash <= 0) return [undefined, undefined];
  return [word.slice(0, slash), word.slice(slash + 1)];
}
