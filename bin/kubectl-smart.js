#!/usr/bin/env node
// kubectl finds plugins by name on PATH: `kubectl smart …` runs this file.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `error: kubectl-smart needs Node.js 22 or newer, this is ${process.version}; install a newer Node.js\n`,
  );
  process.exit(70);
}
const { main } = await import('../dist/cli/main.js');
await main();
