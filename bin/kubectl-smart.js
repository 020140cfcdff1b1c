#!/usr/bin/env node
// kubectl finds plugins by name on PATH: `kubectl smart …` runs this file.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `error: kubectl-smart needs Node.js 22 or newer, this is ${process.version}; install a newer Node.js\n`,
  );
  process.exit(70);
}
// Before anything loads: a recorder keeps its young generation small (see long-running-heap.ts).
const { tuneHeapFor } = await import('../dist/cli/long-running-heap.js');
tuneHeapFor(process.argv.slice(2));
const { main } = await import('../dist/cli/main.js');
await main();
