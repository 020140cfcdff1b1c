import type { Server } from 'node:net';
import { AppError } from '../core/errors.js';

/** `host:port`, `:port` (every interface) or `[::1]:port`; a usage error otherwise. */
export function parseListen(listen: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen);
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port > 65_535)
    throw new AppError('usage', `--listen ${listen}: write host:port (127.0.0.1:7443), :port, or [::1]:port`);
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}

/** Starts listening where `listen` says and returns the address bound (`127.0.0.1:43127`, `[::]:9090`). */
export async function listenOn(server: Server, listen: string): Promise<string> {
  const { host, port } = parseListen(listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') return String(bound);
  return `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${String(bound.port)}`;
}
