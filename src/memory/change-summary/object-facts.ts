import { formatList } from '../../core/format-list.js';
import type { KubeObject } from '../../core/kube-object.js';
import { isRecord } from './is-record.js';
import { POD_SPEC_AT, podSpecOf } from './pod-spec-of.js';
import { selectorText } from './selector-text.js';
import { show } from './value-text.js';
import { WORKLOAD_KINDS } from './workload-kinds.js';

/** `created` or `deleted`, with the facts a person checks first: replicas, images, keys, selector. */
export function withFacts(verb: string, kind: string, object: KubeObject | undefined): string {
  const facts = object === undefined ? [] : factsOf(kind, object);
  return facts.length === 0 ? verb : `${verb}: ${facts.join(', ')}`;
}

function factsOf(kind: string, object: KubeObject): string[] {
  const facts: string[] = [];
  const spec = isRecord(object.spec) ? object.spec : {};
  if (WORKLOAD_KINDS.includes(kind) && typeof spec.replicas === 'number')
    facts.push(`${String(spec.replicas)} ${spec.replicas === 1 ? 'replica' : 'replicas'}`);
  if (kind === 'CronJob' && typeof spec.schedule === 'string') facts.push(`schedule ${spec.schedule}`);
  const podSpec = podSpecOf(object, POD_SPEC_AT.get(kind));
  const images = (podSpec?.containers ?? []).filter((c) => typeof c.image === 'string');
  if (images.length === 1) facts.push(`image ${images[0]?.image ?? ''}`);
  else if (images.length > 1)
    facts.push(
      `images ${formatList(
        images.map((container) => `${container.name}=${container.image ?? ''}`),
        3,
      )}`,
    );
  if (kind === 'Pod' && typeof podSpec?.nodeName === 'string') facts.push(`on ${podSpec.nodeName}`);
  if (kind === 'ConfigMap' || kind === 'Secret') {
    const keys = ['data', 'binaryData', 'stringData'].flatMap((map) => {
      const values = object[map];
      return isRecord(values) ? Object.keys(values) : [];
    });
    if (keys.length > 0)
      facts.push(`${keys.length === 1 ? 'key' : 'keys'} ${formatList([...new Set(keys)], 3)}`);
  }
  if (kind === 'Service') {
    if (typeof spec.type === 'string') facts.push(`type ${spec.type}`);
    const selector = selectorText(object, true);
    if (selector !== undefined && selector !== '(none)') facts.push(`selector ${selector}`);
  }
  if (kind === 'HorizontalPodAutoscaler') {
    const target = isRecord(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
    if (typeof target.kind === 'string' && typeof target.name === 'string')
      facts.push(`for ${target.kind}/${target.name}`);
    if (typeof spec.maxReplicas === 'number')
      facts.push(
        `replicas ${show(typeof spec.minReplicas === 'number' ? spec.minReplicas : 1)}–${show(spec.maxReplicas)}`,
      );
  }
  return facts;
}
