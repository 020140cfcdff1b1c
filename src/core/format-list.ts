/** `a, b, c and 37 more`: a list short enough for a one-line message. */
export function formatList(items: readonly string[], shown = 5): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${String(items.length - shown)} more`;
}
