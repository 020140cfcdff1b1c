/**
 * Every scene of scenes/ reaches its faulted state on the real control plane, and its evidence is
 * there to be found (status, events, logs, objects). Scenes run concurrently, one namespace each.
 *
 *   npx vitest run --config vitest.cluster.config.ts test/cluster/scenes.test.ts
 */
import { describe, expect, test } from 'vitest';
import { readAuditEvents } from './audit-log.ts';
import { connectCluster } from './harness.ts';
import { SCENES, missingEvidence } from './scenes/index.ts';
import { condition, get, list, waitFor } from './scenes/util.ts';

describe.concurrent('scenes', () => {
  test.for(SCENES)('$id $name', { timeout: 120_000 }, async ({ id, name, build }) => {
    const cluster = connectCluster();
    const ns = `scene-${id.toLowerCase()}-${name}`.slice(0, 63);
    const scene = await build(cluster, ns);
    expect(scene.namespace).toBe(ns);
    expect(scene.expect.rootCause.length).toBeGreaterThan(0);
    expect(scene.expect.evidence.length).toBeGreaterThan(0);
    expect(await missingEvidence(cluster.admin, scene)).toEqual([]);
    // Extra facts per scene that are not plain substrings.
    if (id === 'S13') {
      expect(scene.observed?.['evictionStatus']).toBe(429);
      expect(scene.observed?.['evictionMessage']).toBe(
        "Cannot evict pod as it would violate the pod's disruption budget.",
      );
      expect(scene.observed?.['evictionCauses']).toEqual([
        {
          reason: 'DisruptionBudget',
          message: 'The disruption budget api-pdb needs 3 healthy pods and has 3 currently',
        },
      ]);
    }
    if (id === 'S15') {
      const days = (Date.parse(String(scene.observed?.['notAfter'])) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(2.9);
      expect(days).toBeLessThanOrEqual(3);
    }
    if (id === 'S1') {
      // The edit is in the audit log, by the admin user. The API server writes an audit event once the
      // response is complete, so it can land just after the client has its answer: read until it is there.
      const editAudited = (): boolean =>
        readAuditEvents(cluster.auditLogPath, `"${ns}"`).some(
          (e) =>
            e.verb === 'patch' &&
            e.objectRef?.resource === 'configmaps' &&
            e.objectRef.namespace === ns &&
            e.user.username === 'kubernetes-admin',
        );
      expect(
        await waitFor('the ConfigMap edit in the audit log', () => Promise.resolve(editAudited()), 15_000),
      ).toBe(true);
      // The old ReplicaSet's pods keep running: the rollout is stuck on the crashing new ReplicaSet.
      const rs = await list(cluster.admin, 'ReplicaSet', ns);
      expect(rs.length).toBe(2);
    }
    if (id === 'S18') {
      // The failing Deployment carries no opt-in label: the agent may diagnose, never act.
      expect(scene.observed?.['managedLabel']).toBeNull();
    }
    if (id === 'S12') {
      const node = await get(cluster.admin, 'Node', `${ns}-node`);
      expect(condition(node, 'Ready')?.status).toBe('Unknown');
    }
  });
});
