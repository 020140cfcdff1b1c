import type { Change, ChangeAction, ChangedObject } from '../core/change.js';
import type { KubeObject } from '../core/kube-object.js';
import { actorOf, reasonOf, rolloutOf } from './change-actor.js';
import { summarizeChange } from './change-summary/index.js';
import { diffObjects } from './field-diff.js';
import type { DigestKey } from './secret-digest.js';

export interface ChangeInput {
  /** ISO time the change was seen. */
  readonly at: string;
  /** The object as it was; absent when it was just created. */
  readonly before?: KubeObject;
  /** The object as it is now; absent when it was deleted. */
  readonly after?: KubeObject;
  /** The resourceVersion of the change, when not the `after` object's (a deletion's final one). */
  readonly resourceVersion?: string;
  /** The store's digest key for Secret values; without it Secret values are left out entirely. */
  readonly secretKey?: DigestKey;
}

/**
 * One recorded change from two states of an object: the field diff, the summary, the actor (from
 * managedFields; none for a deletion, which managedFields cannot tell) and the reason. Undefined
 * when nothing but churn moved (a heartbeat, a resourceVersion), so the recorder stores nothing.
 * The audit log's user is added afterwards (withAuditActor), when a log is given.
 */
export function makeChange(input: ChangeInput): Change | undefined {
  const { before, after } = input;
  const object = after ?? before;
  if (object === undefined) return undefined;
  const action: ChangeAction = before === undefined ? 'added' : after === undefined ? 'deleted' : 'modified';
  const fields = diffObjects(
    before,
    after,
    input.secretKey === undefined ? {} : { secretKey: input.secretKey },
  );
  if (action === 'modified' && fields.length === 0) return undefined;
  const summary = summarizeChange({
    kind: object.kind,
    action,
    fields,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  });
  const actor = after === undefined || action === 'deleted' ? undefined : actorOf(after, fields, action);
  const rollout = after === undefined ? rolloutOf(object) : undefined;
  const reason =
    after === undefined ? (rollout === undefined ? undefined : { rollout }) : reasonOf(after, fields);
  const resourceVersion = input.resourceVersion ?? object.metadata.resourceVersion;
  return {
    at: input.at,
    object: changedObject(object),
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    action,
    fields,
    summary,
    ...(actor === undefined ? {} : { actor }),
    ...(reason === undefined ? {} : { reason }),
  };
}

function changedObject(object: KubeObject): ChangedObject {
  const { name, namespace, uid } = object.metadata;
  return {
    kind: object.kind,
    ...(namespace === undefined ? {} : { namespace }),
    name,
    ...(uid === undefined ? {} : { uid }),
  };
}
