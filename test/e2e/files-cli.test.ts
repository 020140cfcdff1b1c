import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, realdata, runCli } from './run-cli.js';

const from = ['--from', example];

describe('deps over files', () => {
  it('prints the tree with health, the missing key and the missing Secret', async () => {
    const result = await runCli(['deps', 'ingress/shop', '--depth', '2', ...from]);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Ingress/shop  ready',
        '├── routes-to → Service/api  failing (no ready pods)  [port 80]',
        '│   ├── selects → Pod/api-6f7d9c8b5d-2xk9p  failing (CreateContainerConfigError)',
        '│   ├── selects → Pod/api-6f7d9c8b5d-7fmnq  failing (CreateContainerConfigError)',
        '│   ├── selects → Pod/api-6f7d9c8b5d-w4z8r  failing (CreateContainerConfigError)',
        '│   └── has-endpoint-slice → EndpointSlice/api-h7x2k  failing (0/3 endpoints ready)',
        '├── routes-to → Service/payments  failing (no ready pods)  [port http]',
        '│   ├── selects → Pod/payments-7c9d8f6b4-q8j2x  failing (ImagePullBackOff)',
        '│   └── has-endpoint-slice → EndpointSlice/payments-k2m9d  failing (0/1 endpoints ready)',
        '├── terminates-tls-with → Secret/shop-tls  ready',
        '└── uses-ingress-class → IngressClass/nginx  ready',
        '',
      ].join('\n'),
    });
  });

  it('shows what depends on a ConfigMap, up to the Ingress', async () => {
    const result = await runCli(['deps', 'cm/api-config', '--downstream', '-n', 'shop', ...from]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 7)).toEqual([
      'ConfigMap/api-config  ready',
      '├── ← uses-config-map Pod/api-6f7d9c8b5d-2xk9p  failing (CreateContainerConfigError)  [key application.yaml; key CACHE_SIZE missing; key LOG_LEVEL]',
      '│   ├── ← selects PodDisruptionBudget/api  ready',
      '│   ├── ← owns ReplicaSet/api-6f7d9c8b5d  failing (0/3 ready)',
      '│   │   └── ← owns Deployment/api  failing (0/3 ready)',
      '│   └── ← selects Service/api  failing (no ready pods)',
      '│       └── ← routes-to Ingress/shop  ready  [port 80]',
    ]);
  });

  it('prints stable JSON with each node’s presence, health and edges', async () => {
    const result = await runCli(['deps', 'deploy/payments', '-o', 'json', ...from]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as {
      apiVersion: string;
      kind: string;
      direction: string;
      depth: number;
      gaps: unknown[];
      trees: { ref: unknown; health: unknown; children: { children: { children: unknown[] }[] }[] }[];
    };
    expect(document).toMatchObject({
      apiVersion: 'kubectl-smart/v1',
      kind: 'DependencyTrees',
      direction: 'upstream',
      depth: 3,
      gaps: [],
    });
    const [tree] = document.trees;
    expect(tree?.ref).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'payments' });
    expect(tree?.health).toEqual({ state: 'failing', reason: '0/1 ready' });
    const pod = tree?.children[0]?.children[0];
    expect(pod?.children).toContainEqual({
      ref: { kind: 'Secret', namespace: 'shop', name: 'regcred' },
      presence: 'missing',
      health: { state: 'missing' },
      edges: [{ kind: 'pulls-with', detail: { via: 'serviceaccount:payments' } }],
      repeated: false,
      children: [],
    });
  });

  it('draws DOT and Mermaid diagrams', async () => {
    const dot = await runCli(['deps', 'pvc/data-db-0', '-o', 'dot', ...from]);
    expect(dot.stdout).toBe(
      [
        'digraph dependencies {',
        '  rankdir=LR;',
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  "PersistentVolumeClaim/shop/data-db-0" [label="PersistentVolumeClaim/shop/data-db-0\\nready", color=darkgreen];',
        '  "PersistentVolume//pvc-8b1e4c2a-7d3f-4e5a-9c6b-0f1e2d3c4b5a" [label="PersistentVolume/pvc-8b1e4c2a-7d3f-4e5a-9c6b-0f1e2d3c4b5a\\nready", color=darkgreen];',
        '  "StorageClass//standard" [label="StorageClass/standard\\nready", color=darkgreen];',
        '  "PersistentVolumeClaim/shop/data-db-0" -> "PersistentVolume//pvc-8b1e4c2a-7d3f-4e5a-9c6b-0f1e2d3c4b5a" [label="bound-to"];',
        '  "PersistentVolume//pvc-8b1e4c2a-7d3f-4e5a-9c6b-0f1e2d3c4b5a" -> "StorageClass//standard" [label="uses-storage-class"];',
        '  "PersistentVolumeClaim/shop/data-db-0" -> "StorageClass//standard" [label="uses-storage-class"];',
        '}',
        '',
      ].join('\n'),
    );
    const mermaid = await runCli(['deps', 'pvc/data-db-0', '--depth', '1', '-o', 'mermaid', ...from]);
    expect(mermaid.stdout.split('\n').slice(0, 6)).toEqual([
      'flowchart LR',
      '  n0["PersistentVolumeClaim/shop/data-db-0<br/>ready"]:::ready',
      '  n1["PersistentVolume/pvc-8b1e4c2a-7d3f-4e5a-9c6b-0f1e2d3c4b5a<br/>ready"]:::ready',
      '  n2["StorageClass/standard<br/>ready"]:::ready',
      '  n0 -->|bound-to| n1',
      '  n0 -->|uses-storage-class| n2',
    ]);
  });

  it('selects roots by label with TYPE -l', async () => {
    const result = await runCli(['deps', 'pods', '-l', 'app=db', '--depth', '1', ...from]);
    expect(result.stdout).toBe(
      [
        'Pod/db-0  ready',
        '├── runs-on → Node/worker-2  ready',
        '├── mounts-claim → PersistentVolumeClaim/data-db-0  ready',
        '└── runs-as → ServiceAccount/default  ready',
        '',
      ].join('\n'),
    );
  });

  it('reads the real support-bundle Deployment array and kind-less pods', async () => {
    const deployments = await runCli([
      'deps',
      'deploy/metrics-server',
      '--from',
      join(realdata, 'deployments'),
    ]);
    // spec.replicas 1 with 1 ready is ready, whatever the surge in status.replicas; no pods in the
    // files, so the template's ServiceAccount shows, unread.
    expect(deployments).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Deployment/metrics-server  ready\n└── runs-as → ServiceAccount/metrics-server  unknown (not read)\n',
    });
    const pods = await runCli([
      'deps',
      'pod/vsystem-867f4b77cc-pqcns',
      '--depth',
      '0',
      '--from',
      join(realdata, 'pods'),
    ]);
    expect(pods.stdout).toBe('Pod/vsystem-867f4b77cc-pqcns  failing (CrashLoopBackOff)\n');
  });
});

describe('events over files', () => {
  it('folds, groups under the top owner, puts Warnings first and hides routine churn', async () => {
    const result = await runCli(['events', ...from]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'Deployment/payments -n shop',
        '  LAST  FIRST  COUNT  TYPE     REASON   OBJECTS                       MESSAGE',
        '  2s    5m     29     Warning  Failed   Pod/payments-7c9d8f6b4-q8j2x  Error: ImagePullBackOff',
        '  37s   5m     6      Warning  Failed   Pod/payments-7c9d8f6b4-q8j2x  Failed to pull image "registry.example.com/shop/payments:2.4.1": failed to pull and unpack image "registry.example.com/shop/payments:2.4.1"…',
        '  37s   5m     6      Warning  Failed   Pod/payments-7c9d8f6b4-q8j2x  Error: ErrImagePull',
        '  2s    5m     29     Normal   BackOff  Pod/payments-7c9d8f6b4-q8j2x  Back-off pulling image "registry.example.com/shop/payments:2.4.1"',
        '',
        'Deployment/api -n shop',
        '  LAST  FIRST  COUNT  TYPE     REASON  OBJECTS  MESSAGE',
        "  8s    7m     111    Warning  Failed  3 pods   Error: couldn't find key CACHE_SIZE in ConfigMap shop/api-config",
        '',
        'HorizontalPodAutoscaler/api -n shop',
        '  LAST  FIRST  COUNT  TYPE     REASON                   OBJECTS                      MESSAGE',
        '  8s    7m     15     Warning  FailedGetResourceMetric  HorizontalPodAutoscaler/api  failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
        '',
        '13 routine events hidden (--all shows them)',
        '',
      ].join('\n'),
    );
  });

  it('with TYPE/NAME keeps the events of the object and its neighbourhood only', async () => {
    const result = await runCli(['events', 'deploy/payments', '-o', 'json', ...from]);
    const document = JSON.parse(result.stdout) as {
      groups: { object: unknown; events: { reason: string; count: number }[] }[];
      hiddenRoutine: number;
    };
    expect(document.groups.map((g) => g.object)).toEqual([
      { kind: 'Deployment', namespace: 'shop', name: 'payments' },
    ]);
    expect(document.hiddenRoutine).toBe(2);
  });

  it('--all shows routine events, --since drops old ones', async () => {
    const all = JSON.parse((await runCli(['events', '--all', '-o', 'json', ...from])).stdout) as {
      hiddenRoutine: number;
      groups: { object: { kind: string }; events: { reason: string }[] }[];
    };
    expect(all.hiddenRoutine).toBe(0);
    const apiReasons = all.groups.find(
      (g) => g.object.kind === 'Deployment' && g.events.some((e) => e.reason === 'ScalingReplicaSet'),
    );
    expect(apiReasons?.events.map((e) => e.reason).sort()).toEqual([
      'Failed',
      'Pulled',
      'ScalingReplicaSet',
      'ScalingReplicaSet',
      // Assigned to worker-1 and to worker-2: different messages, two lines.
      'Scheduled',
      'Scheduled',
      // "Created pod: api-6f7d9c8b5d-…" three times: one line.
      'SuccessfulCreate',
    ]);
    const recent = JSON.parse((await runCli(['events', '--since', '30s', '-o', 'json', ...from])).stdout) as {
      hiddenOld: number;
      groups: { events: { lastSeen: string }[] }[];
    };
    expect(recent.hiddenOld).toBeGreaterThan(0);
    for (const event of recent.groups.flatMap((g) => g.events))
      expect(event.lastSeen >= '2026-11-20T03:11:10Z').toBe(true);
  });

  it('folds the real events.k8s.io series and reads files from stdin', async () => {
    const text = readFileSync(
      join(
        realdata,
        'events',
        'troubleshoot_eventlist_errimagepull_oomjob_backofflimit_failedscheduling.json',
      ),
      'utf8',
    );
    const result = await runCli(
      ['events', 'pod/pending-pod-resources-5fddcf7688-djjfc', '--from', '-', '-o', 'json'],
      { stdin: text },
    );
    const document = JSON.parse(result.stdout) as {
      groups: {
        events: { reason: string; count: number; firstSeen: string; lastSeen: string; message: string }[];
      }[];
    };
    expect(document.groups[0]?.events).toContainEqual({
      type: 'Warning',
      reason: 'FailedScheduling',
      message:
        '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
      count: 3,
      firstSeen: '2023-07-11T04:25:44.224298Z',
      lastSeen: '2023-07-11T04:40:44.264058Z',
      objects: [
        { kind: 'Pod', namespace: 'message-image-pull-fail', name: 'pending-pod-resources-5fddcf7688-djjfc' },
      ],
      source: 'default-scheduler',
    });
  });

  it('reads the stdout form of cluster-info dump the same as its directory form', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-dump-'));
    try {
      // Concatenate the example's lists and log blocks as `kubectl cluster-info dump` prints them.
      const parts: string[] = [];
      const walk = (path: string): void => {
        for (const name of readdirSync(path).sort()) {
          const full = join(path, name);
          if (statSync(full).isDirectory()) walk(full);
          else parts.push(readFileSync(full, 'utf8'));
        }
      };
      walk(example);
      const dump = join(dir, 'cluster-info.dump');
      writeFileSync(dump, parts.join(''));
      const fromDump = await runCli(['events', '-o', 'json', '--from', dump]);
      const fromDir = await runCli(['events', '-o', 'json', ...from]);
      expect(fromDump.code).toBe(0);
      expect(JSON.parse(fromDump.stdout.replace(dump, 'X'))).toEqual(
        JSON.parse(fromDir.stdout.replace(example, 'X')),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bad input and exit codes', () => {
  it('malformed JSON: one line naming file, line and column; exit 2; no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-bad-'));
    try {
      const file = join(dir, 'pods.json');
      writeFileSync(
        file,
        '{\n  "kind": "PodList",\n  "items": [\n    {"kind": "Pod" "metadata": {}}\n  ]\n}\n',
      );
      const result = await runCli(['events', '--from', file]);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: ${file}:4:20: invalid JSON (Expected ',' or '}' after property value); fix the file or pass a kubectl get -o json|yaml output\n`,
      });
      const debug = await runCli(['events', '--from', file, '--debug']);
      expect(debug.stderr).toContain('    at ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exit 4 for an object that is not there, 2 for usage errors', async () => {
    expect(await runCli(['deps', 'deploy/nope', ...from])).toEqual({
      code: 4,
      stdout: '',
      stderr:
        'error: deployment "nope" not found in any namespace; list them with kubectl get deployments -A\n',
    });
    expect((await runCli(['deps', 'frobs/x', ...from])).code).toBe(2);
    expect((await runCli(['deps', 'deploy/api', '--bogus', ...from])).stderr).toBe(
      "error: unknown option '--bogus'\n",
    );
    expect((await runCli(['deps', 'deploy/api', '-o', 'xml', ...from])).code).toBe(2);
    expect((await runCli(['events', '--since', 'yesterday', ...from])).stderr).toBe(
      'error: --since takes a duration such as 30s, 15m, 1h or 2d, got "yesterday"\n',
    );
    expect((await runCli(['events', '-w', ...from])).stderr).toContain('-w/--watch follows a live cluster');
    expect((await runCli(['deps', 'deploy/api', '--from', '/no/such/dir'])).stderr).toBe(
      'error: --from /no/such/dir: no such file or directory\n',
    );
  });

  it('exit 3 with one line when there is no cluster to talk to', async () => {
    const home = mkdtempSync(join(tmpdir(), 'smart-home-'));
    try {
      const none = await runCli(['deps', 'deploy/api'], { env: { HOME: home } });
      expect(none).toEqual({
        code: 3,
        stdout: '',
        stderr:
          'error: no kubeconfig found (KUBECONFIG, ~/.kube/config) and not running in a cluster; pass --kubeconfig FILE, or --from DIR to read files\n',
      });
      const config = join(home, 'config');
      writeFileSync(
        config,
        'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n',
      );
      const down = await runCli(['deps', 'deploy/api', '--kubeconfig', config], { env: { HOME: home } });
      expect(down.code).toBe(3);
      expect(down.stderr).toMatch(
        /^error: cannot reach the API server at https:\/\/127\.0\.0\.1:1 \(connect ECONNREFUSED 127\.0\.0\.1:1\); check --context and that the cluster is up\n$/,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('info features', () => {
  it('lists every tier with its gate, and later tiers as not yet available', async () => {
    const home = mkdtempSync(join(tmpdir(), 'smart-home-'));
    try {
      const result = await runCli(['info', 'features', '-o', 'json'], { env: { HOME: home } });
      const document = JSON.parse(result.stdout) as {
        features: {
          tier: string;
          commands: string[];
          gate: string;
          availability: string;
          enabled: boolean;
        }[];
      };
      expect(document.features.map((f) => [f.tier, f.commands.join(','), f.availability])).toEqual([
        ['1', 'deps,events', 'available'],
        ['1', 'analyze,describe', 'available'],
        ['2', 'predict', 'not yet available'],
        ['3', 'record,replay,timeline,why,note,export,import,--at', 'available'],
        ['3', 'patterns,trace', 'not yet available'],
        ['R&D', 'simulate', 'not yet available'],
        ['agent', 'agent,receive', 'available'],
        ['agent', 'remediate', 'not yet available'],
        ['all', 'demo,info features', 'available'],
        ['all', 'label,ui', 'not yet available'],
      ]);
      const bad = join(home, 'bad.yaml');
      writeFileSync(bad, 'features:\n  alphaMemory: "yes please"\n');
      const invalid = await runCli(['info', 'features'], { env: { HOME: home, SMART_CONFIG: bad } });
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toBe(
        `error: ${bad}: features.alphaMemory: Invalid input: expected boolean, received string; see docs/commands.md "Configuration"\n`,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('info features shows what is in effect, and why', () => {
  type Row = {
    capability: string;
    enabled: boolean;
    enabledBy?: string;
    availability: string;
    commands: string[];
  };
  const features = async (args: string[], env: Record<string, string>): Promise<Row[]> => {
    const result = await runCli(['info', 'features', '-o', 'json', ...args], { env });
    expect(result.code).toBe(0);
    return (JSON.parse(result.stdout) as { features: Row[] }).features;
  };
  const memory = (rows: Row[]): Row | undefined => rows.find((r) => r.capability === 'operational memory');

  it('says the memory is on, and by which switch: flag, environment or config file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'smart-home-'));
    try {
      expect(memory(await features([], { HOME: home }))).toMatchObject({ enabled: false });
      expect(memory(await features(['--alpha-memory'], { HOME: home }))).toMatchObject({
        enabled: true,
        enabledBy: 'flag',
      });
      expect(memory(await features([], { HOME: home, SMART_ALPHA_MEMORY: 'true' }))).toMatchObject({
        enabled: true,
        enabledBy: 'env',
      });
      const config = join(home, 'config.yaml');
      writeFileSync(config, 'features:\n  alphaMemory: true\n');
      expect(memory(await features([], { HOME: home, SMART_CONFIG: config }))).toMatchObject({
        enabled: true,
        enabledBy: 'config',
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('takes --experimental-predict like any gate, and still says predict is not built', async () => {
    const rows = await features(['--experimental-predict'], {});
    expect(rows.find((r) => r.capability === 'predictive prevention')).toMatchObject({
      enabled: true,
      enabledBy: 'flag',
      availability: 'not yet available',
    });
  });

  it('runs every command of an available capability, and registers none of a later one', async () => {
    const rows = await features([], {});
    for (const row of rows) {
      for (const name of row.commands.filter((c) => !c.startsWith('--'))) {
        const available = row.availability === 'available';
        // --help on an unknown command shows the program's help; the bare name is refused.
        const result = await runCli([...name.split(' '), ...(available ? ['--help'] : [])]);
        expect({ name, code: result.code }).toEqual({ name, code: available ? 0 : 2 });
        if (!available) expect(result.stderr).toContain(`unknown command '${name}'`);
      }
    }
  });
});

describe('output into a closed pipe', () => {
  it('stops quietly when the reader goes away, with no stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const bin = fileURLToPath(new URL('../../bin/kubectl-smart.js', import.meta.url));
    // Far more output than a pipe buffers, so writes continue after the reader has gone.
    const dir = mkdtempSync(join(tmpdir(), 'smart-pipe-'));
    const file = join(dir, 'events.json');
    const events = Array.from({ length: 3000 }, (_, i) => ({
      kind: 'Event',
      metadata: { name: `e${String(i)}`, namespace: 'a' },
      involvedObject: { kind: 'Pod', namespace: 'a', name: `pod-${String(i)}` },
      type: 'Warning',
      reason: `Reason${String(i)}`,
      message: 'x'.repeat(200),
      count: 1,
    }));
    writeFileSync(file, JSON.stringify({ kind: 'List', items: events }));
    const child = spawn(process.execPath, [bin, 'events', '-o', 'yaml', '--from', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // Read one chunk, then close the pipe, as `| head -1` does.
    child.stdout.once('data', () => {
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    rmSync(dir, { recursive: true, force: true });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
