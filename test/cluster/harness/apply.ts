/** Server-side apply through `testcluster apply`, so the harness needs no YAML parser. */
import { spawn } from 'node:child_process';

/** Applies files (YAML or JSON, multi-document) with the kubeconfig's user; rejects with stderr. */
export function runApply(bin: string, kubeconfig: string, files: readonly string[]): Promise<void> {
  const args = ['apply', `--kubeconfig=${kubeconfig}`, ...files.flatMap((f) => ['-f', f])];
  return new Promise<void>((resolve, reject) => {
    const cp = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    cp.stderr.on('data', (d: Buffer) => (err += d.toString()));
    cp.on('error', reject);
    cp.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`apply failed: ${err}`));
    });
  });
}
