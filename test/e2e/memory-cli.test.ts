/**
 * The memory commands as a user runs them, over a real SQLite store holding a recording of the S1
 * story (a ConfigMap key edited by the admin, a rollout, the new pods crash-looping), written the
 * way the recorder writes it: a first checkpoint, then changes made by makeChange, and events.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/kube-object.js';
import { makeChange } from '../../src/memory/make-change.js';
import { openStore } from '../../src/store/open-store.js';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-memory-cli-'));
const store = join(dir, 'memory.db');
const T0 = Date.parse('2026-11-20T03:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const NS = 'shop';

const configMap = (cacheSize: string, rv: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'api-config', namespace: NS, uid: 'cm-1', resourceVersion: rv },
  data: { CACHE_SIZE: cacheSize, LOG_LEVEL: 'info' },
});
const deployment = (restartedAt: string | undefined, rv: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'api',
    namespace: NS,
    uid: 'd-1',
    resourceVersion: rv,
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'api' } },
    template: {
      metadata: {
        labels: { app: 'api' },
        ...(restartedAt === undefined
          ? {}
          : { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } }),
      },
      spec: {
        containers: [
          {
            name: 'api',
            image: 'registry.example.com/api:1.4.2',
            envFrom: [{ configMapRef: { name: 'api-config' } }],
          },
        ],
      },
    },
  },
  status: {
    replicas: 1,
    readyReplicas: restartedAt === undefined ? 1 : 0,
    availableReplicas: restartedAt === undefined ? 1 : 0,
  },
});
const replicaSet = (name: string, uid: string, rv: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: NS,
    uid,
    resourceVersion: rv,
    labels: { app: 'api' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd-1', controller: true },
    ],
  },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api' } } },
});
const pod = (
  name: string,
  owner: { name: string; uid: string },
  created: string,
  crashing: boolean,
  rv: string,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: NS,
    uid: `uid-${name}`,
    resourceVersion: rv,
    creationTimestamp: created,
    labels: { app: 'api' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.name, uid: owner.uid, controller: true },
    ],
  },
  spec: {
    nodeName: 'node-1',
    containers: [
      {
        name: 'api',
        image: 'registry.example.com/api:1.4.2',
        envFrom: [{ configMapRef: { name: 'api-config' } }],
      },
    ],
  },
  status: {
    phase: 'Running',
    containerStatuses: [
      crashing
        ? {
            name: 'api',
            ready: false,
            restartCount: 3,
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: 'back-off 40s restarting failed container=api',
              },
            },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(290) } },
          }
        : { name: 'api', ready: true, restartCount: 0, state: { running: { startedAt: created } } },
    ],
  },
});

const oldRs = { name: 'api-6f7d9c8b5d', uid: 'rs-1' };
const newRs = { name: 'api-7d4b9c6f8', uid: 'rs-2' };

beforeAll(async () => {
  const s = await openStore(store);
  const plain = configMap('lots', '812');
  const edited: KubeObject = {
    ...plain,
    metadata: {
      ...plain.metadata,
      managedFields: [
        {
          manager: 'kubectl-patch',
          operation: 'Update',
          apiVersion: 'v1',
          time: at(130),
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { 'f:CACHE_SIZE': {} } },
        },
      ],
    },
  };
  const oldPod = pod('api-6f7d9c8b5d-q8j2x', oldRs, at(-3600), false, '700');
  const newPod = pod('api-7d4b9c6f8-x2x7q', newRs, at(160), true, '830');
  await s.checkpoint(T0, [
    configMap('512Mi', '800'),
    deployment(undefined, '801'),
    replicaSet(oldRs.name, oldRs.uid, '702'),
    oldPod,
  ]);
  await s.record({
    changes: [
      makeChange({ at: at(130), before: configMap('512Mi', '800'), after: edited })!,
      makeChange({ at: at(150), before: deployment(undefined, '801'), after: deployment(at(150), '820') })!,
      makeChange({ at: at(155), after: replicaSet(newRs.name, newRs.uid, '821') })!,
      makeChange({ at: at(160), after: { ...newPod, status: { phase: 'Pending' } } })!,
      makeChange({ at: at(200), before: { ...newPod, status: { phase: 'Pending' } }, after: newPod })!,
      makeChange({ at: at(210), before: oldPod, resourceVersion: '840' })!,
    ].map((change) =>
      change.object.kind === 'ConfigMap'
        ? { ...change, actor: { ...change.actor, user: 'kubernetes-admin' } }
        : change,
    ),
    events: [
      {
        name: 'api-7d4b9c6f8-x2x7q.180a1',
        namespace: NS,
        type: 'Warning',
        reason: 'BackOff',
        message:
          'Back-off restarting failed container api in pod api-7d4b9c6f8-x2x7q_shop(uid-api-7d4b9c6f8-x2x7q)',
        involved: { kind: 'Pod', namespace: NS, name: 'api-7d4b9c6f8-x2x7q' },
        count: 7,
        firstSeen: at(175),
        lastSeen: at(290),
      },
    ],
    cursors: {
      configmaps: '840',
      pods: '840',
      'deployments.apps': '840',
      'replicasets.apps': '840',
      events: '840',
      services: '840',
      nodes: '840',
    },
  });
  await s.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const smart = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
  runCli([...args, '--store', store], { env: { NO_COLOR: '1', SMART_ALPHA_MEMORY: 'true', ...env } });

describe('memory commands', () => {
  it('timeline shows the edit with who, then the rollout and the crash loop', async () => {
    const result = await smart(['timeline', 'configmap/api-config', '-n', NS]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `${at(130)}  modified ConfigMap/api-config  ConfigMap key CACHE_SIZE: 512Mi→lots  by kubernetes-admin (kubectl-patch)\n`,
    );
    const related = await smart(['timeline', 'deploy/api', '-n', NS, '--related']);
    expect(related.code, related.stderr).toBe(0);
    const lines = related.stdout.trim().split('\n');
    expect(lines.map((line) => /\s([A-Z]\w+\/[\w.-]+)\s/.exec(line)?.[1])).toEqual([
      'ConfigMap/api-config',
      'Deployment/api',
      'ReplicaSet/api-7d4b9c6f8',
      'Pod/api-7d4b9c6f8-x2x7q',
      'Pod/api-7d4b9c6f8-x2x7q',
      'Pod/api-7d4b9c6f8-x2x7q',
      'Pod/api-6f7d9c8b5d-q8j2x',
    ]);
    expect(lines[4]).toContain('BackOff (x7');
  });

  it('why gives each value of the key with who, and the notes', async () => {
    const noted = await smart([
      'note',
      'configmap/api-config',
      '-n',
      NS,
      'CACHE_SIZE must be a quantity',
      '--author',
      'ana',
    ]);
    expect(noted.code, noted.stderr).toBe(0);
    expect(noted.stdout).toMatch(/^noted on ConfigMap\/shop\/api-config by ana at /);
    const result = await smart(['why', 'cm/api-config', '-n', NS, '--field', 'data.CACHE_SIZE']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      'data.CACHE_SIZE of ConfigMap/shop/api-config',
      `  ${at(0)}  recorded  "512Mi"`,
      `  ${at(130)}  changed   "lots"  by kubernetes-admin (kubectl-patch)`,
    ]);
    expect(result.stdout).toContain('NOTES');
    expect(result.stdout).toContain('ana: CACHE_SIZE must be a quantity');
  });

  it('describe shows the notes kept with the object, live or --at', async () => {
    const result = await smart(['describe', 'cm/api-config', '-n', NS, '--at', at(300)]);
    expect(result.code, result.stderr).toBe(0);
    const notes = result.stdout.split('NOTES\n')[1] ?? '';
    expect(notes).toMatch(/^ {2}\S+Z {2}ana: CACHE_SIZE must be a quantity\n$/);
    const document = await smart(['describe', 'cm/api-config', '-n', NS, '--at', at(300), '-o', 'json']);
    expect(
      (JSON.parse(document.stdout) as { notes: { author: string }[] }).notes.map((n) => n.author),
    ).toEqual(['ana']);
    const off = await runCli(['describe', 'cm/api-config', '-n', NS, '--at', at(300), '--store', store]);
    expect(off.code).toBe(2); // --at is part of the memory tier
  });

  it('replay --at tells the story and names the edit as the root cause; before it, all was well', async () => {
    const result = await smart(['replay', '--at', at(300), '-n', NS, '-o', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const replay = JSON.parse(result.stdout) as {
      changes: { object: { name: string } }[];
      analysis: {
        problems: { rootCause: { ruleId: string; message: string }; symptoms: { ruleId: string }[] }[];
      };
    };
    expect(replay.changes.map((c) => c.object.name)).toEqual([
      'api-config',
      'api',
      'api-7d4b9c6f8',
      'api-7d4b9c6f8-x2x7q',
      'api-7d4b9c6f8-x2x7q',
      'api-6f7d9c8b5d-q8j2x',
    ]);
    const [top] = replay.analysis.problems;
    expect(top?.rootCause.ruleId).toBe('recent-change');
    expect(top?.rootCause.message).toBe(
      'ConfigMap api-config key changed: CACHE_SIZE "512Mi" → "lots" (by kubernetes-admin), 45s before the pods reading it began to fail',
    );
    expect(top?.symptoms.map((s) => s.ruleId)).toContain('crash-loop');

    const before = await smart(['analyze', '--at', at(100), '-n', NS, '-o', 'json']);
    expect(before.code, before.stderr).toBe(0);
    expect((JSON.parse(before.stdout) as { problems: unknown[] }).problems).toEqual([]);
    const text = await smart(['replay', '--at', at(300), '-n', NS]);
    expect(text.stdout).toContain(`CHANGES in the 1h before ${at(300)}`);
    expect(text.stdout).toContain('ROOT CAUSE');
  });

  it('exports a recording that another store imports whole, once', async () => {
    const file = join(dir, 'recording.jsonl');
    const exported = await smart(['export', '-n', NS, '-f', file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/^exported 6 changes, 1 events, 4 checkpointed objects and 1 notes to /);
    const other = join(dir, 'other.db');
    const imported = await runCli(['import', file, '--store', other], {
      env: { SMART_ALPHA_MEMORY: 'true' },
    });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe('imported 6 changes, 1 events, 4 checkpointed objects and 1 notes\n');
    const again = await runCli(['import', file, '--store', other], { env: { SMART_ALPHA_MEMORY: 'true' } });
    expect(again.stdout).toBe('imported 0 changes, 1 events, 0 checkpointed objects and 0 notes\n');
    const there = await runCli(['timeline', 'cm/api-config', '-n', NS, '--store', other], {
      env: { SMART_ALPHA_MEMORY: 'true', NO_COLOR: '1' },
    });
    expect(there.stdout).toContain('ConfigMap key CACHE_SIZE: 512Mi→lots');
    expect(readFileSync(file, 'utf8')).not.toContain('managedFields');
    // One namespace's export holds no cluster-scoped object, so it claims no cluster-wide scope;
    // the kinds recorded everywhere it claims in that namespace, whose objects it holds.
    const header = JSON.parse(readFileSync(file, 'utf8').split('\n')[0] ?? '') as { scopes: string[] };
    expect(header.scopes).toContain(`pods@${NS}`);
    expect(header.scopes).not.toContain('nodes');
    expect(header.scopes.filter((scope) => !scope.endsWith(`@${NS}`))).toEqual([]);
  });

  it('finds the store the config file names, `~/` being the home directory', async () => {
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'store: ~/memory.db\nfeatures:\n  alphaMemory: true\n');
    const result = await runCli(['timeline', 'cm/api-config', '-n', NS], {
      env: { HOME: dir, SMART_CONFIG: config, NO_COLOR: '1' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('ConfigMap key CACHE_SIZE: 512Mi→lots');
  });

  it('says in one line what is wrong: the tier off, no recording, a bad time', async () => {
    const off = await runCli(['timeline', 'cm/api-config', '--store', store]);
    expect(off.code).toBe(2);
    expect(off.stderr).toBe(
      'error: timeline is part of the operational memory, an alpha feature: add --alpha-memory, set SMART_ALPHA_MEMORY=true, or set features.alphaMemory: true in the config file\n',
    );
    const none = await runCli(['why', 'cm/x', '--alpha-memory', '--store', join(dir, 'nothing.db')]);
    expect(none.code).toBe(5);
    expect(none.stderr).toMatch(
      /^error: no recording at .*nothing\.db yet: start one with `kubectl smart record --alpha-memory`/,
    );
    const badTime = await smart(['replay', '--at', 'yesterday']);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toBe(
      'error: --at takes a time such as 2026-11-20T03:04:05Z or how long ago such as 30m or 2h, got "yesterday"\n',
    );
  });
});
