import { describe, expect, it } from 'vitest';
import { paintHealth, paletteFor } from './palette.js';

describe('paletteFor', () => {
  it('colours on a terminal, and never with NO_COLOR or into a pipe', () => {
    expect(paintHealth(paletteFor(true, {}), 'failing', 'failing')).toBe('\u001b[31mfailing\u001b[39m');
    expect(paintHealth(paletteFor(true, {}), 'ready', 'ready')).toBe('\u001b[32mready\u001b[39m');
    expect(paintHealth(paletteFor(true, { NO_COLOR: '1' }), 'failing', 'failing')).toBe('failing');
    expect(paintHealth(paletteFor(false, {}), 'failing', 'failing')).toBe('failing');
    // An empty NO_COLOR does not disable colour (no-color.org).
    expect(paintHealth(paletteFor(true, { NO_COLOR: '' }), 'missing', 'missing')).toBe(
      '\u001b[31mmissing\u001b[39m',
    );
  });
});
