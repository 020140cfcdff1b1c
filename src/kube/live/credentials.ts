import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AgentOptions } from 'node:https';
import { AppError } from '../../core/errors.js';
import type { KubeCluster, KubeExec, KubeUser } from './kubeconfig.js';

/** How requests to the API server authenticate: TLS for the connection, a header per request. */
export interface Credentials {
  /** CA, client certificate and key, verification and server name for the https agent. */
  readonly tls: AgentOptions;
  /** `user:password` for basic authentication. */
  readonly basicAuth?: string;
  /** The `Authorization` header for the next request (a token file or exec plugin's current token). */
  authorization(): Promise<string | undefined>;
}

/** Re-read a token file this often: service account tokens are rotated under a running process. */
const TOKEN_FILE_TTL_MS = 60_000;
/**
 * An exec credential without an expiry is asked for again after this long (client-go keeps it until
 * a request is refused): a plugin run now and then costs less than a recorder cut off by a 401.
 */
const EXEC_DEFAULT_TTL_MS = 10 * 60_000;
/** Ask the plugin again this long before its credential expires. */
const EXEC_EARLY_MS = 30_000;

/**
 * The credentials a kubeconfig user and cluster describe: certificates and keys (inline or files),
 * a bearer token (inline, a file re-read as it rotates, or an exec plugin's, asked again before it
 * expires), or basic authentication. A legacy auth-provider is refused with what to use instead.
 */
export async function credentialsFor(
  cluster: KubeCluster,
  user: KubeUser,
  env: NodeJS.ProcessEnv,
): Promise<Credentials> {
  if (user.authProvider !== undefined)
    throw new AppError(
      'usage',
      `the kubeconfig's user authenticates with auth-provider "${user.authProvider}", which kubectl-smart does not support (kubectl dropped it in 1.26): use the provider's exec plugin (gke-gcloud-auth-plugin, kubelogin)`,
    );
  const tls: AgentOptions = {};
  const ca = bytes(cluster.certificateAuthorityData, cluster.certificateAuthority, 'certificate-authority');
  if (ca !== undefined) tls.ca = ca;
  if (cluster.insecureSkipTlsVerify === true) tls.rejectUnauthorized = false;
  if (cluster.tlsServerName !== undefined) tls.servername = cluster.tlsServerName;
  const cert = bytes(user.clientCertificateData, user.clientCertificate, 'client-certificate');
  const key = bytes(user.clientKeyData, user.clientKey, 'client-key');
  if (cert !== undefined) tls.cert = cert;
  if (key !== undefined) tls.key = key;

  let authorization: () => Promise<string | undefined> = () => Promise.resolve(undefined);
  if (user.token !== undefined) {
    const header = `Bearer ${user.token}`;
    authorization = () => Promise.resolve(header);
  } else if (user.tokenFile !== undefined) {
    authorization = cached(TOKEN_FILE_TTL_MS, () => {
      const token = readText(user.tokenFile ?? '', 'tokenFile').trim();
      return Promise.resolve({ value: `Bearer ${token}` });
    });
  } else if (user.exec !== undefined) {
    const exec = user.exec;
    const first = await runExecPlugin(exec, env);
    // A plugin may hand out a client certificate instead of a token (then once is enough).
    if (first.clientCertificateData !== undefined) tls.cert = first.clientCertificateData;
    if (first.clientKeyData !== undefined) tls.key = first.clientKeyData;
    if (first.token !== undefined) {
      let pending: ExecCredential | undefined = first;
      authorization = cached(EXEC_DEFAULT_TTL_MS, async () => {
        const credential = pending ?? (await runExecPlugin(exec, env));
        pending = undefined;
        return {
          value: credential.token === undefined ? undefined : `Bearer ${credential.token}`,
          ...(credential.expiresMs === undefined ? {} : { untilMs: credential.expiresMs - EXEC_EARLY_MS }),
        };
      });
    }
  }
  return {
    tls,
    ...(user.username !== undefined && user.password !== undefined
      ? { basicAuth: `${user.username}:${user.password}` }
      : {}),
    authorization,
  };
}

interface ExecCredential {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  readonly expiresMs?: number;
}

/** Runs the kubeconfig's exec plugin and reads its ExecCredential, as kubectl does. */
async function runExecPlugin(exec: KubeExec, env: NodeJS.ProcessEnv): Promise<ExecCredential> {
  const info = JSON.stringify({
    apiVersion: exec.apiVersion,
    kind: 'ExecCredential',
    spec: { interactive: false },
  });
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      exec.command,
      [...exec.args],
      {
        env: {
          ...env,
          ...Object.fromEntries(exec.env.map((e) => [e.name, e.value])),
          KUBERNETES_EXEC_INFO: info,
        },
        timeout: 60_000,
        maxBuffer: 4 << 20,
      },
      (error, out, err) => {
        if (error === null) resolve(out);
        else {
          const why = err.trim().split('\n')[0] ?? '';
          reject(
            new AppError(
              'unreachable',
              `the kubeconfig's exec plugin ${exec.command} failed (${why === '' ? error.message : why}); check it runs: ${[exec.command, ...exec.args].join(' ')}`,
            ),
          );
        }
      },
    );
  });
  let status: Record<string, unknown>;
  try {
    const parsed = JSON.parse(stdout) as { status?: Record<string, unknown> };
    status = parsed.status ?? {};
  } catch {
    throw new AppError(
      'unreachable',
      `the kubeconfig's exec plugin ${exec.command} printed no ExecCredential JSON`,
    );
  }
  const field = (name: string): string | undefined =>
    typeof status[name] === 'string' && status[name] !== '' ? status[name] : undefined;
  const token = field('token');
  const clientCertificateData = field('clientCertificateData');
  const clientKeyData = field('clientKeyData');
  const expires = field('expirationTimestamp');
  if (token === undefined && clientCertificateData === undefined)
    throw new AppError(
      'unreachable',
      `the kubeconfig's exec plugin ${exec.command} gave neither a token nor a certificate`,
    );
  return {
    ...(token === undefined ? {} : { token }),
    ...(clientCertificateData === undefined ? {} : { clientCertificateData }),
    ...(clientKeyData === undefined ? {} : { clientKeyData }),
    ...(expires === undefined || Number.isNaN(Date.parse(expires)) ? {} : { expiresMs: Date.parse(expires) }),
  };
}

/** A value fetched again once it is `ttlMs` old or past its own `untilMs`; one fetch at a time. */
function cached(
  ttlMs: number,
  fetch: () => Promise<{ readonly value: string | undefined; readonly untilMs?: number }>,
): () => Promise<string | undefined> {
  let current: { value: string | undefined; untilMs: number } | undefined;
  let inFlight: Promise<string | undefined> | undefined;
  return () => {
    if (current !== undefined && Date.now() < current.untilMs) return Promise.resolve(current.value);
    inFlight ??= fetch()
      .then((fetched) => {
        current = {
          value: fetched.value,
          untilMs: Math.min(fetched.untilMs ?? Infinity, Date.now() + ttlMs),
        };
        return fetched.value;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

/** Inline base64 data, else a file's bytes; undefined when neither is given. */
function bytes(data: string | undefined, file: string | undefined, what: string): Buffer | undefined {
  if (data !== undefined) return Buffer.from(data, 'base64');
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppError('usage', `cannot read the kubeconfig's ${what} ${file}: ${detail}`);
  }
}

function readText(file: string, what: string): string {
  return (bytes(undefined, file, what) ?? Buffer.alloc(0)).toString('utf8');
}
