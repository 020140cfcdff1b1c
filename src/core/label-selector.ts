/**
 * Label selectors as Services (map form) and workloads, PDBs and NetworkPolicies
 * (`matchLabels` + `matchExpressions`) write them.
 */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

type Labels = Readonly<Record<string, string>> | undefined;

/** Does a structured selector select these labels? An empty selector selects everything (API semantics). */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  const actual = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (actual[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    if (!requirementMatches(requirement, actual)) return false;
  }
  return true;
}

function requirementMatches(
  requirement: LabelSelectorRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const value = labels[requirement.key];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      // An operator we do not know selects nothing rather than everything: a false "selects"
      // edge would blame the wrong pods.
      return false;
  }
}

/** Is the selector empty (selects everything)? */
export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}

/** The `key=value` pairs of a selector's equality part, for indexing and for messages. */
export function equalityPairs(selector: LabelSelector): readonly (readonly [string, string])[] {
  return Object.entries(selector.matchLabels ?? {});
}

/** `app=web,tier in (a,b)` as kubectl prints selectors. */
export function formatSelector(selector: LabelSelector): string {
  const parts = equalityPairs(selector).map(([key, value]) => `${key}=${value}`);
  for (const requirement of selector.matchExpressions ?? []) {
    const values = (requirement.values ?? []).join(',');
    switch (requirement.operator) {
      case 'Exists':
        parts.push(requirement.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${requirement.key}`);
        break;
      default:
        parts.push(`${requirement.key} ${requirement.operator.toLowerCase()} (${values})`);
    }
  }
  return parts.join(',');
}

/**
 * Parses `-l` text (`app=web,tier!=db,env in (a,b),!legacy`) into a selector, so the files source
 * filters exactly as the API server would. Returns undefined when the text is not a selector.
 */
export function parseSelector(text: string): LabelSelector | undefined {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const raw of splitTopLevel(text)) {
    const part = raw.trim();
    if (part === '') continue;
    const setMatch = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/i.exec(part);
    if (setMatch !== null) {
      const [, key = '', op = '', list = ''] = setMatch;
      const values = list.split(',').map((v) => v.trim());
      matchExpressions.push({ key, operator: op.toLowerCase() === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    const notEqual = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(part);
    if (notEqual !== null) {
      matchExpressions.push({ key: notEqual[1] ?? '', operator: 'NotIn', values: [notEqual[2] ?? ''] });
      continue;
    }
    const equal = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(part);
    if (equal !== null) {
      matchLabels[equal[1] ?? ''] = equal[2] ?? '';
      continue;
    }
    const exists = /^(!?)([\w./-]+)$/.exec(part);
    if (exists !== null) {
      matchExpressions.push({
        key: exists[2] ?? '',
        operator: exists[1] === '!' ? 'DoesNotExist' : 'Exists',
      });
      continue;
    }
    return undefined;
  }
  return { matchLabels, matchExpressions };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
