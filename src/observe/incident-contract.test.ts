import { create, fromBinary, toBinary, toJson } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import {
  FailureReason as ProtoFailureReason,
  IncidentContextSchema,
  StreamIncidentsRequestSchema,
} from '../gen/kubectl_smart/incident/v1/incident_pb.js';
import { FAILURE_REASONS } from './failure-detection.js';
import { failureReasonToProto } from './failure-reason-proto.js';

describe('the IncidentContext contract (generated from proto/)', () => {
  it('names every failure class the observer detects, each with its own value', () => {
    const values = FAILURE_REASONS.map(failureReasonToProto);
    expect(new Set(values).size).toBe(FAILURE_REASONS.length);
    expect(values).not.toContain(ProtoFailureReason.UNSPECIFIED);
  });

  it('carries an incident through the wire format and back, and writes proto JSON names', () => {
    const incident = create(IncidentContextSchema, {
      schemaVersion: 1,
      incidentId: 'u1/worker/OOMKilled/1763608320000',
      cluster: { name: 'prod-eu', server: 'https://10.0.0.1:6443', agentId: 'kubectl-smart-agent-0' },
      detectedAt: timestampFromDate(new Date('2026-11-20T03:12:00Z')),
      reason: failureReasonToProto('OOMKilled'),
      message: 'OOMKilled',
      pod: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'worker-1', uid: 'u1' },
      container: 'worker',
      owners: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'shop', name: 'worker-5d4f' }],
      containers: [
        {
          name: 'worker',
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          restartCount: 6,
          lastTermination: { reason: 'OOMKilled', exitCode: 137 },
        },
      ],
      logs: [
        { container: 'worker', previous: true, text: 'password=[REDACTED:named-secret]', tailLines: 200 },
      ],
      redaction: { total: 1, byDetector: { 'named-secret': 1 }, byLocation: { log: 1 } },
      debounced: 9,
    });
    const wire = toBinary(StreamIncidentsRequestSchema, create(StreamIncidentsRequestSchema, { incident }));
    const back = fromBinary(StreamIncidentsRequestSchema, wire).incident;
    expect(back).toEqual(incident);
    expect(toJson(IncidentContextSchema, incident)).toMatchObject({
      schemaVersion: 1,
      detectedAt: '2026-11-20T03:12:00Z',
      reason: 'FAILURE_REASON_OOM_KILLED',
      containers: [{ lastTermination: { exitCode: 137 } }],
      redaction: { byDetector: { 'named-secret': 1 } },
    });
  });
});
