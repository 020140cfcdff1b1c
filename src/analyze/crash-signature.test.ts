import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crashSignature } from './crash-signature.js';
import { exitCodeMeaning } from './exit-codes.js';
import { errorLines } from './log-lines.js';

const crash = (file: string): string =>
  readFileSync(new URL(`../../test/fixtures/crash-output/${file}`, import.meta.url), 'utf8');

describe('crashSignature', () => {
  it('names the runtime, the line that says what failed, and the program’s own frame', () => {
    const read = (file: string) => {
      const found = crashSignature(crash(file));
      return found === undefined
        ? undefined
        : {
            runtime: found.runtime,
            headline: found.headline,
            frame: found.frame,
            outOfHeap: found.outOfHeap,
          };
    };
    expect(read('go-panic.log')).toEqual({
      runtime: 'go',
      headline: 'panic: runtime error: invalid memory address or nil pointer dereference',
      frame:
        'github.com/acme/shop/internal/cart.(*Store).Total(0x0, {0xc0000a4000, 0x3, 0x4}) /src/internal/cart/store.go:41',
      outOfHeap: false,
    });
    expect(read('java-exception.log')).toEqual({
      runtime: 'java',
      headline:
        'java.lang.IllegalStateException: Failed to start the order pool (caused by java.net.ConnectException: Connection refused)',
      frame: 'com.acme.shop.orders.OrderPool.open(OrderPool.java:88) ~[shop.jar:1.4.2]',
      outOfHeap: false,
    });
    expect(read('python-traceback.log')).toEqual({
      runtime: 'python',
      headline: "KeyError: 'QUEUE_URL'",
      frame: 'File "/app/worker.py", line 24, in main',
      outOfHeap: false,
    });
    expect(read('node-uncaught.log')).toEqual({
      runtime: 'node',
      headline: 'Error: missing environment variable DATABASE_URL',
      frame: 'required (/app/server.js:14:11)',
      outOfHeap: false,
    });
    expect(read('node-heap-oom.log')).toEqual({
      runtime: 'node',
      headline: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      frame: undefined,
      outOfHeap: true,
    });
    expect(read('dotnet-unhandled.log')).toEqual({
      runtime: 'dotnet',
      headline:
        "Unhandled exception. System.InvalidOperationException: Unable to resolve service for type 'Shop.IClock' while attempting to activate 'Shop.CartService'.",
      frame: 'Shop.Startup.Configure(IServiceProvider services) in /src/Shop/Startup.cs:line 57',
      outOfHeap: false,
    });
  });

  it('finds no crash in an ordinary error log, nor in a word like "panic" or "Exception" alone', () => {
    expect(
      crashSignature('level=error msg="panic: not really"\nException handling enabled\n'),
    ).toBeUndefined();
    expect(crashSignature('')).toBeUndefined();
  });

  it('takes the frames below a recovered panic’s re-panic, not the deferred handler above it', () => {
    const text = [
      'panic: assignment to entry in nil map [recovered]',
      '\tpanic: assignment to entry in nil map',
      '',
      'goroutine 7 [running]:',
      'sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).Reconcile.func1()',
      '\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.19.0/pkg/internal/controller/controller.go:111 +0x1e5',
      'panic({0x1a2b3c0?, 0x1f00d20?})',
      '\t/usr/local/go/src/runtime/panic.go:785 +0x132',
      'github.com/acme/operator/internal/backup.(*Reconciler).plan(0xc000846480)',
      '\t/src/internal/backup/plan.go:57 +0x9a',
    ].join('\n');
    expect(crashSignature(text)?.frame).toBe(
      'github.com/acme/operator/internal/backup.(*Reconciler).plan(0xc000846480) /src/internal/backup/plan.go:57',
    );
  });
});

describe('exitCodeMeaning', () => {
  it('reads the number with what the process printed', () => {
    expect(exitCodeMeaning(2, crash('go-panic.log'))).toBe('Go panic');
    expect(
      exitCodeMeaning(
        2,
        'fatal error: concurrent map writes\n\ngoroutine 12 [running]:\nmain.f()\n\t/a.go:1 +0x1',
      ),
    ).toBe('Go runtime fatal error');
    expect(exitCodeMeaning(1, crash('java-exception.log'))).toBe('uncaught Java exception');
    expect(exitCodeMeaning(1, crash('python-traceback.log'))).toBe('uncaught Python exception');
    expect(exitCodeMeaning(1, crash('node-uncaught.log'))).toBe('uncaught Node.js exception');
    expect(exitCodeMeaning(134, crash('node-heap-oom.log'))).toBe(
      'Node.js ran out of its own heap (a runtime limit, not the container’s)',
    );
    expect(exitCodeMeaning(134, crash('dotnet-unhandled.log'))).toBe('.NET unhandled exception');
    // A signal's own meaning stands: a runtime's output does not explain a SIGKILL.
    expect(exitCodeMeaning(137, crash('java-exception.log'))).toBe(
      'killed (SIGKILL): out of memory or a failed liveness probe',
    );
  });

  it('without a runtime’s words: 2 is bad usage, 255 no signal, 129–192 signals by name', () => {
    expect(exitCodeMeaning(2)).toBe(
      'bad arguments or usage (a shell builtin misused, a flag the program does not know)',
    );
    expect(exitCodeMeaning(255)).toBe(
      'exit(-1) or an exit status out of range: the program gave up, no signal',
    );
    expect(exitCodeMeaning(130)).toBe('killed by signal 2 (SIGINT)');
    expect(exitCodeMeaning(141)).toBe('killed by signal 13 (SIGPIPE)');
    expect(exitCodeMeaning(200)).toBe('application error');
  });
});

describe('errorLines', () => {
  it('keeps what failed and where of a stack trace, after the error lines that led to it', () => {
    expect(errorLines(crash('java-exception.log'), 5)).toEqual([
      '2026-12-07T09:14:05.902Z ERROR 1 --- [           main] o.s.boot.SpringApplication               : Application run failed',
      'java.lang.IllegalStateException: Failed to start the order pool (caused by java.net.ConnectException: Connection refused)',
      'at com.acme.shop.orders.OrderPool.open(OrderPool.java:88) ~[shop.jar:1.4.2]',
    ]);
    expect(errorLines(crash('go-panic.log'), 5)).toEqual([
      'panic: runtime error: invalid memory address or nil pointer dereference',
      'at github.com/acme/shop/internal/cart.(*Store).Total(0x0, {0xc0000a4000, 0x3, 0x4}) /src/internal/cart/store.go:41',
    ]);
    expect(errorLines(crash('python-traceback.log'), 2)).toEqual([
      "KeyError: 'QUEUE_URL'",
      'at File "/app/worker.py", line 24, in main',
    ]);
  });

  it('leaves out the source line, caret, native frames and version line around a Node crash', () => {
    expect(errorLines(crash('node-uncaught.log'), 5)).toEqual([
      'Error: missing environment variable DATABASE_URL',
      'at required (/app/server.js:14:11)',
    ]);
    expect(errorLines(crash('node-heap-oom.log'), 5)).toEqual([
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    ]);
    expect(errorLines(crash('dotnet-unhandled.log'), 5)).toEqual([
      "Unhandled exception. System.InvalidOperationException: Unable to resolve service for type 'Shop.IClock' while attempting to activate 'Shop.CartService'.",
      'at Shop.Startup.Configure(IServiceProvider services) in /src/Shop/Startup.cs:line 57',
    ]);
  });

  it('cuts a long line, and reads a log without a crash as before', () => {
    expect(errorLines(`error: ${'x'.repeat(1000)}`, 5)[0]).toHaveLength(401);
    expect(errorLines('starting\nlevel=fatal msg="bad config"\nbye\n', 5)).toEqual([
      'level=fatal msg="bad config"',
    ]);
    expect(errorLines('starting\nready\n', 1)).toEqual(['ready']);
  });
});
