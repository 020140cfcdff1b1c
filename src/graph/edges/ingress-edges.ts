import type { Ingress, IngressBackend } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import { sibling, type EdgeExtractor, type EdgeSink } from './edge-sink.js';
import type { KubeObject } from '../../core/kube-object.js';

/** Ingress → backend Services (with port), TLS Secrets, and its IngressClass. */
export const ingressEdges: EdgeExtractor = (object, sink) => {
  if (object.kind !== 'Ingress') return;
  const spec = (object as Ingress).spec;
  const from = refOf(object);
  if (spec?.defaultBackend !== undefined) linkBackend(object, spec.defaultBackend, 'defaultBackend', sink);
  for (const rule of spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      if (path.backend !== undefined) {
        linkBackend(object, path.backend, `rule:${rule.host ?? '*'}${path.path ?? '/'}`, sink);
      }
    }
  }
  for (const tls of spec?.tls ?? []) {
    if (tls.secretName !== undefined && tls.secretName !== '') {
      sink.link(from, sibling(object, 'Secret', tls.secretName), 'terminates-tls-with', {
        via: `tls:${(tls.hosts ?? []).join(',')}`,
      });
    }
  }
  if (spec?.ingressClassName !== undefined && spec.ingressClassName !== '') {
    sink.link(from, { kind: 'IngressClass', name: spec.ingressClassName }, 'uses-ingress-class');
  }
};

function linkBackend(ingress: KubeObject, backend: IngressBackend, via: string, sink: EdgeSink): void {
  const service = backend.service;
  if (service?.name === undefined) return;
  const port = service.port?.number ?? service.port?.name;
  sink.link(refOf(ingress), sibling(ingress, 'Service', service.name), 'routes-to', {
    via,
    ...(port === undefined ? {} : { port: String(port) }),
  });
}
