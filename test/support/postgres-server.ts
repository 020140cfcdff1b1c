/**
 * A throwaway PostgreSQL server for tests: initdb into a temporary directory, start on a free
 * port bound to 127.0.0.1, trust authentication, fsync off (the tests are about behaviour, not
 * durability of this server). As root, the server runs as the `postgres` user, as PostgreSQL
 * refuses root. `stop()` shuts it down and removes the directory; a test run leaves nothing behind.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** `postgres://smart@127.0.0.1:PORT/postgres`. */
  readonly url: string;
  /** A fresh, empty database on this server, for one test suite. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Where the PostgreSQL server binaries are: Debian keeps them out of PATH, per major version. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  }
  try {
    // pg_config can come with the client headers alone: only a bindir with initdb will do.
    const bin = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    return existsSync(join(bin, 'initdb')) ? bin : undefined;
  } catch {
    return undefined;
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === undefined)
    throw new Error('PostgreSQL server binaries not found (apt-get install -y postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-smart-pg-'));
  const asRoot = process.getuid?.() === 0;
  // As root: run as postgres, which needs the directory to be its own.
  const uid = asRoot ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })) : undefined;
  const gid = asRoot ? Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) : undefined;
  if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
  const run = (command: string, args: readonly string[]): { file: string; args: string[] } =>
    asRoot
      ? { file: 'runuser', args: ['-u', 'postgres', '--', join(bin, command), ...args] }
      : { file: join(bin, command), args: [...args] };
  const data = join(dir, 'data');
  const init = run('initdb', [
    '-D',
    data,
    '-U',
    'smart',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  execFileSync(init.file, init.args, { stdio: 'ignore' });
  const port = await freePort();
  const start = run('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
  ]);
  const server: ChildProcess = spawn(start.file, start.args, { stdio: 'ignore' });
  const url = `postgres://smart@127.0.0.1:${String(port)}/postgres`;
  await waitUntilAccepting(url, server);
  // If the test process dies before stop(), take the server with it (SIGQUIT: immediate shutdown).
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const reap = (): void => {
    try {
      process.kill(postmaster, 'SIGQUIT');
    } catch {
      // already gone
    }
  };
  process.once('exit', reap);
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://smart@127.0.0.1:${String(port)}/${name}`;
    },
    async stop() {
      await new Promise<void>((resolve) => {
        if (server.exitCode !== null) {
          resolve();
          return;
        }
        server.once('exit', () => {
          resolve();
        });
        // SIGINT: PostgreSQL's fast shutdown (roll back clients, stop now). Sent to the postmaster
        // itself (its pid heads postmaster.pid): runuser, in between as root, does not pass it on.
        process.removeListener('exit', reap);
        process.kill(postmaster, 'SIGINT');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

async function waitUntilAccepting(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited with code ${String(server.exitCode)}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
