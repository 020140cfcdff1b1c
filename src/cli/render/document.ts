import { stringify } from 'yaml';

/** The API version of every JSON/YAML document kubectl-smart prints; bumped only on breaking changes. */
export const OUTPUT_API_VERSION = 'kubectl-smart/v1';

/** A document as JSON (two-space indent, newline-terminated). */
export function toJson(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A document as YAML. */
export function toYaml(document: unknown): string {
  return stringify(document, { aliasDuplicateObjects: false });
}
