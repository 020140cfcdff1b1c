import pc from 'picocolors';
import type { HealthState } from '../../graph/health.js';

/** Colours, or none. Colour only on a terminal and never with NO_COLOR (https://no-color.org). */
export type Palette = ReturnType<typeof pc.createColors>;

/** The palette for this output: coloured when stdout is a TTY and NO_COLOR is unset or empty. */
export function paletteFor(stdoutIsTty: boolean, env: NodeJS.ProcessEnv): Palette {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return pc.createColors(stdoutIsTty && !noColor);
}

/** A health state in its colour. */
export function paintHealth(palette: Palette, state: HealthState, text: string): string {
  switch (state) {
    case 'ready':
      return palette.green(text);
    case 'progressing':
    case 'degraded':
      return palette.yellow(text);
    case 'failing':
    case 'missing':
      return palette.red(text);
    case 'unknown':
      return palette.dim(text);
    default: {
      const exhaustive: never = state;
      return exhaustive;
    }
  }
}
