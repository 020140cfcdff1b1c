import type { AppErrorCode } from '../core/errors.js';

/** The documented exit codes (DESIGN.md §2, README "Exit codes"). */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  unreachable: 3,
  notFound: 4,
  store: 5,
  nothingRead: 6,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for an error code. */
export function exitCodeFor(code: AppErrorCode): ExitCode {
  switch (code) {
    case 'usage':
    case 'malformed-input':
      return EXIT.usage;
    case 'unreachable':
    case 'unauthorized':
      return EXIT.unreachable;
    case 'not-found':
      return EXIT.notFound;
    case 'store':
      return EXIT.store;
    case 'nothing-read':
      return EXIT.nothingRead;
    case 'internal':
      return EXIT.internal;
    default: {
      const exhaustive: never = code;
      return exhaustive;
    }
  }
}
