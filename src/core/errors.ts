/**
 * Exceptional failures carry a `code`; the CLI maps codes to exit codes (DESIGN.md §2) and the
 * server maps them to HTTP statuses. Expected per-item failures are data gaps, not errors.
 */
export const APP_ERROR_CODES = [
  'usage',
  'malformed-input',
  'unreachable',
  'unauthorized',
  'not-found',
  /** The memory store cannot be opened, written or read: locked, full, newer than this build. */
  'store',
  /**
   * Nothing could be read, so nothing can be said: every list failed, the input held no object or
   * event of the kinds asked for, a recording has nothing at the moment asked about. Never to be
   * answered with "no problems found".
   */
  'nothing-read',
  'internal',
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** An error a person can act on: one line saying what went wrong and what to do. */
export class AppError extends Error {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** Turns anything thrown into an AppError; unknown errors become `internal`, keeping the cause. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('internal', `internal error: ${message}`, { cause: error });
}
