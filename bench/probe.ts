/**
 * Runs one measured job in this (fresh) process and prints its figures as JSON on stdout:
 * `load-graph DIR` (FilesSource load + buildGraph), or `cli ARGS…` (the CLI's run(), output dropped).
 * Peak RSS is the process's own high-water mark, so each job is measured alone.
 */
import { performance } from 'node:perf_hooks';

const [job, ...args] = process.argv.slice(2);
const dist = new URL('../dist/', import.meta.url);

if (job === 'load-graph') {
  const { FilesSource } = (await import(
    new URL('kube/files/files-source.js', dist).href
  )) as typeof import('../src/kube/files/files-source.js');
  const { KINDS } = (await import(
    new URL('core/kinds.js', dist).href
  )) as typeof import('../src/core/kinds.js');
  const { buildGraph } = (await import(
    new URL('graph/build-graph.js', dist).href
  )) as typeof import('../src/graph/build-graph.js');
  const started = performance.now();
  const { snapshot } = await new FilesSource({ paths: [args[0] ?? ''] }).load({ kinds: KINDS });
  const loaded = performance.now();
  const graph = buildGraph(snapshot);
  const done = performance.now();
  process.stdout.write(
    JSON.stringify({
      objects: snapshot.size,
      nodes: graph.nodeCount,
      edges: graph.edgeCount,
      loadMs: loaded - started,
      graphMs: done - loaded,
      totalMs: done - started,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else if (job === 'cli') {
  const { run } = (await import(new URL('cli/main.js', dist).href)) as typeof import('../src/cli/main.js');
  let bytes = 0;
  const started = performance.now();
  const code = await run(args, {
    stdout: (text) => (bytes += text.length),
    stderr: (text) => process.stderr.write(text),
    env: { NO_COLOR: '1' },
    stdoutIsTty: false,
    stderrIsTty: false,
    signal: new AbortController().signal,
    readStdin: () => '',
  });
  const done = performance.now();
  process.stdout.write(
    JSON.stringify({
      code,
      outputBytes: bytes,
      totalMs: done - started,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else {
  process.stderr.write('usage: probe.ts load-graph DIR | cli ARGS…\n');
  process.exitCode = 2;
}
