import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import type { KubeObject } from '../../core/kube-object.js';
import { rankFindings } from '../rank.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { webhookBackendUnready } from './webhook-backend-unready.js';

/** ingress-nginx's admission webhook, as its deploy manifest creates it. */
const ingressNginxWebhook: KubeObject = {
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingWebhookConfiguration',
  metadata: {
    name: 'ingress-nginx-admission',
    labels: { 'app.kubernetes.io/component': 'admission-webhook' },
  },
  webhooks: [
    {
      admissionReviewVersions: ['v1'],
      clientConfig: {
        service: {
          name: 'ingress-nginx-controller-admission',
          namespace: 'ingress-nginx',
          path: '/networking/v1/ingresses',
          port: 443,
        },
      },
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      name: 'validate.nginx.ingress.kubernetes.io',
      rules: [
        {
          apiGroups: ['networking.k8s.io'],
          apiVersions: ['v1'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['ingresses'],
        },
      ],
      sideEffects: 'None',
    },
  ],
};
const controllerLabels = {
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/name': 'ingress-nginx',
};
const admissionService: KubeObject = {
  kind: 'Service',
  metadata: { name: 'ingress-nginx-controller-admission', namespace: 'ingress-nginx' },
  spec: {
    type: 'ClusterIP',
    selector: controllerLabels,
    ports: [{ appProtocol: 'https', name: 'https-webhook', port: 443, targetPort: 'webhook' }],
  },
};
const controllerPod = (crashing: boolean): KubeObject => ({
  kind: 'Pod',
  metadata: {
    name: 'ingress-nginx-controller-7d9f5c8b4-xk2lp',
    namespace: 'ingress-nginx',
    labels: controllerLabels,
  },
  spec: {
    containers: [
      {
        name: 'controller',
        image: 'registry.k8s.io/ingress-nginx/controller:v1.10.1',
        ports: [
          { name: 'http', containerPort: 80, protocol: 'TCP' },
          { name: 'https', containerPort: 443, protocol: 'TCP' },
          { name: 'webhook', containerPort: 8443, protocol: 'TCP' },
        ],
      },
    ],
  },
  status: crashing
    ? {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          {
            name: 'controller',
            ready: false,
            restartCount: 6,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message:
                  'back-off 2m40s restarting failed container=controller pod=ingress-nginx-controller-7d9f5c8b4-xk2lp_ingress-nginx(5b0e…)',
              },
            },
          },
        ],
      }
    : {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'controller', ready: true, restartCount: 0, state: { running: {} } }],
      },
});

/** metrics-server's APIService (its components.yaml) with the aggregator's condition. */
const metricsApi = (available: object): KubeObject => ({
  apiVersion: 'apiregistration.k8s.io/v1',
  kind: 'APIService',
  metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
  spec: {
    service: { name: 'metrics-server', namespace: 'kube-system', port: 443 },
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    insecureSkipTLSVerify: true,
    groupPriorityMinimum: 100,
    versionPriority: 100,
  },
  status: { conditions: [{ type: 'Available', lastTransitionTime: '2026-11-20T02:40:11Z', ...available }] },
});
const metricsService = (targetPort: string): KubeObject => ({
  kind: 'Service',
  metadata: { name: 'metrics-server', namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' } },
  spec: {
    selector: { 'k8s-app': 'metrics-server' },
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort }],
  },
});
const metricsPod: KubeObject = {
  kind: 'Pod',
  metadata: {
    name: 'metrics-server-5fbdc54f8c-7v6kq',
    namespace: 'kube-system',
    labels: { 'k8s-app': 'metrics-server' },
  },
  spec: {
    containers: [
      { name: 'metrics-server', ports: [{ name: 'main-port', containerPort: 4443, protocol: 'TCP' }] },
    ],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
};

describe('webhook-backend-unready', () => {
  it('finds nothing while the webhook’s Service has a ready pod', () => {
    const objects = [ingressNginxWebhook, admissionService, controllerPod(false)];
    expect(webhookBackendUnready.detect(ingressNginxWebhook, contextOf(objects))).toEqual([]);
  });

  it('says every matching request is refused when a Fail webhook’s pods are not ready, naming what it covers', () => {
    const objects = [ingressNginxWebhook, admissionService, controllerPod(true)];
    expect(webhookBackendUnready.detect(ingressNginxWebhook, contextOf(objects))).toEqual([
      {
        ruleId: 'webhook-backend-unready',
        severity: 'critical',
        resource: { kind: 'ValidatingWebhookConfiguration', name: 'ingress-nginx-admission' },
        message:
          'ValidatingWebhookConfiguration ingress-nginx-admission: webhook validate.nginx.ingress.kubernetes.io calls Service ingress-nginx/ingress-nginx-controller-admission, which has no ready pods, and its failurePolicy is Fail: every matching request (CREATE/UPDATE of ingresses.networking.k8s.io) is refused',
        evidence: [
          {
            source: 'spec',
            text: 'webhooks[0] validate.nginx.ingress.kubernetes.io: clientConfig.service ingress-nginx/ingress-nginx-controller-admission:443, failurePolicy Fail',
          },
          { source: 'spec', text: 'rules: CREATE/UPDATE of ingresses.networking.k8s.io' },
          {
            source: 'graph',
            resource: {
              kind: 'Service',
              namespace: 'ingress-nginx',
              name: 'ingress-nginx-controller-admission',
            },
            text: 'Service ingress-nginx/ingress-nginx-controller-admission: no ready pods',
          },
        ],
        fix: {
          summary:
            "bring Service ingress-nginx/ingress-nginx-controller-admission's pods back (the finding on them says why they fail); to let requests through meanwhile, set failurePolicy Ignore on validate.nginx.ingress.kubernetes.io",
          commands: [
            'kubectl -n ingress-nginx get pods -l app.kubernetes.io/component=controller,app.kubernetes.io/instance=ingress-nginx,app.kubernetes.io/name=ingress-nginx',
            `kubectl patch validatingwebhookconfiguration ingress-nginx-admission --type=json -p '[{"op":"replace","path":"/webhooks/0/failurePolicy","value":"Ignore"}]'`,
          ],
        },
      },
    ]);
  });

  it('ranks under the failing pods behind the Service: the webhook is their symptom', () => {
    const objects = [ingressNginxWebhook, admissionService, controllerPod(true)];
    const context = contextOf(objects);
    const podFinding: Finding = {
      ruleId: 'pod-crashloop',
      severity: 'critical',
      resource: { kind: 'Pod', namespace: 'ingress-nginx', name: 'ingress-nginx-controller-7d9f5c8b4-xk2lp' },
      message: 'container controller is in CrashLoopBackOff',
      evidence: [],
    };
    const findings = [podFinding, ...webhookBackendUnready.detect(ingressNginxWebhook, context)];
    const [problem, ...others] = rankFindings(findings, context.graph, new Set(['webhook-backend-unready']));
    expect(others).toEqual([]);
    expect(problem?.rootCause).toBe(podFinding);
    expect(problem?.symptoms.map((f) => f.ruleId)).toEqual(['webhook-backend-unready']);
  });

  it('warns that an Ignore webhook is silently skipped', () => {
    const injector: KubeObject = {
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'linkerd-proxy-injector-webhook-config' },
      webhooks: [
        {
          name: 'linkerd-proxy-injector.linkerd.io',
          clientConfig: { service: { name: 'linkerd-proxy-injector', namespace: 'linkerd', path: '/' } },
          failurePolicy: 'Ignore',
          rules: [
            { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods', 'services'] },
          ],
          sideEffects: 'None',
        },
      ],
    };
    const service: KubeObject = {
      kind: 'Service',
      metadata: { name: 'linkerd-proxy-injector', namespace: 'linkerd' },
      spec: {
        selector: { 'linkerd.io/control-plane-component': 'proxy-injector' },
        ports: [{ name: 'proxy-injector', port: 443, targetPort: 'proxy-injector' }],
      },
    };
    const [finding] = webhookBackendUnready.detect(injector, contextOf([injector, service]));
    expect(finding?.severity).toBe('warning');
    expect(finding?.message).toBe(
      'MutatingWebhookConfiguration linkerd-proxy-injector-webhook-config: webhook linkerd-proxy-injector.linkerd.io calls Service linkerd/linkerd-proxy-injector, which selects no pods; its failurePolicy is Ignore, so matching requests (CREATE of pods, services) silently go through without its mutation',
    );
    expect(finding?.fix).toEqual({
      summary:
        "bring Service linkerd/linkerd-proxy-injector's pods back (the finding on them says why they fail)",
      commands: ['kubectl -n linkerd get pods -l linkerd.io/control-plane-component=proxy-injector'],
    });
  });

  it('says a webhook left behind by an uninstall calls a Service that does not exist, and to delete it', () => {
    const leftover: KubeObject = {
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'cert-manager-webhook' },
      webhooks: [
        {
          name: 'webhook.cert-manager.io',
          clientConfig: {
            service: { name: 'cert-manager-webhook', namespace: 'cert-manager', path: '/validate' },
          },
          rules: [
            {
              apiGroups: ['cert-manager.io', 'acme.cert-manager.io'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['*/*'],
            },
          ],
          sideEffects: 'None',
        },
      ],
    };
    expect(webhookBackendUnready.detect(leftover, contextOf([leftover]))).toEqual([
      {
        ruleId: 'webhook-backend-unready',
        severity: 'critical',
        resource: { kind: 'ValidatingWebhookConfiguration', name: 'cert-manager-webhook' },
        message:
          'ValidatingWebhookConfiguration cert-manager-webhook: webhook webhook.cert-manager.io calls Service cert-manager/cert-manager-webhook, which does not exist, and its failurePolicy is Fail: every matching request (CREATE/UPDATE of any cert-manager.io resource, any acme.cert-manager.io resource) is refused',
        evidence: [
          {
            source: 'spec',
            text: 'webhooks[0] webhook.cert-manager.io: clientConfig.service cert-manager/cert-manager-webhook, failurePolicy Fail (default)',
          },
          {
            source: 'spec',
            text: 'rules: CREATE/UPDATE of any cert-manager.io resource, any acme.cert-manager.io resource',
          },
          {
            source: 'graph',
            resource: { kind: 'Service', namespace: 'cert-manager', name: 'cert-manager-webhook' },
            text: 'Service cert-manager/cert-manager-webhook: not found',
          },
        ],
        fix: {
          summary:
            'Service cert-manager/cert-manager-webhook does not exist: if what served this webhook was uninstalled, delete the leftover configuration; otherwise reinstall it',
          commands: ['kubectl delete validatingwebhookconfiguration cert-manager-webhook'],
        },
      },
    ]);
  });

  it('says to set Ignore first when a Fail webhook covering pod creation would refuse its own pods', () => {
    const kyverno: KubeObject = {
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'kyverno-resource-validating-webhook-cfg' },
      webhooks: [
        {
          name: 'validate.kyverno.svc-fail',
          clientConfig: {
            service: { name: 'kyverno-svc', namespace: 'kyverno', path: '/validate/fail', port: 443 },
          },
          failurePolicy: 'Fail',
          rules: [
            {
              apiGroups: [''],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'],
              resources: ['pods'],
            },
          ],
        },
      ],
    };
    const service: KubeObject = {
      kind: 'Service',
      metadata: { name: 'kyverno-svc', namespace: 'kyverno' },
      spec: {
        selector: { 'app.kubernetes.io/component': 'admission-controller' },
        ports: [{ name: 'https', port: 443, targetPort: 'https' }],
      },
    };
    const [finding] = webhookBackendUnready.detect(kyverno, contextOf([kyverno, service]));
    expect(finding?.fix?.summary).toBe(
      "bring Service kyverno/kyverno-svc's pods back (the finding on them says why they fail); to let requests through meanwhile, set failurePolicy Ignore on validate.kyverno.svc-fail — needed first if its own pods cannot be created, since its rules cover pod creation",
    );
  });

  it('finds nothing for an available APIService, or a local one', () => {
    const api = metricsApi({ status: 'True', reason: 'Passed', message: 'all checks passed' });
    expect(
      webhookBackendUnready.detect(api, contextOf([api, metricsService('main-port'), metricsPod])),
    ).toEqual([]);
    const local: KubeObject = {
      kind: 'APIService',
      metadata: { name: 'v1.apps' },
      spec: { service: null, group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 },
      status: {
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'Local',
            message: 'Local APIServices are always available',
          },
        ],
      },
    };
    expect(webhookBackendUnready.detect(local, contextOf([local]))).toEqual([]);
  });

  it('says an unavailable APIService breaks its whole group, quoting the aggregator', () => {
    const api = metricsApi({
      status: 'False',
      reason: 'MissingEndpoints',
      message:
        'endpointslices for service/metrics-server in "kube-system" have no addresses with port name "https"',
    });
    const objects = [api, metricsService('https'), metricsPod];
    expect(webhookBackendUnready.detect(api, contextOf(objects))).toEqual([
      {
        ruleId: 'webhook-backend-unready',
        severity: 'critical',
        resource: { kind: 'APIService', name: 'v1beta1.metrics.k8s.io' },
        message:
          'APIService v1beta1.metrics.k8s.io is unavailable (MissingEndpoints): every request to metrics.k8s.io/v1beta1 fails, `kubectl top` and HPAs on CPU or memory stop working, and kubectl discovery and namespace deletion report errors',
        evidence: [
          {
            source: 'status',
            text: 'Available=False MissingEndpoints: endpointslices for service/metrics-server in "kube-system" have no addresses with port name "https"',
          },
          { source: 'spec', text: 'service kube-system/metrics-server:443' },
        ],
        fix: {
          summary:
            'give Service kube-system/metrics-server ready endpoints: bring its pods back (the findings on them say why they fail), and make its targetPort match the port the pods declare',
          commands: [
            'kubectl -n kube-system get endpointslices -l kubernetes.io/service-name=metrics-server',
            'kubectl -n kube-system get pods -l k8s-app=metrics-server',
          ],
        },
      },
    ]);
  });

  it('says to delete an APIService whose Service is gone', () => {
    const api = metricsApi({
      status: 'False',
      reason: 'ServiceNotFound',
      message: 'service/metrics-server in "kube-system" is not present',
    });
    const [finding] = webhookBackendUnready.detect(api, contextOf([api]));
    expect(finding?.evidence[2]).toEqual({
      source: 'graph',
      resource: { kind: 'Service', namespace: 'kube-system', name: 'metrics-server' },
      text: 'Service kube-system/metrics-server: not found',
    });
    expect(finding?.fix).toEqual({
      summary:
        'Service kube-system/metrics-server does not exist: if the add-on that served v1beta1.metrics.k8s.io was removed, delete the APIService; otherwise reinstall the add-on',
      commands: ['kubectl delete apiservice v1beta1.metrics.k8s.io'],
    });
  });

  it('says a failed discovery check means the pods answer badly, and how to see it', () => {
    const api = metricsApi({
      status: 'False',
      reason: 'FailedDiscoveryCheck',
      message:
        'failing or missing response from https://10.96.53.120:443/apis/metrics.k8s.io/v1beta1: Get "https://10.96.53.120:443/apis/metrics.k8s.io/v1beta1": context deadline exceeded',
    });
    const [finding] = webhookBackendUnready.detect(
      api,
      contextOf([api, metricsService('main-port'), metricsPod]),
    );
    expect(finding?.fix?.commands).toEqual([
      'kubectl get --raw /apis/metrics.k8s.io/v1beta1',
      'kubectl -n kube-system logs -l k8s-app=metrics-server --tail=50',
    ]);
  });
});
