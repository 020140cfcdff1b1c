import type { Finding } from '../../core/finding.js';
import { formatRef, refKey, refOfObjectId, type ResourceRef } from '../../core/resource-ref.js';
import { FROM_POD_TEMPLATE } from '../../analyze/fix-object.js';
import type { Problem } from '../../analyze/problem.js';
import type { AnalysisDocument } from './analysis-document.js';
import type { Palette } from './palette.js';

export interface AnalysisTextOptions {
  readonly palette: Palette;
  /** Every problem in full, and score factors. */
  readonly wide: boolean;
  /** Markdown for an incident document instead of terminal text. */
  readonly markdown: boolean;
}

const TEXT_PROBLEMS = 3;
const DIAGNOSIS_LINES = 10;

/** The analysis as sections a person reads top-down during an incident (or pastes as markdown). */
export function renderAnalysisText(document: AnalysisDocument, options: AnalysisTextOptions): string {
  const { palette, markdown } = options;
  const heading = (title: string): string =>
    markdown ? `## ${title[0] ?? ''}${title.slice(1).toLowerCase()}` : palette.bold(title);
  const bullet = markdown ? '-' : ' ';
  const code = (text: string): string => (markdown ? `\`${text}\`` : text);
  // Namespaces only when the problems span several (cluster-scoped objects have none to show): a
  // single-namespace answer reads better without.
  const withNamespace =
    new Set(document.problems.flatMap((p) => refOfObjectId(p.object).namespace ?? [])).size > 1;
  const ref = (r: ResourceRef): string => code(formatRef(r, { withNamespace }));
  // A problem is headed by the object to change; the object it was found on follows when it differs.
  const headline = (p: Problem): string =>
    `${severity(p.rootCause)} ${ref(refOfObjectId(p.object))}: ${p.rootCause.message}`;
  const severity = (finding: Finding): string => {
    const text = `[${finding.severity}]`;
    return markdown
      ? `**${text}**`
      : finding.severity === 'critical'
        ? palette.red(text)
        : finding.severity === 'warning'
          ? palette.yellow(text)
          : text;
  };
  const problems = options.wide || markdown ? document.problems : document.problems.slice(0, TEXT_PROBLEMS);
  const scope = document.namespace === undefined ? 'all namespaces' : `namespace ${document.namespace}`;
  const where =
    document.target !== undefined
      ? formatRef(document.target)
      : document.selector !== undefined
        ? `what matches ${document.selector} in ${scope}`
        : scope;
  const sections: string[] = [];

  if (document.problems.length === 0) {
    sections.push(`${heading('DIAGNOSIS')}\n${bullet} no problems found in ${where}`);
  } else {
    const critical = document.problems.filter((p) => p.rootCause.severity === 'critical').length;
    const listed = options.wide || markdown ? document.problems : document.problems.slice(0, DIAGNOSIS_LINES);
    const lines = listed.map(
      (p, i) =>
        `${markdown ? `${String(i + 1)}.` : `  ${String(i + 1)}.`} ${headline(p)}${isOwnObject(p) ? alsoCount(p.alsoOn) : foundOnBrief(p)}`,
    );
    if (listed.length < document.problems.length) {
      lines.push(`  … and ${String(document.problems.length - listed.length)} more (-o wide lists them all)`);
    }
    sections.push(
      `${heading('DIAGNOSIS')}\n${markdown ? '' : '  '}${String(document.problems.length)} problem${document.problems.length === 1 ? '' : 's'} (${String(critical)} critical) in ${where}\n${lines.join('\n')}`,
    );
    sections.push(
      `${heading('ROOT CAUSE')}\n${problems
        .map((p, i) => {
          const lines = [
            `${markdown ? '' : '  '}${String(i + 1)}. ${headline(p)}`,
            ...(isOwnObject(p)
              ? []
              : [`${markdown ? '   ' : '     '}found on: ${ref(p.rootCause.resource)}${whereFixed(p, ref)}`]),
            ...(p.alsoOn.length === 0
              ? []
              : [`${markdown ? '   ' : '     '}also on: ${p.alsoOn.map((r) => code(r.name)).join(', ')}`]),
            `${markdown ? '   ' : '     '}chain: ${p.chain.map(ref).join(' → ')}`,
            ...foldSymptoms(p.symptoms).map((s) => `${markdown ? '   -' : '     ↳'} ${s}`),
          ];
          if (options.wide)
            lines.push(
              `     score ${String(p.score.total)} = severity ${String(p.score.severity)}×10 + affected ${String(p.score.affected)}×2 + criticality ${String(p.score.criticality)}×5`,
            );
          return lines.join('\n');
        })
        .join('\n')}`,
    );
    const contributing = problems.flatMap((p, i) =>
      p.contributing.map(
        (f) =>
          `${markdown ? '-' : ' '} ${severity(f)} ${ref(f.resource)}: ${f.message} (in problem ${String(i + 1)})`,
      ),
    );
    if (contributing.length > 0)
      sections.push(`${heading('CONTRIBUTING FACTORS')}\n${contributing.join('\n')}`);
    sections.push(
      `${heading('EVIDENCE')}\n${problems
        .map((p, i) => {
          const items = [p.rootCause, ...p.symptoms].flatMap((f) =>
            f.evidence.map(
              (e) =>
                `${markdown ? '   -' : '     -'} ${e.source} ${formatRef(e.resource ?? f.resource)}: ${e.text}`,
            ),
          );
          return `${markdown ? '' : '  '}${String(i + 1)}. ${ref(refOfObjectId(p.object))}\n${[...new Set(items)].join('\n')}`;
        })
        .join('\n')}`,
    );
    const actions = problems.flatMap((p) => (p.rootCause.fix === undefined ? [] : [p.rootCause.fix]));
    if (actions.length > 0) {
      sections.push(
        `${heading('SUGGESTED ACTIONS')}\n${actions
          .map((fix, i) => {
            const commands = (fix.commands ?? []).map((c) =>
              markdown ? `   \`\`\`sh\n   ${c}\n   \`\`\`` : `     $ ${c}`,
            );
            return [`${markdown ? '' : '  '}${String(i + 1)}. ${fix.summary}`, ...commands].join('\n');
          })
          .join('\n')}`,
      );
    }
    if (problems.length < document.problems.length) {
      sections.push(
        palette.dim(
          `  ${String(document.problems.length - problems.length)} more problem(s): -o wide shows them all`,
        ),
      );
    }
  }
  if (document.gaps.length > 0) {
    sections.push(
      `${heading('DATA GAPS')}\n${document.gaps
        .map(
          (gap) =>
            `${markdown ? '-' : ' '} ${gap.resource}${gap.namespace === undefined ? '' : ` in ${gap.namespace}`}: ${gap.reason} (${gap.message}); check: ${code(gap.check)}`,
        )
        .join('\n')}`,
    );
  }
  sections.push(
    palette.dim(
      `analyzed ${String(document.objectsAnalyzed)} objects in ${String(Math.round(document.tookMs))} ms (${document.source})`,
    ),
  );
  return `${sections.join('\n\n')}\n`;
}

/** `; the fix goes in Deployment/api's pod template`, or what links the cause to a ConfigMap. */
function whereFixed(problem: Problem, ref: (r: ResourceRef) => string): string {
  const object = ref(refOfObjectId(problem.object));
  if (problem.objectFrom === undefined) return '';
  // A Job's pod template is immutable: the fix goes in it by re-creating the Job.
  return problem.objectFrom === FROM_POD_TEMPLATE
    ? `; the fix goes in ${object}'s pod template${refOfObjectId(problem.object).kind === 'Job' ? ' (immutable: re-create the Job with it)' : ''}`
    : `; ${object} holds what it failed on (${problem.objectFrom})`;
}

/** Whether the problem's object to change is the one its root cause was found on. */
function isOwnObject(problem: Problem): boolean {
  return refKey(refOfObjectId(problem.object)) === refKey(problem.rootCause.resource);
}

/**
 * ` (pod api-7d9f8c-x2x9q, and 2 more pods)` after a headline whose object is not the one the
 * cause was found on.
 */
function foundOnBrief(problem: Problem): string {
  const { kind, name } = problem.rootCause.resource;
  const more = problem.alsoOn.length;
  return ` (${kind.toLowerCase()} ${name}${more === 0 ? '' : `, and ${String(more)} more`})`;
}

/** ` (and 2 more pods)` after a root cause shared by sibling pods. */
function alsoCount(alsoOn: readonly ResourceRef[]): string {
  return alsoOn.length === 0
    ? ''
    : ` (and ${String(alsoOn.length)} more pod${alsoOn.length === 1 ? '' : 's'})`;
}

/**
 * One line per distinct symptom: sibling pods failing the same way say so once, naming the pods,
 * rather than repeating a line that does not say which pod it is about.
 */
function foldSymptoms(symptoms: readonly Finding[]): string[] {
  const byMessage = new Map<string, Finding[]>();
  for (const symptom of symptoms) {
    const same = byMessage.get(symptom.message);
    if (same === undefined) byMessage.set(symptom.message, [symptom]);
    else same.push(symptom);
  }
  return [...byMessage].map(([message, same]) =>
    same.length === 1
      ? message
      : `${message} (${String(same.length)} ${kindPlural(same)}: ${same.map((s) => s.resource.name).join(', ')})`,
  );
}

function kindPlural(findings: readonly Finding[]): string {
  const kinds = new Set(findings.map((f) => f.resource.kind));
  const kind = kinds.size === 1 ? (findings[0]?.resource.kind ?? 'object') : 'object';
  return `${kind.toLowerCase()}s`;
}
