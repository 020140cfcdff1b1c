import type { Evidence, Finding, Severity } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import { isNamespaced } from '../../core/kinds.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { Condition } from '../../core/kube-types.js';
import { formatRef, refOf, type ResourceRef } from '../../core/resource-ref.js';
import { nsFlag } from '../pod-refs.js';
import { defineUnjudgedKindsRule } from '../rule.js';

/**
 * The standard conditions that say an object fails, and the status that says so: Ready and
 * Available (the Kubernetes API conventions, kstatus), Degraded (operators), Stalled (kstatus:
 * reconciling stopped and will not go on by itself).
 */
const FAILING: readonly { readonly type: string; readonly status: string; readonly severity: Severity }[] = [
  { type: 'Stalled', status: 'True', severity: 'critical' },
  { type: 'Ready', status: 'False', severity: 'critical' },
  { type: 'Available', status: 'False', severity: 'critical' },
  { type: 'Degraded', status: 'True', severity: 'warning' },
];
/** Conditions that say the object is still getting there: a failing one is then a warning. */
const IN_PROGRESS = ['Reconciling', 'Progressing'];
/** Owned objects named in the evidence; the rest are counted. */
const LISTED = 5;

/**
 * Any object of a kind no other rule judges (custom resources included: a cert-manager
 * Certificate, an Argo CD Application, a Crossplane claim, an APIService) whose standard conditions
 * say it fails: Ready=False, Available=False, Degraded=True or Stalled=True. The message is the
 * condition's reason and message; the evidence adds when it changed and the object's owners and
 * what it owns (owner references both ways), so the ranking can put it under a failing object it
 * owns. Critical, but a warning when Degraded, or when a Reconciling or Progressing condition says
 * it is still on its way.
 */
export const conditionFailing = defineUnjudgedKindsRule({
  id: 'condition-failing',
  summary:
    'an object of a kind no other rule judges, custom resources included, whose standard conditions say Ready=False, Available=False, Degraded=True or Stalled=True: reason, message, owners and what it owns',
  reads: [],
  symptom: true,
  detect(object, { snapshot }) {
    const conditions = conditionsOf(object);
    const failing = FAILING.flatMap((want) => {
      const condition = conditions.find((c) => c.type === want.type && c.status === want.status);
      return condition === undefined ? [] : [{ condition, severity: want.severity }];
    });
    const [worst] = failing;
    if (worst === undefined) return [];
    const ref = refOf(object);
    const inProgress = conditions.filter((c) => IN_PROGRESS.includes(c.type) && c.status === 'True');
    const severity: Severity = inProgress.length > 0 ? 'warning' : worst.severity;
    const evidence: Evidence[] = [...failing.map((f) => f.condition), ...inProgress].map((condition) => ({
      source: 'status' as const,
      text: conditionText(condition),
    }));
    for (const owner of object.metadata.ownerReferences ?? []) {
      const namespace = isNamespaced(owner.kind) ? object.metadata.namespace : undefined;
      const ownerRef: ResourceRef = {
        kind: owner.kind,
        ...(namespace === undefined ? {} : { namespace }),
        name: owner.name,
      };
      evidence.push({ source: 'graph', resource: ownerRef, text: `owns ${formatRef(ref)}` });
    }
    const uid = object.metadata.uid;
    const owned = uid === undefined ? [] : snapshot.ownedBy(uid).map((o) => formatRef(refOf(o)));
    if (owned.length > 0) evidence.push({ source: 'graph', text: `owns ${formatList(owned, LISTED)}` });
    const { condition } = worst;
    const why = [condition.reason, condition.message?.trim()].filter(
      (part) => part !== undefined && part !== '',
    );
    const finding: Finding = {
      ruleId: this.id,
      severity,
      resource: ref,
      message: `${condition.type}=${condition.status}${why.length === 0 ? ' (no reason given)' : `: ${why.join(': ')}`}`,
      evidence,
      fix: {
        summary: `read what its controller says about it (its conditions and events), and fix what ${condition.reason ?? 'the condition'} names`,
        commands: [`kubectl ${nsFlag(ref)}describe ${resourceWord(object)} ${ref.name}`],
      },
    };
    return [finding];
  },
});

/** The object's `status.conditions`, those that have a type and status. */
function conditionsOf(object: KubeObject): Condition[] {
  const status = object['status'] as { conditions?: unknown } | undefined;
  const conditions = status?.conditions;
  if (!Array.isArray(conditions)) return [];
  return conditions.filter(
    (c): c is Condition =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as { type?: unknown }).type === 'string' &&
      typeof (c as { status?: unknown }).status === 'string',
  );
}

/** `Ready=False NotFound: … (since 2026-11-20T03:00:00Z)`. */
function conditionText(condition: Condition): string {
  const reason = condition.reason === undefined ? '' : ` ${condition.reason}`;
  const message =
    condition.message === undefined || condition.message.trim() === '' ? '' : `: ${condition.message.trim()}`;
  const since = condition.lastTransitionTime === undefined ? '' : ` (since ${condition.lastTransitionTime})`;
  return `${condition.type}=${condition.status}${reason}${message}${since}`;
}

/** What kubectl takes for the object's kind: `certificate.cert-manager.io` when the group is known. */
function resourceWord(object: { readonly kind: string; readonly apiVersion?: string }): string {
  const group = object.apiVersion?.includes('/') === true ? object.apiVersion.split('/')[0] : undefined;
  return group === undefined ? object.kind.toLowerCase() : `${object.kind.toLowerCase()}.${group}`;
}
