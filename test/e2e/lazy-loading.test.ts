/**
 * A command loads only what it uses (src/cli/command-table.ts): `analyze` never imports the
 * agent's gRPC, protobuf, logging and metrics libraries, and `--help` not even the analyzers' ones.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { example } from './run-cli.js';

const bin = fileURLToPath(new URL('../../bin/kubectl-smart.js', import.meta.url));
const tracer = fileURLToPath(new URL('../support/trace-packages.ts', import.meta.url));
const AGENT_ONLY = [
  '@connectrpc/connect',
  '@connectrpc/connect-node',
  '@bufbuild/protobuf',
  'pino',
  'prom-client',
];

function packagesLoadedBy(args: readonly string[]): string[] {
  const result = spawnSync(process.execPath, ['--import', tracer, bin, ...args], { encoding: 'utf8' });
  const line = result.stderr.split('\n').find((l) => l.startsWith('packages: ')) ?? '';
  return line
    .slice('packages: '.length)
    .split(' ')
    .filter((name) => name !== '');
}

describe('what a command loads', () => {
  it('analyze --help: the parser and little else', () => {
    const loaded = packagesLoadedBy(['analyze', '--help']);
    expect(loaded).toContain('commander');
    expect(loaded.filter((name) => [...AGENT_ONLY, 'kysely', 'pg'].includes(name))).toEqual([]);
  });

  it('analyze on the example: none of the agent’s libraries', () => {
    const loaded = packagesLoadedBy(['analyze', '--from', example]);
    expect(loaded.filter((name) => AGENT_ONLY.includes(name))).toEqual([]);
  });

  it('receive, when it runs, loads the gRPC library (so the tracer does see packages)', () => {
    const loaded = packagesLoadedBy(['receive', '--listen', '127.0.0.1:0', '--for', '1ms']);
    expect(loaded).toContain('@connectrpc/connect-node');
  });
});
