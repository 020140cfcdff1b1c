import { describe, expect, it } from 'vitest';
import { example, runCli } from './run-cli.js';

const from = ['--from', example];

/** `-l` on analyze and describe: honoured, never silently ignored. */
describe('-l on analyze and describe', () => {
  it('analyze -l keeps to the matching objects and what bears on them', async () => {
    const all = await runCli(['analyze', '-n', 'shop', ...from]);
    expect(all.stdout).toContain('ConfigMap api-config has no key CACHE_SIZE');
    const payments = await runCli(['analyze', '-n', 'shop', '-l', 'app=payments', ...from]);
    expect(payments.code).toBe(0);
    expect(payments.stdout.split('\n').slice(0, 3)).toEqual([
      'DIAGNOSIS',
      '  1 problem (1 critical) in what matches app=payments in namespace shop',
      '  1. [critical] Secret/regcred: Secret regcred does not exist, and pods reference it',
    ]);
    expect(payments.stdout).not.toContain('api-config');
    const healthy = await runCli(['analyze', 'sts', '-n', 'shop', '-l', 'app=db', '-o', 'json', ...from]);
    const document = JSON.parse(healthy.stdout) as { selector: string; problems: unknown[] };
    expect(document).toMatchObject({ selector: 'app=db', problems: [] });
  });

  it('analyze -l: exit 4 when nothing matches, 2 with a name as well', async () => {
    const none = await runCli(['analyze', '-n', 'shop', '-l', 'app=nothing', ...from]);
    expect(none.code).toBe(4);
    expect(none.stderr).toBe(
      'error: no object matches -l app=nothing in namespace shop; list what carries the labels with kubectl get all -n shop --show-labels\n',
    );
    const both = await runCli(['analyze', 'deploy/api', '-l', 'app=api', ...from]);
    expect(both.code).toBe(2);
    expect(both.stderr.split('\n')).toHaveLength(2);
  });

  it('describe TYPE -l describes every match, in order; JSON is a list', async () => {
    const text = await runCli(['describe', 'pods', '-n', 'shop', '-l', 'app=api', ...from]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').filter((line) => line.startsWith('Pod/'))).toEqual([
      'Pod/api-6f7d9c8b5d-2xk9p -n shop  failing (CreateContainerConfigError)',
      'Pod/api-6f7d9c8b5d-7fmnq -n shop  failing (CreateContainerConfigError)',
      'Pod/api-6f7d9c8b5d-w4z8r -n shop  failing (CreateContainerConfigError)',
    ]);
    const json = await runCli([
      'describe',
      'deploy',
      '-n',
      'shop',
      '-l',
      'app.kubernetes.io/part-of=shop',
      '-o',
      'json',
      ...from,
    ]);
    const list = JSON.parse(json.stdout) as {
      kind: string;
      items: { object: { metadata: { name: string } } }[];
    };
    expect(list.kind).toBe('DescriptionList');
    expect(list.items.map((item) => item.object.metadata.name)).toEqual(['api', 'payments']);
    const both = await runCli(['describe', 'pod/api-6f7d9c8b5d-2xk9p', '-l', 'app=api', ...from]);
    expect(both.code).toBe(2);
  });
});
