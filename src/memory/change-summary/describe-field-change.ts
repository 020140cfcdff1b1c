import type { FieldChange, JsonValue } from '../../core/change.js';
import { isDigest } from '../secret-digest.js';
import { show } from './value-text.js';

/**
 * One field change as a line, for `why --field` and detailed timelines: `spec.replicas: 1→3`,
 * `metadata.labels.app added: web`, `env removed (was …)`, and for digested values
 * `data.password changed (digest 1f2e3d4c… → 9a8b7c6d…)`: a digest is shown as one, never a value.
 */
export function describeFieldChange(change: FieldChange): string {
  const value = (json: JsonValue | undefined): string => {
    if (isDigest(json)) return `digest ${json.slice(json.indexOf(':') + 1, json.indexOf(':') + 9)}…`;
    return show(json);
  };
  const digested = isDigest(change.old) || isDigest(change.new);
  switch (change.op) {
    case 'added':
      return change.new === undefined ? `${change.path} added` : `${change.path} added: ${value(change.new)}`;
    case 'removed':
      return change.old === undefined
        ? `${change.path} removed`
        : `${change.path} removed (was ${value(change.old)})`;
    case 'changed':
      if (change.old === undefined || change.new === undefined) return `${change.path} changed`;
      return digested
        ? `${change.path} changed (${value(change.old)} → ${value(change.new)})`
        : `${change.path}: ${value(change.old)}→${value(change.new)}`;
    default: {
      const unknown: never = change.op;
      throw new Error(`unknown field op ${String(unknown)}`);
    }
  }
}
