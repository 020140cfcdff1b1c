/**
 * No silent answers (issue #16): `analyze --from` every real capture under test/fixtures/realdata
 * that holds Kubernetes objects or events, found by reading them (a capture added later is
 * covered). Each capture that shows a failure yields a finding; none says "no problems found"
 * but the one capture of healthy Deployments, which says what it rests on; a capture holding no
 * object of a kind analyze reads (a CRD alone) says nothing could be read, exit 6.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { realdata, runCli } from './run-cli.js';

interface Finding {
  ruleId: string;
  severity: string;
  resource: { kind: string; namespace?: string; name: string };
  message: string;
  evidence: { source: string; text: string }[];
}

/** Captures that legitimately have no finding, and the one line of text each must say instead. */
const NO_FINDING: Readonly<Record<string, { code: number; says: RegExp }>> = {
  // coredns 2/2 ready, metrics-server 1 of 2 ready while scaling to 1: both Available, nothing fails.
  'deployments/troubleshoot_deployments_kube-system_coredns_metrics-server_managedFields.json': {
    code: 0,
    says: /^ {2}no problems found in all namespaces, in what was read: 2 Deployment, and no Pod or Event$/m,
  },
  // A CustomResourceDefinition alone: no object of a kind analyze reads.
  'chaos/chaos-mesh_crd_podchaos.yaml': {
    code: 6,
    says: /^error: nothing could be read from files .*chaos-mesh_crd_podchaos\.yaml: it holds no objects or events of the kinds analyzed, so there is nothing to judge$/m,
  },
};

/** Whether a parsed document is, or lists, objects of a cluster (a kind, a name), not audit records. */
function holdsObjects(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsObjects);
  if (typeof value !== 'object' || value === null) return false;
  const object = value as { apiVersion?: unknown; metadata?: { name?: unknown }; items?: unknown };
  if (typeof object.apiVersion === 'string' && object.apiVersion.startsWith('audit.k8s.io/')) return false;
  if (Array.isArray(object.items)) return object.items.some(holdsObjects);
  return typeof object.metadata?.name === 'string';
}

/** Every capture file that holds Kubernetes objects or events, relative to the realdata folder. */
function objectCaptures(): string[] {
  const found: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(json|ya?ml)$/.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        let documents: unknown[];
        try {
          documents = entry.name.endsWith('.json')
            ? [JSON.parse(text)]
            : parseAllDocuments(text).map((d) => d.toJS() as unknown);
        } catch {
          continue; // JSON lines, a tool's header: not `kubectl get` output
        }
        if (documents.some(holdsObjects)) found.push(relative(realdata, path));
      }
    }
  };
  walk(realdata);
  return found.sort();
}

const captures = objectCaptures();

describe('analyze --from every real capture', () => {
  it('finds the captures of objects and events, and leaves out the alerts, audit logs and metrics', () => {
    expect(captures.length).toBeGreaterThanOrEqual(14);
    expect(captures.filter((c) => !/^(pods|events|deployments|chaos)\//.test(c))).toEqual([]);
    for (const path of Object.keys(NO_FINDING)) expect(captures).toContain(path);
  });

  it.each(captures)('%s: a finding, or a true line; never a bare "no problems found"', async (capture) => {
    const path = join(realdata, capture);
    const text = await runCli(['analyze', '-A', '--from', path], { env: { NO_COLOR: '1' } });
    const expected = NO_FINDING[capture];
    if (expected !== undefined) {
      expect(text.code, text.stderr).toBe(expected.code);
      expect(`${text.stdout}${text.stderr}`).toMatch(expected.says);
      return;
    }
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain('no problems found');
    const json = await runCli(['analyze', '-A', '--from', path, '-o', 'json']);
    const { findings } = JSON.parse(json.stdout) as { findings: Finding[] };
    expect(findings.length).toBeGreaterThan(0);
  });

  it('folds an EventList alone into findings per object, marked as event-only', async () => {
    const path = join(
      realdata,
      'events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json',
    );
    const result = await runCli(['analyze', '-A', '--from', path, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const { findings } = JSON.parse(result.stdout) as { findings: Finding[] };
    expect(
      findings.map((f) => `${f.ruleId} ${f.severity} ${f.resource.kind}/${f.resource.name}`).sort(),
    ).toEqual([
      'event-only-warnings warning Job/oom-kill-job3',
      'event-only-warnings warning Pod/no-image-deployment-849c4c4958-rxqmt',
      'event-only-warnings warning Pod/pending-pod-resources-5fddcf7688-djjfc',
    ]);
    const byName = new Map(findings.map((f) => [f.resource.name, f]));
    const texts = (name: string): string[] => byName.get(name)?.evidence.map((e) => e.text) ?? [];
    for (const finding of findings) {
      expect(finding.message).toMatch(/\(only its events were read, not the (Pod|Job) itself\)$/);
      expect(finding.evidence.every((e) => e.source === 'event')).toBe(true);
      expect(finding.evidence[0]?.text).toMatch(/^event-only: .* itself was not read/);
    }
    expect(texts('no-image-deployment-849c4c4958-rxqmt')).toContain(
      'Failed (x4, last 2023-07-11T05:36:12Z): Error: ErrImagePull',
    );
    expect(texts('oom-kill-job3')).toContain(
      'BackoffLimitExceeded (x1, last 2023-07-11T04:43:28Z): Job has reached the specified backoff limit',
    );
    expect(texts('pending-pod-resources-5fddcf7688-djjfc').join('\n')).toContain(
      'FailedScheduling (x3, last 2023-07-11T04:40:44.264058Z): 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.',
    );
  });

  it('reads the pods and the events together: the pods’ own rules speak, the events stay their evidence', async () => {
    const result = await runCli([
      'analyze',
      '-A',
      '--from',
      join(realdata, 'pods/troubleshoot_errimagepull_podlist.json'),
      '--from',
      join(realdata, 'events/troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json'),
      '-o',
      'json',
    ]);
    const { findings } = JSON.parse(result.stdout) as { findings: Finding[] };
    const onPod = findings.filter((f) => f.resource.name === 'no-image-deployment-849c4c4958-rxqmt');
    expect(onPod.map((f) => f.ruleId)).toEqual(['image-pull']);
  });

  it('says nothing could be read, exit 6, for input that holds nothing', async () => {
    for (const stdin of [
      '{"kind":"List","apiVersion":"v1","items":[]}',
      '{"kind":"PodList","apiVersion":"v1","items":[]}',
    ]) {
      for (const args of [
        ['analyze', '-A'],
        ['analyze', '-n', 'shop', '-o', 'json'],
        ['describe', 'pod/api-0', '-n', 'shop'],
      ]) {
        const result = await runCli([...args, '--from', '-'], { stdin });
        expect(result.code, result.stderr).toBe(6);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(
          /^error: nothing could be read from files -( in namespace shop)?: it holds no objects or events of the kinds analyzed, so there is nothing to judge\n$/,
        );
      }
    }
  });
});
