import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const fixture = fileURLToPath(new URL('../fixtures/graph/network-calls.yaml', import.meta.url));
const from = ['--from', fixture];

describe('deps shows what a pod dials', () => {
  it('as calls edges in the tree, with the port, missing Services, and what was not read', async () => {
    const result = await runCli(['deps', 'pod/api-7c9f-x2k4p', '-n', 'app', ...from]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('├── calls → Service/postgres  missing\n');
    expect(result.stdout).toContain('├── calls → Service/search  missing  [port 9200]\n');
    expect(result.stdout).toContain('└── calls → Service/orders -n shop  unknown (not read)  [port 8080]\n');
  });

  it('with where each address was written in -o wide, and in json, dot and mermaid', async () => {
    const wide = await runCli(['deps', 'deploy/worker', '-n', 'app', '-o', 'wide', ...from]);
    expect(wide.stdout).toContain(
      'calls → Service/cache  failing (selects no pods)  [port 6380, address cache:6380, via env:REDIS_ADDR, container worker]',
    );
    const json = JSON.parse(
      (await runCli(['deps', 'deploy/worker', '-n', 'app', '-o', 'json', ...from])).stdout,
    ) as unknown;
    expect(JSON.stringify(json)).toContain(
      '{"kind":"calls","detail":{"via":"env:REDIS_ADDR","address":"cache:6380","container":"worker","port":"6380"}}',
    );
    const dot = await runCli(['deps', 'deploy/worker', '-n', 'app', '-o', 'dot', ...from]);
    expect(dot.stdout).toMatch(/-> "Service\/app\/cache" \[label="calls"\]/);
    const mermaid = await runCli(['deps', 'deploy/worker', '-n', 'app', '-o', 'mermaid', ...from]);
    expect(mermaid.stdout).toContain('-->|calls|');
  });
});
