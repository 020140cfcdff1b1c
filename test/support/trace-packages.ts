// Loaded with `node --import`: prints, at exit, the npm packages the process imported, one line on
// stderr (`packages: a b c`). test/e2e/lazy-loading.test.ts uses it to see what a command loads.
import { registerHooks } from 'node:module';

const seen = new Set<string>();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const match = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(resolved.url);
    if (match?.[1] !== undefined) seen.add(match[1]);
    return resolved;
  },
});
process.on('exit', () => {
  process.stderr.write(`packages: ${[...seen].sort().join(' ')}\n`);
});
