/** The binaries a cluster runs: built (or found cached) by build.sh, or taken from a given directory. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TEST_CLUSTER_DIR } from './test-cluster-dir.ts';

/** What {@link clusterBinaries} found. */
export interface ClusterBinaries {
  readonly binDir: string;
  /** Whether build.sh actually compiled something. */
  readonly coldBuild: boolean;
  /** The multi-call `testcluster`. */
  readonly bin: string;
  readonly kwokBin: string;
  /** KWOK's CRDs and stages, copied from its module by build.sh. */
  readonly kwokAssets: string;
}

/** Runs build.sh (streaming its progress to `log`); returns the bin dir and whether it compiled. */
async function ensureBinaries(log: (l: string) => void): Promise<{ binDir: string; cold: boolean }> {
  return new Promise((resolve, reject) => {
    const cp = spawn('bash', [path.join(TEST_CLUSTER_DIR, 'build.sh')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let partial = '';
    cp.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cp.stderr.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      err += d.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l) log(`build: ${l}`);
    });
    cp.on('error', reject);
    cp.on('exit', (code) => {
      if (partial) log(`build: ${partial}`);
      if (code !== 0) {
        reject(new Error(`test/cluster/build.sh failed (exit ${String(code)}):\n${err.slice(-4000)}`));
        return;
      }
      const lines = out.trim().split('\n');
      resolve({ binDir: lines[lines.length - 1] ?? '', cold: !/cached/.test(err) });
    });
  });
}

/**
 * The binaries in `binDirOption`, else in `SMART_CLUSTER_BIN`, else built by build.sh; throws
 * when testcluster or kwok is missing.
 */
export async function clusterBinaries(
  binDirOption: string | undefined,
  log: (l: string) => void,
): Promise<ClusterBinaries> {
  let binDir = binDirOption ?? process.env['SMART_CLUSTER_BIN'] ?? '';
  let coldBuild = false;
  if (binDir === '') {
    const b = await ensureBinaries(log);
    binDir = b.binDir;
    coldBuild = b.cold;
  }
  const bin = path.join(binDir, 'testcluster');
  const kwokBin = path.join(binDir, 'kwok');
  const kwokAssets = path.join(path.dirname(binDir), 'kwok');
  for (const f of [bin, kwokBin])
    if (!fs.existsSync(f)) throw new Error(`missing ${f}: run test/cluster/build.sh`);
  return { binDir, coldBuild, bin, kwokBin, kwokAssets };
}
