/** The names are exactly `expected`. */
export const is = (names: readonly string[], ...expected: readonly string[]): boolean =>
  names.length === expected.length && expected.every((name, at) => names[at] === name);

/** The names begin with `prefix`. */
export const startsWith = (names: readonly string[], prefix: readonly string[]): boolean =>
  prefix.every((name, at) => names[at] === name);
