import type { Pod, Workload } from '../core/kube-types.js';
import { refKey, type ResourceRef } from '../core/resource-ref.js';
import type { Snapshot } from '../core/snapshot.js';
import { DependencyGraph, type GraphNode } from './dependency-graph.js';
import { apiServiceEdges } from './edges/api-service-edges.js';
import { CHAOS_KINDS, chaosEdges } from './edges/chaos-edges.js';
import type { EdgeExtractor, EdgeSink } from './edges/edge-sink.js';
import { callEdges } from './edges/call-edges.js';
import { eventEdges } from './edges/event-edges.js';
import { logCallEdges } from './edges/log-call-edges.js';
import { ingressEdges } from './edges/ingress-edges.js';
import { ownerEdges } from './edges/owner-edges.js';
import { podSpecEdges } from './edges/pod-spec-edges.js';
import { quotaEdges } from './edges/quota-edges.js';
import { policyEdges } from './edges/policy-edges.js';
import { rbacEdges } from './edges/rbac-edges.js';
import { serviceEdges } from './edges/service-edges.js';
import { storageEdges } from './edges/storage-edges.js';
import { hasPods, isTopLevel, WORKLOAD_KINDS } from './edges/workload-pods.js';
import { ServiceDirectory } from './network/service-directory.js';

const podEdges: EdgeExtractor = (object, sink) => {
  const pod = object as Pod;
  if (pod.spec !== undefined) podSpecEdges(object, pod.spec, sink);
  const configured = pod.spec === undefined ? [] : callEdges(object, pod.spec, object.metadata.labels, sink);
  logCallEdges(pod, configured, sink);
};

/**
 * A workload's template references show on the workload only when it has no pods: otherwise its
 * pods carry them (with the node and state they really have), and the tree would say it twice.
 * A workload that cannot create pods is exactly when the template's references matter most.
 */
const workloadTemplateEdges: EdgeExtractor = (object, sink) => {
  const workload = object as Workload;
  if (!isTopLevel(object) || hasPods(object, sink.snapshot)) return;
  const template = workload.spec?.template ?? workload.spec?.jobTemplate?.spec?.template;
  if (template?.spec === undefined) return;
  podSpecEdges(object, template.spec, sink);
  callEdges(object, template.spec, template.metadata?.labels, sink);
};

const EXTRACTORS_BY_KIND: ReadonlyMap<string, readonly EdgeExtractor[]> = new Map<
  string,
  readonly EdgeExtractor[]
>([
  ['Pod', [podEdges]],
  ...[...WORKLOAD_KINDS].map((kind) => [kind, [workloadTemplateEdges, quotaEdges]] as const),
  ['PersistentVolumeClaim', [storageEdges]],
  ['PersistentVolume', [storageEdges]],
  ['Service', [serviceEdges]],
  ['Ingress', [ingressEdges]],
  ['PodDisruptionBudget', [policyEdges]],
  ['NetworkPolicy', [policyEdges]],
  ['HorizontalPodAutoscaler', [policyEdges]],
  ['RoleBinding', [rbacEdges]],
  ['ClusterRoleBinding', [rbacEdges]],
  ['ValidatingWebhookConfiguration', [apiServiceEdges]],
  ['MutatingWebhookConfiguration', [apiServiceEdges]],
  ['APIService', [apiServiceEdges]],
  ['Event', [eventEdges]],
  ...CHAOS_KINDS.map((kind) => [kind, [chaosEdges]] as const),
]);

/**
 * Builds the dependency graph of a snapshot: one node per object, plus a `missing` node for each
 * reference to an object that is not there (when its kind was read there) or an `unknown` node
 * (when it was not). Pure and linear in the snapshot's size.
 */
export function buildGraph(snapshot: Snapshot): DependencyGraph {
  const graph = new DependencyGraph(snapshot.coverage);
  const nodeFor = (ref: ResourceRef): GraphNode => {
    const key = refKey(ref);
    const existing = graph.nodeByKey(key);
    if (existing !== undefined) return existing;
    const object = snapshot.get(ref);
    if (object !== undefined) return graph.addNode({ key, ref, presence: 'present', object });
    return graph.addNode({
      key,
      ref,
      presence: snapshot.coverage.covers(ref.kind, ref.namespace) ? 'missing' : 'unknown',
    });
  };
  let services: ServiceDirectory | undefined;
  const sink: EdgeSink = {
    snapshot,
    get services() {
      services ??= new ServiceDirectory(snapshot);
      return services;
    },
    link(from, to, kind, detail) {
      graph.addEdge(nodeFor(from).key, nodeFor(to).key, kind, detail);
    },
    linkExternal(from, to, kind) {
      const key = refKey(to);
      graph.addNode({ key, ref: to, presence: 'external' });
      graph.addEdge(nodeFor(from).key, key, kind);
    },
  };
  for (const object of snapshot.all()) {
    const ref: ResourceRef = {
      kind: object.kind,
      ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
      name: object.metadata.name,
    };
    nodeFor(ref);
    ownerEdges(object, sink);
    for (const extract of EXTRACTORS_BY_KIND.get(object.kind) ?? []) extract(object, sink);
  }
  return graph;
}
