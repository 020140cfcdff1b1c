/** The composition root: commands, rendering, exit codes. The only layer that prints. */
export { main, run } from './main.js';
export { EXIT, type ExitCode } from './exit-codes.js';
export type { Io } from './io.js';
