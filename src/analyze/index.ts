/** Analyzers (pure rules over a snapshot and its graph) and the ranking of their findings into problems. */
export { analyze, type Analysis, type AnalyzeOptions } from './analyze.js';
export { rankFindings, type Problem, type ScoreFactors } from './rank.js';
export { RULES } from './registry.js';
export { runRules, type AnalyzerContext, type Rule } from './rule.js';
