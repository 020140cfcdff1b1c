/** Where the CLI writes and what it knows of its terminal: the process's, or a test's. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** stdout is a terminal: colour and tree glyphs are for people, not pipes. */
  readonly stdoutIsTty: boolean;
  /** stderr is a terminal: a progress indicator may be drawn there. */
  readonly stderrIsTty: boolean;
  /** Stops long-running commands (`events -w`) on Ctrl-C. */
  readonly signal: AbortSignal;
  readonly readStdin: () => string;
}
