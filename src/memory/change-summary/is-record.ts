/** A JSON object (not null, not an array): what a field of an unknown object is read as. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
