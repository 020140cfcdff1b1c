/** Domain types shared by every layer. No I/O. */
export * from './certificate-facts.js';
export * from './change.js';
export * from './coverage.js';
export * from './data-gap.js';
export * from './duration.js';
export * from './errors.js';
export * from './event-record.js';
export * from './finding.js';
export * from './format-list.js';
export * from './kinds.js';
export * from './kube-object.js';
export type * from './kube-types.js';
export * from './label-selector.js';
export * from './resource-arg.js';
export * from './resource-ref.js';
export * from './secret-values.js';
export * from './snapshot.js';
export * from './time.js';
