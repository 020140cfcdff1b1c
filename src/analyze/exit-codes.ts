/** What a container's exit code usually means, for messages: 137 is SIGKILL, 139 SIGSEGV… */
export function exitCodeMeaning(code: number): string {
  switch (code) {
    case 0:
      return 'exited normally';
    case 1:
      return 'application error';
    case 2:
      return 'misuse of a shell builtin or bad arguments';
    case 126:
      return 'command not executable';
    case 127:
      return 'command not found';
    case 128 + 9:
      return 'killed (SIGKILL): out of memory or a failed liveness probe';
    case 128 + 15:
      return 'terminated (SIGTERM)';
    case 128 + 11:
      return 'segmentation fault (SIGSEGV)';
    case 128 + 6:
      return 'aborted (SIGABRT)';
    default:
      return code > 128 ? `killed by signal ${String(code - 128)}` : 'application error';
  }
}
