import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('agent and receive: bad input is one line and exit 2', () => {
  it.for([
    [
      ['agent', '--sink', 'ftp://collector:21'],
      /^error: --sink ftp:\/\/collector:21: write grpc:\/\/host:port, grpcs:\/\/host:port, https:\/\/… \(webhook\), file:PATH or stdout\n$/,
    ],
    [
      ['agent', '--detect', 'CrashLoopBackOff,Melted'],
      /^error: --detect: unknown failure Melted; choose from CrashLoopBackOff, /,
    ],
    [
      ['agent', '--from', 'examples/shop-outage'],
      /^error: agent watches a live cluster: drop --from and --at\n$/,
    ],
    [['agent', '--debounce', 'soon'], /^error: --debounce/],
    [
      ['receive', '--listen', 'everywhere'],
      /^error: --listen everywhere: write host:port \(127\.0\.0\.1:7443\), :port, or \[::1\]:port\n$/,
    ],
    [
      ['receive', '--listen', '127.0.0.1:0', '--tls-cert', 'server.crt'],
      /^error: TLS needs both --tls-cert and --tls-key\n$/,
    ],
    [
      ['receive', '--listen', '127.0.0.1:0', '--tls-cert', 'nope.crt', '--tls-key', 'nope.key'],
      /^error: --tls-cert nope\.crt: cannot be read\n$/,
    ],
  ] as const)('%j', async ([args, message]) => {
    const result = await runCli(args, { env: { NO_COLOR: '1', SMART_CONFIG: '/nonexistent/config.yaml' } });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('receive listens, says where, and stops after --for with its counts', async () => {
    const result = await runCli(['receive', '--listen', '127.0.0.1:0', '--for', '1s'], {
      env: { NO_COLOR: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^receiving incidents on 127\.0\.0\.1:\d+ \(gRPC: kubectl_smart\.incident\.v1\.IncidentSinkService, grpc\.health\.v1\.Health\)\n/,
    );
    expect(result.stderr).toContain('received 0 incident(s), 0 duplicate(s) acknowledged and dropped');
  });
});
