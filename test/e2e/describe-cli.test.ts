import { describe, expect, it } from 'vitest';
import { example, runCli } from './run-cli.js';

const from = ['--from', example];

describe('describe over files', () => {
  it('shows the object, the findings that concern it with the root cause marked, its neighbours and its events', async () => {
    const result = await runCli(['describe', 'pod/api-6f7d9c8b5d-2xk9p', ...from]);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(
      text.startsWith(
        'Pod/api-6f7d9c8b5d-2xk9p -n shop  failing (CreateContainerConfigError)\n  created 2026-11-20T03:04:02Z (7m ago)\n',
      ),
    ).toBe(true);
    expect(text).toContain(
      "  api   registry.example.com/shop/api:1.15.0  false  0         waiting CreateContainerConfigError: couldn't find key CACHE_SIZE in ConfigMap shop/api-config\n",
    );
    expect(text).toContain(
      'FINDINGS\n  [critical] ConfigMap/api-config: ConfigMap api-config has no key CACHE_SIZE, and pods need it: their containers cannot be created (root cause)\n',
    );
    expect(text).toContain(
      '  depends on:\n    isolated-by NetworkPolicy/api-from-ingress  ready\n    runs-on Node/worker-1  ready\n    uses-config-map ConfigMap/api-config  ready\n',
    );
    expect(text).toContain('    owns ReplicaSet/api-6f7d9c8b5d  failing (0/3 ready)\n');
    expect(text).toContain(
      "  10s   7m     38     Warning  Failed  Pod/api-6f7d9c8b5d-2xk9p  Error: couldn't find key CACHE_SIZE in ConfigMap shop/api-config\n",
    );
  });

  it('prints a JSON document, and finds nothing wrong with a healthy object', async () => {
    const result = await runCli(['describe', 'sts/db', '-o', 'json', ...from]);
    const document = JSON.parse(result.stdout) as {
      kind: string;
      health: unknown;
      findings: unknown[];
      neighbours: { upstream: { ref: { kind: string } }[] };
    };
    expect(document.kind).toBe('Description');
    expect(document.health).toEqual({ state: 'ready' });
    expect(document.findings).toEqual([]);
    expect(document.neighbours.upstream.map((n) => n.ref.kind)).toEqual(['Pod']);
  });

  it('says so, with exit 4, for an object that is not there', async () => {
    expect((await runCli(['describe', 'pod/nope', ...from])).code).toBe(4);
  });
});
