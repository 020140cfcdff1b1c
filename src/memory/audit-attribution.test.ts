import { describe, expect, it } from 'vitest';
import type { Change } from '../core/change.js';
import {
  AuditIndex,
  formatAuditUser,
  parseAuditLog,
  toAuditRecord,
  withAuditActor,
  type AttributableChange,
} from './audit-attribution.js';
import { copy, setIn } from '../../test/support/memory-fixtures.js';
import { realdataText } from '../../test/support/realdata.js';

// 37 JSON lines from a 2017 cluster: impersonated reads, most of them 403 (see SOURCES.md).
const DEMO_LOG = realdataText('audit/audit2rbac_demo_audit-v1_forbidden-403.log');
// One Event, level Request, on one line: minikube-user creating Deployment default/nginx-deployment.
const CREATE_EVENT = realdataText('audit/falco_k8saudit_create-deployment_request-level.json');

const created: AttributableChange = {
  at: '2018-10-26T13:07:37Z',
  object: { kind: 'Deployment', namespace: 'default', name: 'nginx-deployment' },
  action: 'added',
  fields: [{ path: 'spec', op: 'added', new: { replicas: 1 } }],
};

const createAttribution = {
  user: 'minikube-user',
  sourceIPs: ['192.168.99.1'],
  auditID: 'c5be68f4-80b8-4159-adc4-76ddb195334e',
  verb: 'create',
  at: '2018-10-26T13:07:36.911Z',
  matchedBy: 'time',
};

/** The real create event, edited as another request of the same log would differ. */
function createEvent(
  edit: (event: Record<string, unknown>) => void = () => undefined,
): Record<string, unknown> {
  const event = copy(JSON.parse(CREATE_EVENT) as Record<string, unknown>);
  edit(event);
  return event;
}

describe('parseAuditLog', () => {
  it('reads JSON lines, one Event, an EventList and an array alike', () => {
    const lines = parseAuditLog(DEMO_LOG);
    expect(lines.events).toHaveLength(37);
    expect(lines.malformedLines).toBe(0);
    expect(parseAuditLog(CREATE_EVENT).events).toEqual([createEvent()]);
    const list = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [createEvent()] });
    expect(parseAuditLog(list).events).toEqual([createEvent()]);
    expect(parseAuditLog(JSON.stringify([createEvent(), createEvent()])).events).toHaveLength(2);
    const mixed = `${DEMO_LOG.trim()}\nnot json\n${CREATE_EVENT.trim()}\n`;
    expect(parseAuditLog(mixed)).toMatchObject({ malformedLines: 1 });
    expect(parseAuditLog(mixed).events).toHaveLength(38);
    expect(parseAuditLog('  \n')).toEqual({ events: [], malformedLines: 0 });
  });
});

describe('toAuditRecord', () => {
  it('keeps a successful write, with the object’s name and the completion time', () => {
    expect(toAuditRecord(createEvent())).toEqual({
      auditID: 'c5be68f4-80b8-4159-adc4-76ddb195334e',
      verb: 'create',
      resource: 'deployments',
      namespace: 'default',
      name: 'nginx-deployment',
      atMs: Date.parse('2018-10-26T13:07:36.911442Z'),
      code: 201,
      user: 'minikube-user',
      sourceIPs: ['192.168.99.1'],
    });
  });

  it('leaves out reads, failures, earlier stages and subresources that change nothing', () => {
    for (const event of parseAuditLog(DEMO_LOG).events) expect(toAuditRecord(event)).toBeUndefined();
    expect(toAuditRecord(createEvent((e) => (e.stage = 'RequestReceived')))).toBeUndefined();
    expect(toAuditRecord(createEvent((e) => setIn(e, ['responseStatus', 'code'], 409)))).toBeUndefined();
    expect(toAuditRecord(createEvent((e) => (e.verb = 'get')))).toBeUndefined();
    expect(toAuditRecord(createEvent((e) => setIn(e, ['objectRef', 'subresource'], 'exec')))).toBeUndefined();
    expect(toAuditRecord('not an event')).toBeUndefined();
  });

  it('takes the name from the request when a create to the collection does not name it', () => {
    const record = toAuditRecord(createEvent((e) => setIn(e, ['objectRef', 'name'], undefined)));
    expect(record?.name).toBe('nginx-deployment');
  });
});

describe('AuditIndex', () => {
  it('indexes nothing from a log of reads and refusals (real)', () => {
    const index = AuditIndex.fromText(DEMO_LOG);
    expect([index.size, index.skipped, index.malformed]).toEqual([0, 37, 0]);
  });

  it('attributes a created Deployment to the user that created it (real)', () => {
    const index = AuditIndex.fromText(CREATE_EVENT);
    expect(index.size).toBe(1);
    expect(index.attribute(created)).toEqual(createAttribution);
    // Within the skew allowed after the change, and not beyond the window before it.
    expect(index.attribute({ ...created, at: '2018-10-26T13:07:36.500Z' })).toEqual(createAttribution);
    expect(index.attribute({ ...created, at: '2018-10-26T13:07:45Z' })).toBeUndefined();
    expect(index.attribute({ ...created, at: '2018-10-26T13:07:45Z' }, { windowMs: 10_000 })).toEqual(
      createAttribution,
    );
    expect(index.attribute({ ...created, object: { ...created.object, name: 'other' } })).toBeUndefined();
    expect(index.attribute({ ...created, object: { ...created.object, namespace: 'shop' } })).toBeUndefined();
  });

  it('streams: line by line from a log mixing reads and the write gives the same answer', () => {
    const index = new AuditIndex();
    const added = [...DEMO_LOG.split('\n'), CREATE_EVENT].map((line) => index.addLine(line));
    expect(added.reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(index.attribute(created)).toEqual(createAttribution);
  });

  it('matches by resourceVersion when the log kept the response, and says who was impersonated', () => {
    // A real impersonated request of the demo log (system:admin as bob), as a patch that succeeded.
    const [line] = DEMO_LOG.split('\n');
    const patch = JSON.parse(line ?? '') as Record<string, unknown>;
    patch.verb = 'patch';
    patch.stageTimestamp = '2017-09-11T19:55:05.120000Z';
    patch.userAgent = 'kubectl/v1.8.0 (linux/amd64) kubernetes/0b9efaf';
    setIn(patch, ['objectRef', 'name'], 'api-0');
    setIn(patch, ['responseStatus'], { metadata: {}, code: 200 });
    setIn(patch, ['responseObject'], { kind: 'Pod', metadata: { name: 'api-0', resourceVersion: '4711' } });
    const index = new AuditIndex();
    expect(index.add(patch)).toBe(true);
    const change: Change = {
      at: '2017-09-11T19:58:00Z',
      object: { kind: 'Pod', namespace: 'default', name: 'api-0' },
      resourceVersion: '4711',
      action: 'modified',
      fields: [{ path: 'metadata.labels.tier', op: 'added', new: 'web' }],
      summary: ['label tier=web added'],
      actor: { manager: 'kubectl-patch', operation: 'Update' },
    };
    const attribution = index.attribute(change);
    expect(attribution).toEqual({
      user: 'system:admin',
      impersonatedUser: 'bob',
      userAgent: 'kubectl/v1.8.0 (linux/amd64) kubernetes/0b9efaf',
      sourceIPs: ['::1'],
      auditID: '033d17af-082d-4b24-aa22-627752e83d71',
      verb: 'patch',
      at: '2017-09-11T19:55:05.120Z',
      matchedBy: 'resourceVersion',
    });
    if (attribution === undefined) return;
    expect(formatAuditUser(attribution)).toBe('system:admin as bob');
    expect(withAuditActor(change, attribution).actor).toEqual({
      manager: 'kubectl-patch',
      operation: 'Update',
      user: 'system:admin',
      impersonatedUser: 'bob',
      userAgent: 'kubectl/v1.8.0 (linux/amd64) kubernetes/0b9efaf',
      sourceIPs: ['::1'],
    });
    // Another resourceVersion, long after: no match by version, none by time.
    expect(index.attribute({ ...change, resourceVersion: '4800' })).toBeUndefined();
  });

  it('prefers the write that fits: status writes for status changes, deletes for deletions, the nearest', () => {
    const at = (seconds: number): string =>
      new Date(Date.parse('2018-10-26T13:10:00Z') + seconds * 1000).toISOString();
    const write = (
      auditID: string,
      seconds: number,
      verb: string,
      subresource?: string,
    ): Record<string, unknown> =>
      createEvent((e) => {
        e.auditID = auditID;
        e.verb = verb;
        e.stageTimestamp = at(seconds);
        e.requestObject = undefined;
        setIn(e, ['responseStatus', 'code'], 200);
        if (subresource !== undefined) setIn(e, ['objectRef', 'subresource'], subresource);
      });
    const index = new AuditIndex();
    index.add(write('spec-early', -4, 'patch'));
    index.add(write('spec-late', -1, 'update'));
    index.add(write('status', -2, 'update', 'status'));
    index.add(write('delete', 10, 'delete'));
    const collection = write('sweep', 20, 'deletecollection');
    setIn(collection, ['objectRef', 'name'], undefined);
    index.add(collection);
    const base = { object: created.object, action: 'modified' as const };
    const spec = [{ path: 'spec.replicas', op: 'changed' as const, old: 1, new: 2 }];
    const status = [{ path: 'status.readyReplicas', op: 'changed' as const, old: 1, new: 2 }];
    expect(index.attribute({ ...base, at: at(0), fields: spec })?.auditID).toBe('spec-late');
    expect(index.attribute({ ...base, at: at(0), fields: status })?.auditID).toBe('status');
    expect(index.attribute({ ...base, at: at(10), fields: [], action: 'deleted' })?.auditID).toBe('delete');
    expect(index.attribute({ ...base, at: at(21), fields: [], action: 'deleted' })?.auditID).toBe('sweep');
  });
});
