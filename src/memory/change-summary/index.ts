/**
 * What a person reads about a recorded change: one line per thing that changed, told by the
 * summary rules (summary-rules.ts), and any one field change as a line.
 */
export { describeFieldChange } from './describe-field-change.js';
export { summarizeChange, type SummaryInput } from './summarize-change.js';
