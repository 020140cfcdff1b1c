import type { Evidence, Finding, Fix } from '../../core/finding.js';
import { formatList } from '../../core/format-list.js';
import type {
  APIService,
  Service,
  ServiceReference,
  WebhookConfiguration,
  WebhookRule,
} from '../../core/kube-types.js';
import { refOf, type ResourceRef } from '../../core/resource-ref.js';
import type { DependencyGraph } from '../../graph/dependency-graph.js';
import { healthOf } from '../../graph/health.js';
import { defineRule } from '../rule.js';

/** What an unavailable aggregated API breaks beyond its own group, for the groups people depend on. */
const GROUP_USERS: Readonly<Record<string, string>> = {
  'metrics.k8s.io': '`kubectl top` and HPAs on CPU or memory stop working',
  'custom.metrics.k8s.io': 'HPAs on custom metrics stop scaling',
  'external.metrics.k8s.io': 'HPAs on external metrics stop scaling',
};

/**
 * An admission webhook whose Service (clientConfig.service) does not exist or has no ready pods.
 * With failurePolicy Fail (the v1 default) the API server refuses every request its rules match:
 * critical, naming the operations and resources. With Ignore it skips the webhook, so its checks
 * or mutations silently stop: warning. And an APIService backed by a Service whose Available
 * condition is False: every request to its group fails, and discovery errors reach every kubectl
 * and every namespace deletion. Critical.
 *
 * A symptom: the webhook and APIService call the Service (`calls-service`), which selects the
 * pods, so when those pods fail (a crash loop, an image that cannot be pulled) the ranking puts
 * this under that cause. When the Service itself is gone, nothing explains it, and it is the root.
 */
export const webhookBackendUnready = defineRule({
  id: 'webhook-backend-unready',
  summary:
    'an admission webhook or APIService whose Service is missing or has no ready pods, with what it blocks',
  reads: ['Service'],
  kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService'],
  symptom: true,
  detect(object, { graph }) {
    return object.kind === 'APIService'
      ? apiServiceUnavailable(this.id, object, graph)
      : webhooksUnready(this.id, object, graph);
  },
});

/** Why a Service cannot answer, or undefined when it can (or we did not read it). */
interface Backend {
  readonly ref: ResourceRef;
  readonly service?: Service;
  /** `not found`, `no ready pods`, `selects no pods`. */
  readonly problem?: string;
}

function backendOf(reference: ServiceReference, graph: DependencyGraph): Backend | undefined {
  if (reference.name === undefined || reference.namespace === undefined) return undefined;
  const ref: ResourceRef = { kind: 'Service', namespace: reference.namespace, name: reference.name };
  const node = graph.node(ref);
  if (node === undefined) return undefined;
  if (node.presence === 'missing') return { ref, problem: 'not found' };
  if (node.presence !== 'present') return { ref };
  const health = healthOf(node, graph);
  return {
    ref,
    ...(node.object === undefined ? {} : { service: node.object }),
    ...(health.state === 'failing' ? { problem: health.reason ?? 'failing' } : {}),
  };
}

function webhooksUnready(ruleId: string, config: WebhookConfiguration, graph: DependencyGraph): Finding[] {
  const ref = refOf(config);
  const kind = config.kind;
  const findings: Finding[] = [];
  (config.webhooks ?? []).forEach((webhook, index) => {
    const reference = webhook.clientConfig?.service;
    const rules = webhook.rules ?? [];
    // A webhook with no rules intercepts nothing; one called by URL has no Service to judge.
    if (reference === undefined || rules.length === 0) return;
    const backend = backendOf(reference, graph);
    if (backend?.problem === undefined) return;
    const name = webhook.name ?? `webhooks[${String(index)}]`;
    const fail = (webhook.failurePolicy ?? 'Fail') === 'Fail';
    const covers = rulesText(rules);
    const serviceText = `Service ${backend.ref.namespace ?? ''}/${backend.ref.name}`;
    const what = kind === 'MutatingWebhookConfiguration' ? 'mutation' : 'validation';
    const evidence: Evidence[] = [
      {
        source: 'spec',
        text: `webhooks[${String(index)}] ${name}: clientConfig.service ${backend.ref.namespace ?? ''}/${backend.ref.name}${reference.port === undefined ? '' : `:${String(reference.port)}`}, failurePolicy ${webhook.failurePolicy ?? 'Fail (default)'}`,
      },
      { source: 'spec', text: `rules: ${covers}` },
      { source: 'graph', resource: backend.ref, text: `${serviceText}: ${backend.problem}` },
    ];
    const patch = `kubectl patch ${kind.toLowerCase()} ${ref.name} --type=json -p '[{"op":"replace","path":"/webhooks/${String(index)}/failurePolicy","value":"Ignore"}]'`;
    const selfBlocking = fail && coversPodCreation(rules);
    let fix: Fix;
    if (backend.problem === 'not found') {
      fix = {
        summary: `${serviceText} does not exist: if what served this webhook was uninstalled, delete the leftover configuration; otherwise reinstall it`,
        commands: [`kubectl delete ${kind.toLowerCase()} ${ref.name}`],
      };
    } else {
      const pods = podsCommand(backend);
      fix = {
        summary: fail
          ? `bring ${serviceText}'s pods back (the finding on them says why they fail); to let requests through meanwhile, set failurePolicy Ignore on ${name}${selfBlocking ? ' — needed first if its own pods cannot be created, since its rules cover pod creation' : ''}`
          : `bring ${serviceText}'s pods back (the finding on them says why they fail)`,
        commands: [...(pods === undefined ? [] : [pods]), ...(fail ? [patch] : [])],
      };
    }
    findings.push({
      ruleId,
      severity: fail ? 'critical' : 'warning',
      resource: ref,
      message: fail
        ? `${kind} ${ref.name}: webhook ${name} calls ${serviceText}, ${whichClause(backend.problem)}, and its failurePolicy is Fail: every matching request (${covers}) is refused`
        : `${kind} ${ref.name}: webhook ${name} calls ${serviceText}, ${whichClause(backend.problem)}; its failurePolicy is Ignore, so matching requests (${covers}) silently go through without its ${what}`,
      evidence,
      fix,
    });
  });
  return findings;
}

function apiServiceUnavailable(ruleId: string, api: APIService, graph: DependencyGraph): Finding[] {
  const reference = api.spec?.service;
  // No service: a local API served by kube-apiserver itself.
  if (reference === undefined || reference === null) return [];
  const available = api.status?.conditions?.find((c) => c.type === 'Available');
  if (available?.status !== 'False') return [];
  const ref = refOf(api);
  const group = api.spec?.group ?? '';
  const groupVersion = group === '' ? (api.spec?.version ?? ref.name) : `${group}/${api.spec?.version ?? ''}`;
  const backend = backendOf(reference, graph);
  const serviceText = `Service ${reference.namespace ?? ''}/${reference.name ?? ''}`;
  const reason = available.reason ?? 'Unavailable';
  const evidence: Evidence[] = [
    {
      source: 'status',
      text: `Available=False ${reason}${available.message === undefined || available.message === '' ? '' : `: ${available.message}`}`,
    },
    {
      source: 'spec',
      text: `service ${reference.namespace ?? ''}/${reference.name ?? ''}:${String(reference.port ?? 443)}`,
    },
  ];
  if (backend?.problem !== undefined)
    evidence.push({ source: 'graph', resource: backend.ref, text: `${serviceText}: ${backend.problem}` });
  const users = GROUP_USERS[group];
  return [
    {
      ruleId,
      severity: 'critical',
      resource: ref,
      message: `APIService ${ref.name} is unavailable (${reason}): every request to ${groupVersion} fails${users === undefined ? '' : `, ${users}`}, and kubectl discovery and namespace deletion report errors`,
      evidence,
      fix: apiServiceFix(api, reason, serviceText, backend),
    },
  ];
}

function apiServiceFix(
  api: APIService,
  reason: string,
  serviceText: string,
  backend: Backend | undefined,
): Fix {
  const name = api.metadata.name;
  const ns = backend?.ref.namespace ?? '';
  const service = backend?.ref.name ?? '';
  const pods = backend === undefined ? undefined : podsCommand(backend);
  const deleteIt = `kubectl delete apiservice ${name}`;
  if (reason === 'ServiceNotFound' || backend?.problem === 'not found')
    return {
      summary: `${serviceText} does not exist: if the add-on that served ${name} was removed, delete the APIService; otherwise reinstall the add-on`,
      commands: [deleteIt],
    };
  if (reason === 'ServicePortError')
    return {
      summary: `make the APIService's service.port one of ${serviceText}'s ports`,
      commands: [`kubectl -n ${ns} get service ${service} -o yaml`, `kubectl edit apiservice ${name}`],
    };
  if (reason === 'MissingEndpoints' || reason === 'EndpointsNotFound')
    return {
      summary: `give ${serviceText} ready endpoints: bring its pods back (the findings on them say why they fail), and make its targetPort match the port the pods declare`,
      commands: [
        `kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${service}`,
        ...(pods === undefined ? [] : [pods]),
      ],
    };
  if (reason === 'FailedDiscoveryCheck')
    return {
      summary: `the API server gets no good answer from ${serviceText}'s pods: read their logs, and check that the control plane can reach them (network policies, firewalls, certificates)`,
      commands: [
        `kubectl get --raw /apis/${api.spec?.group ?? ''}/${api.spec?.version ?? ''}`,
        ...(pods === undefined ? [] : [`${pods.replace(' get pods ', ' logs ')} --tail=50`]),
      ],
    };
  return {
    summary: 'read the condition and the backend’s pods',
    commands: [`kubectl describe apiservice ${name}`],
  };
}

/** `kubectl -n ns get pods -l app=x`: the Service's pods, when it has a selector. */
function podsCommand(backend: Backend): string | undefined {
  const selector = Object.entries(backend.service?.spec?.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return selector === '' ? undefined : `kubectl -n ${backend.ref.namespace ?? ''} get pods -l ${selector}`;
}

/** `which has no ready pods`: the Service's problem as a clause. */
function whichClause(problem: string): string {
  switch (problem) {
    case 'not found':
      return 'which does not exist';
    case 'selects no pods':
      return 'which selects no pods';
    case 'no ready pods':
      return 'which has no ready pods';
    default:
      return `which is failing (${problem})`;
  }
}

/** `CREATE/UPDATE of ingresses.networking.k8s.io; DELETE of any resource`: what the rules intercept. */
function rulesText(rules: readonly WebhookRule[]): string {
  return rules
    .map((rule) => {
      const operations = rule.operations ?? [];
      const ops = operations.length === 0 || operations.includes('*') ? 'any' : operations.join('/');
      const resources = (rule.apiGroups ?? ['']).flatMap((group) =>
        (rule.resources ?? []).map((resource) => resourceText(group, resource)),
      );
      return `${ops} of ${resources.length === 0 ? 'no resource' : formatList([...new Set(resources)])}`;
    })
    .join('; ');
}

function resourceText(group: string, resource: string): string {
  if (resource === '*' || resource === '*/*')
    return group === '*' ? 'any resource' : `any ${groupName(group)} resource`;
  if (group === '*') return `${resource} (any group)`;
  return group === '' ? resource : `${resource}.${group}`;
}

function groupName(group: string): string {
  return group === '' ? 'core' : group;
}

/** Do the rules match creating pods (so the backend's own new pods are refused while it is down)? */
function coversPodCreation(rules: readonly WebhookRule[]): boolean {
  return rules.some((rule) => {
    const operations = rule.operations ?? [];
    const groups = rule.apiGroups ?? [''];
    return (
      (operations.includes('CREATE') || operations.includes('*')) &&
      (groups.includes('') || groups.includes('*')) &&
      (rule.resources ?? []).some((resource) => resource === 'pods' || resource === '*' || resource === '*/*')
    );
  });
}
