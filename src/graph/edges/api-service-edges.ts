import type { APIService, ServiceReference, WebhookConfiguration } from '../../core/kube-types.js';
import { refOf } from '../../core/resource-ref.js';
import type { EdgeExtractor } from './edge-sink.js';

/**
 * Admission webhooks and aggregated APIs call a Service: when it has no ready pods, every write
 * (webhooks) or every read of that API group fails, far from where the Service lives.
 */
export const apiServiceEdges: EdgeExtractor = (object, sink) => {
  const from = refOf(object);
  const link = (service: ServiceReference | null | undefined, via: string): void => {
    if (service?.name === undefined || service.namespace === undefined) return;
    sink.link(from, { kind: 'Service', namespace: service.namespace, name: service.name }, 'calls-service', {
      via,
      ...(service.port === undefined ? {} : { port: String(service.port) }),
    });
  };
  if (object.kind === 'ValidatingWebhookConfiguration' || object.kind === 'MutatingWebhookConfiguration') {
    for (const webhook of (object as WebhookConfiguration).webhooks ?? []) {
      link(webhook.clientConfig?.service, `webhook:${webhook.name ?? ''}`);
    }
  } else if (object.kind === 'APIService') {
    link((object as APIService).spec?.service, 'apiservice');
  }
};
