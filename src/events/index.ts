/** Noise-filtered events: folded, grouped under their owners, Warnings first. */
export {
  digestEvents,
  type DigestOptions,
  type EventDigest,
  type EventGroup,
  type FoldedEvent,
} from './event-digest.js';
export { isRoutine } from './noise.js';
export { topOwner } from './top-owner.js';
