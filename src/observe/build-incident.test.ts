import { toJsonString } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ChangeHistory } from '../core/change-history.js';
import type { Pod } from '../core/kube-types.js';
import type { KubeObject } from '../core/kube-object.js';
import { Snapshot } from '../core/snapshot.js';
import { GRAPH_AND_EVENT_KINDS } from '../graph/graph-kinds.js';
import {
  FailureReason as ProtoFailureReason,
  IncidentContextSchema,
} from '../gen/kubectl_smart/incident/v1/incident_pb.js';
import { FilesSource } from '../kube/files/files-source.js';
import { buildIncident, type BuildIncidentInput } from './build-incident.js';
import { detectFailures, FAILURE_REASONS } from './failure-detection.js';
import { RedactionError, Redactor } from './redact/redactor.js';

const example = new URL('../../examples/shop-outage', import.meta.url).pathname;
const origin = {
  clusterName: 'shop-prod',
  server: 'https://10.0.0.1:6443',
  agentId: 'kubectl-smart-agent-0',
};
const detectedAt = new Date('2026-11-15T08:05:00Z');

async function shop(): Promise<Snapshot> {
  const { snapshot } = await new FilesSource({ paths: [example] }).load({
    kinds: GRAPH_AND_EVENT_KINDS,
    namespace: 'shop',
  });
  return snapshot;
}

function triggerOf(snapshot: Snapshot, pod: string): ReturnType<typeof detectFailures>[number] {
  const object: Pod | undefined = snapshot.get({ kind: 'Pod', namespace: 'shop', name: pod });
  const [trigger] = detectFailures(object!, {
    wanted: new Set(FAILURE_REASONS),
    now: detectedAt,
    recentMs: 600_000,
  });
  return trigger!;
}

function input(snapshot: Snapshot, pod: string, extra: Partial<BuildIncidentInput> = {}): BuildIncidentInput {
  return {
    snapshot,
    trigger: triggerOf(snapshot, pod),
    origin,
    detectedAt,
    debounced: 3,
    windowMs: 300_000,
    tailLines: 200,
    gaps: [],
    redactor: new Redactor(),
    ...extra,
  };
}

/** The snapshot with one object replaced (same kind, namespace and name). */
function withObject(snapshot: Snapshot, object: KubeObject, logs = [...snapshot.logs()]): Snapshot {
  return new Snapshot({
    objects: [...snapshot.all(), object],
    logs,
    coverage: snapshot.coverage,
    capturedAt: snapshot.capturedAt,
  });
}

describe('buildIncident', () => {
  it('packs the pod, its owner chain, the ConfigMap it references, events, node and diagnosis', async () => {
    const snapshot = await shop();
    const incident = buildIncident(input(snapshot, 'api-6f7d9c8b5d-2xk9p'));

    expect(incident.schemaVersion).toBe(1);
    expect(incident.incidentId).toMatch(/^[0-9a-f]{32}$/);
    expect(incident.reason).toBe(ProtoFailureReason.CREATE_CONTAINER_CONFIG_ERROR);
    expect(incident.message).toBe("couldn't find key CACHE_SIZE in ConfigMap shop/api-config");
    expect(incident.cluster).toMatchObject({
      name: 'shop-prod',
      server: origin.server,
      agentId: origin.agentId,
    });
    expect(incident.pod).toMatchObject({ kind: 'Pod', namespace: 'shop', name: 'api-6f7d9c8b5d-2xk9p' });
    expect(incident.pod?.uid).not.toBe('');
    expect(incident.container).toBe('api');
    expect(incident.nodeName).not.toBe('');
    expect(incident.owners.map((o) => `${o.kind}/${o.name}`)).toEqual([
      'ReplicaSet/api-6f7d9c8b5d',
      'Deployment/api',
    ]);
    expect(incident.manifests.map((m) => `${m.ref?.kind}/${m.ref?.name}`)).toEqual([
      'Pod/api-6f7d9c8b5d-2xk9p',
      'ReplicaSet/api-6f7d9c8b5d',
      'Deployment/api',
      'ConfigMap/api-config',
      // Not kube-root-ca.crt, which the token volume references too: the public CA bundle of every namespace.
    ]);
    const pod = JSON.parse(incident.manifests[0]!.json) as Pod;
    expect(pod.metadata.name).toBe('api-6f7d9c8b5d-2xk9p');
    expect(pod.metadata).not.toHaveProperty('managedFields');
    expect(incident.containers).toEqual([
      expect.objectContaining({
        name: 'api',
        init: false,
        state: 'waiting',
        reason: 'CreateContainerConfigError',
      }),
    ]);
    expect(incident.events.length).toBeGreaterThan(0);
    expect(
      incident.events.every((e) =>
        ['Pod', 'ReplicaSet', 'Deployment'].includes(e.involvedObject?.kind ?? ''),
      ),
    );
    expect(incident.events.map((e) => e.reason)).toContain('Failed');
    expect(incident.nodeConditions.map((c) => c.type)).toContain('Ready');
    expect(incident.diagnosis?.rootCause).toMatchObject({
      severity: 'critical',
      resource: { kind: 'ConfigMap', name: 'api-config' },
    });
    expect(incident.diagnosis?.rootCause?.message).toContain('no key CACHE_SIZE');
    expect(incident.diagnosis?.chain.map((r) => `${r.kind}/${r.name}`)).toContain('Pod/api-6f7d9c8b5d-2xk9p');
    expect(incident.debounced).toBe(3);
    expect(incident.recentChanges).toEqual([]);
  });

  it('never harvests a Secret, even one the pod references', async () => {
    const snapshot = await shop();
    const incident = buildIncident(input(snapshot, 'payments-7c9d8f6b4-q8j2x'));
    expect(incident.reason).toBe(ProtoFailureReason.IMAGE_PULL_BACK_OFF);
    expect(incident.manifests.map((m) => m.ref?.kind)).not.toContain('Secret');
    expect(incident.diagnosis?.rootCause?.resource).toMatchObject({ kind: 'Secret', name: 'regcred' });
  });

  it('redacts env, annotations, logs and event messages, and reports what it took in counts', async () => {
    const base = await shop();
    const original: Pod = base.get({ kind: 'Pod', namespace: 'shop', name: 'api-6f7d9c8b5d-2xk9p' })!;
    const password = 'Hunter2-Very-Secret-98d1';
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    const planted = {
      ...original,
      metadata: {
        ...original.metadata,
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': `{"env":"DB_PASSWORD=${password}"}`,
        },
      },
      spec: {
        ...original.spec,
        containers: (original.spec?.containers ?? []).map((c) => ({
          ...c,
          env: [...(c.env ?? []), { name: 'DB_PASSWORD', value: password }],
        })),
      },
    } as Pod;
    const logs = [
      ...base.logs(),
      {
        namespace: 'shop',
        pod: 'api-6f7d9c8b5d-2xk9p',
        container: 'api',
        previous: false,
        text: `connecting with token ${token}\n`,
      },
    ];
    const incident = buildIncident(input(withObject(base, planted, logs), 'api-6f7d9c8b5d-2xk9p'));
    const wire = toJsonString(IncidentContextSchema, incident);

    expect(wire).not.toContain(password);
    expect(wire).not.toContain(token);
    expect(incident.logs).toEqual([
      expect.objectContaining({
        container: 'api',
        previous: false,
        text: expect.stringContaining('[REDACTED') as unknown,
      }),
    ]);
    expect(incident.redaction?.total).toBeGreaterThanOrEqual(3);
    expect(incident.redaction?.byLocation.log).toBe(1);
    expect(incident.redaction?.byLocation.env).toBeGreaterThanOrEqual(1);
    expect(Object.keys(incident.redaction?.byDetector ?? {}).length).toBeGreaterThan(0);
  });

  it('keeps only the last lines asked for', async () => {
    const base = await shop();
    const text = Array.from({ length: 500 }, (_, i) => `line ${String(i)}`).join('\n') + '\n';
    const logs = [{ namespace: 'shop', pod: 'api-6f7d9c8b5d-2xk9p', container: 'api', previous: true, text }];
    const pod: Pod = base.get({ kind: 'Pod', namespace: 'shop', name: 'api-6f7d9c8b5d-2xk9p' })!;
    const incident = buildIncident({
      ...input(withObject(base, pod, logs), 'api-6f7d9c8b5d-2xk9p'),
      tailLines: 200,
    });
    const [previous] = incident.logs;
    expect(previous?.previous).toBe(true);
    expect(previous?.text.split('\n').filter(Boolean)).toHaveLength(200);
    expect(previous?.text.startsWith('line 300\n')).toBe(true);
  });

  it('gives a retry and a second replica in the same window the same id, a new window a new one', async () => {
    const snapshot = await shop();
    const first = buildIncident(input(snapshot, 'api-6f7d9c8b5d-2xk9p'));
    const again = buildIncident({
      ...input(snapshot, 'api-6f7d9c8b5d-2xk9p'),
      detectedAt: new Date(detectedAt.getTime() + 10_000),
      origin: { ...origin, agentId: 'kubectl-smart-agent-1' },
    });
    const later = buildIncident({
      ...input(snapshot, 'api-6f7d9c8b5d-2xk9p'),
      detectedAt: new Date(detectedAt.getTime() + 300_000),
    });
    const sibling = buildIncident(input(snapshot, 'api-6f7d9c8b5d-7fmnq'));
    expect(again.incidentId).toBe(first.incidentId);
    expect(later.incidentId).not.toBe(first.incidentId);
    expect(sibling.incidentId).not.toBe(first.incidentId);
  });

  it('adds the changes recorded in the last hour around the pod and its owners', async () => {
    const snapshot = await shop();
    const change = (
      at: string,
      name: string,
      summary: string,
    ): ConstructorParameters<typeof ChangeHistory>[0][number] => ({
      at,
      object: { kind: 'ConfigMap', namespace: 'shop', name },
      action: 'modified',
      fields: [],
      summary: [summary],
      actor: { manager: 'kubectl-edit', user: 'alice@example.com' },
      reason: { why: 'trim the config' },
    });
    const history = new ChangeHistory([
      change('2026-11-15T07:58:00Z', 'api-config', 'removed data.CACHE_SIZE'),
      change('2026-11-15T06:00:00Z', 'api-config', 'an old change, outside the hour'),
      change('2026-11-15T07:59:00Z', 'unrelated', 'not around the pod'),
    ]);
    const incident = buildIncident(input(snapshot, 'api-6f7d9c8b5d-2xk9p', { history }));
    expect(incident.recentChanges).toEqual([
      expect.objectContaining({
        object: expect.objectContaining({ kind: 'ConfigMap', name: 'api-config' }) as unknown,
        summary: 'removed data.CACHE_SIZE',
        actor: 'alice@example.com',
        why: 'trim the config',
      }),
    ]);
  });

  it('fails closed: when redaction fails, no incident is built', async () => {
    const snapshot = await shop();
    class BrokenRedactor extends Redactor {
      override text(): string {
        throw new RedactionError('detector crashed');
      }
    }
    expect(() =>
      buildIncident(input(snapshot, 'api-6f7d9c8b5d-2xk9p', { redactor: new BrokenRedactor() })),
    ).toThrow(RedactionError);
  });
});
