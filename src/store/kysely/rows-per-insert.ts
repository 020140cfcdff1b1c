/** Rows per INSERT: well under SQLite's bound-parameter limit with 12 columns a row. */
export const ROWS_PER_INSERT = 400;
