/**
 * The memory tier's pure heart: two states of an object in, one recorded change out (field diff,
 * summary, actor, reason), Secret values digested on the way; and audit-log attribution.
 */
export {
  AuditIndex,
  formatAuditUser,
  MUTATING_VERBS,
  parseAuditLog,
  toAuditRecord,
  withAuditActor,
  type AttributableChange,
  type AttributeOptions,
  type AuditAttribution,
  type AuditRecord,
  type MutatingVerb,
  type ParsedAuditLog,
} from './audit-attribution.js';
export {
  actorOf,
  CHANGE_CAUSE_ANNOTATION,
  ownsPath,
  reasonOf,
  REVISION_ANNOTATION,
  rolloutOf,
  WHY_ANNOTATION,
  type ManagedFieldsEntry,
} from './change-actor.js';
export { describeFieldChange, summarizeChange, type SummaryInput } from './change-summary/index.js';
export { diffObjects, equalJson, type DiffOptions } from './field-diff.js';
export { IGNORED_FIELDS, isIgnoredField, type IgnoredField } from './ignored-fields.js';
export { isKeyedList, itemIdentity } from './list-identity.js';
export { makeChange, type ChangeInput } from './make-change.js';
export {
  digestBinaryValue,
  digestObject,
  digestSecretValue,
  isDigest,
  type DigestKey,
} from './secret-digest.js';
