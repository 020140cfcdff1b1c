import type { FixPlace } from './fix-object.js';
import type { RankedProblem } from './rank.js';

/**
 * One problem as every front end shows it: the ranked root cause with its chain, symptoms and
 * score, and where it is fixed (the object to change and its top owner).
 */
export interface Problem extends RankedProblem, FixPlace {}
