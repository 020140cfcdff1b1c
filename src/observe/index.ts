export {
  detectFailures,
  FAILURE_REASONS,
  type DetectOptions,
  type FailureReason,
  type FailureTrigger,
} from './failure-detection.js';
export { debounceKey, Debouncer, DEFAULT_DEBOUNCE_TTL_MS, type DebouncerOptions } from './debounce.js';
export { DEFAULT_KEY_PATTERNS } from './redact/key-patterns.js';
export {
  REDACTION_LOCATIONS,
  RedactionError,
  Redactor,
  type RedactionConfig,
  type RedactionLocation,
  type RedactionReport,
} from './redact/redactor.js';
