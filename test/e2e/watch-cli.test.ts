import { spawn } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * An API server that lists no events, then streams a watch: one routine event (hidden), a Warning,
 * then a 410 Gone. After the relist it streams one more Warning on the new resourceVersion.
 */
let server: Server;
let dir: string;
let kubeconfig: string;
const watchRequests: string[] = [];
const openWatches: ServerResponse[] = [];

const event = (
  name: string,
  type: string,
  reason: string,
  message: string,
  resourceVersion: string,
): string =>
  JSON.stringify({
    type: 'ADDED',
    object: {
      metadata: { name, namespace: 'shop', resourceVersion },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'api-0' },
      type,
      reason,
      message,
      count: 1,
      lastTimestamp: '2026-11-20T03:12:00Z',
    },
  });

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://api');
    response.setHeader('content-type', 'application/json');
    if (url.searchParams.get('watch') !== 'true') {
      const listed = watchRequests.length === 0 ? '100' : '200';
      response.end(JSON.stringify({ kind: 'List', metadata: { resourceVersion: listed }, items: [] }));
      return;
    }
    watchRequests.push(url.searchParams.get('resourceVersion') ?? '');
    openWatches.push(response);
    if (watchRequests.length === 1) {
      response.write(
        `${event('a.1', 'Normal', 'Pulled', 'Container image already present on machine', '101')}\n`,
      );
      response.write(
        `${event('a.2', 'Warning', 'BackOff', 'Back-off restarting failed container api', '102')}\n`,
      );
      response.end(
        `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 102 (150)' } })}\n`,
      );
    } else {
      response.write(
        `${event('a.3', 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 404', '201')}\n`,
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'smart-watch-'));
  kubeconfig = join(dir, 'config');
  const port = String((server.address() as AddressInfo).port);
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "http://127.0.0.1:${port}"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: k, user: u, namespace: shop}}]\n`,
  );
});

afterAll(async () => {
  for (const response of openWatches) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('events -w against a live watch', () => {
  it('prints new events as they come, hides routine ones, resumes after 410 Gone, and stops cleanly on Ctrl-C', async () => {
    const bin = fileURLToPath(new URL('../../bin/kubectl-smart.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'events', '-w', '--kubeconfig', kubeconfig], {
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const sawBoth = new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('Unhealthy')) resolve();
      });
    });
    await sawBoth;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toBe(
      [
        'No events to show.',
        '2026-11-20T03:12:00Z  Warning  BackOff  Pod/shop/api-0  Back-off restarting failed container api',
        '2026-11-20T03:12:00Z  Warning  Unhealthy  Pod/shop/api-0  Readiness probe failed: HTTP probe failed with statuscode: 404',
        '',
      ].join('\n'),
    );
    expect(stderr).toBe('following new events (Ctrl-C to stop)\n');
    // Watched from the listed version; after 410, relisted and watched from the new one.
    expect(watchRequests).toEqual(['100', '200']);
  });
});
