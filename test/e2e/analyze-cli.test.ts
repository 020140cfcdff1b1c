import { describe, expect, it } from 'vitest';
import { example, runCli } from './run-cli.js';

const from = ['--from', example];

describe('analyze over files', () => {
  it('names each outage’s root cause with its chain, evidence and fix', async () => {
    const result = await runCli(['analyze', ...from]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const text = result.stdout;
    for (const section of ['DIAGNOSIS', 'ROOT CAUSE', 'EVIDENCE', 'SUGGESTED ACTIONS'])
      expect(text).toMatch(new RegExp(`(^|\\n)${section}\\n`));
    expect(text.startsWith('DIAGNOSIS\n  2 problems (2 critical) in all namespaces\n')).toBe(true);
    expect(text).toContain(
      '  1. [critical] ConfigMap/api-config: ConfigMap api-config has no key CACHE_SIZE, and pods need it: their containers cannot be created\n     chain: Ingress/shop → Service/api → Pod/api-6f7d9c8b5d-2xk9p → ConfigMap/api-config\n',
    );
    expect(text).toContain(
      '  2. [critical] Secret/regcred: Secret regcred does not exist, and pods reference it\n     chain: Ingress/shop → Service/payments → Pod/payments-7c9d8f6b4-q8j2x → Secret/regcred\n',
    );
    expect(text).toContain(
      "     - status Pod/api-6f7d9c8b5d-2xk9p: container api: CreateContainerConfigError: couldn't find key CACHE_SIZE in ConfigMap shop/api-config\n",
    );
    expect(text).toContain(
      '  1. add the key CACHE_SIZE to ConfigMap api-config, or fix the reference in the pod template\n     $ kubectl -n shop patch configmap api-config --type=merge -p \'{"data":{"CACHE_SIZE":"VALUE"}}\'\n',
    );
    expect(text).toMatch(/\nanalyzed 37 objects in \d+ ms \(files .*shop-outage\)\n$/);
  });

  it('prints the problems, findings and score factors as JSON', async () => {
    const result = await runCli(['analyze', '-o', 'json', ...from]);
    const document = JSON.parse(result.stdout) as {
      kind: string;
      problems: { rootCause: { ruleId: string; resource: unknown }; score: unknown }[];
      findings: unknown[];
      gaps: unknown[];
    };
    expect(document.kind).toBe('Analysis');
    expect(document.problems.map((p) => p.rootCause.resource)).toEqual([
      { kind: 'ConfigMap', namespace: 'shop', name: 'api-config' },
      { kind: 'Secret', namespace: 'shop', name: 'regcred' },
    ]);
    expect(document.problems[0]?.score).toEqual({ severity: 3, affected: 6, criticality: 1, total: 47 });
    // The 7 of the two outages, and the HPA and PDB over the broken Deployment.
    expect(document.findings).toHaveLength(9);
    expect(document.gaps).toEqual([]);
  });

  it('keeps to what bears on the object asked about', async () => {
    const result = await runCli(['analyze', 'deploy/payments', '-o', 'json', ...from]);
    const document = JSON.parse(result.stdout) as {
      target: unknown;
      problems: { rootCause: { resource: { name: string } } }[];
    };
    expect(document.target).toEqual({ kind: 'Deployment', namespace: 'shop', name: 'payments' });
    expect(document.problems.map((p) => p.rootCause.resource.name)).toEqual(['regcred']);
  });

  it('exits 1 with --fail-on when a finding is that severe, 2 for a bad severity', async () => {
    expect((await runCli(['analyze', '--fail-on', 'critical', ...from])).code).toBe(1);
    expect((await runCli(['analyze', 'sts/db', '--fail-on', 'warning', ...from])).code).toBe(0);
    expect(await runCli(['analyze', '--fail-on', 'bad', ...from])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --fail-on takes warning or critical, got "bad"\n',
    });
  });

  it('pastes into an incident document as markdown', async () => {
    const result = await runCli(['analyze', 'deploy/api', '-o', 'markdown', ...from]);
    expect(
      result.stdout.startsWith(
        '## Diagnosis\n1 problem (1 critical) in Deployment/api\n1. **[critical]** `ConfigMap/api-config`: ConfigMap api-config has no key CACHE_SIZE',
      ),
    ).toBe(true);
    expect(result.stdout).toContain(
      '   ```sh\n   kubectl -n shop patch configmap api-config --type=merge -p \'{"data":{"CACHE_SIZE":"VALUE"}}\'\n   ```',
    );
  });
});
