/** Runtimes whose crash output has a recognisable shape. */
export type Runtime = 'go' | 'java' | 'python' | 'node' | 'dotnet';

/** A crash a runtime printed: which runtime, the line that says what failed, where it failed. */
export interface CrashSignature {
  readonly runtime: Runtime;
  /** `panic: runtime error: …`, `Exception in thread "main" java.lang.…`, `ValueError: …`. */
  readonly headline: string;
  /**
   * The frame of the program's own code where it failed, when one is there, without the runtime's
   * `at ` (`main.main() /app/main.go:12`, `com.acme.Pool.open(Pool.java:88)`).
   */
  readonly frame?: string;
  /** The runtime ran out of its own memory (a heap limit), not the container's. */
  readonly outOfHeap: boolean;
  /** The lines of the trace: frames, goroutine headers, `Caused by`… (what a quote leaves out). */
  readonly traceLines: ReadonlySet<string>;
}

/** Lines read for a signature: a crash is at the end of a log, and a bounded read stays linear. */
const MAX_LINES = 2000;
/** Characters of a line read, as the connection-failure matcher reads them. */
const MAX_LINE_CHARS = 4096;

const GO_PANIC = /^(panic: .*|fatal error: .*)$/;
const GO_GOROUTINE = /^goroutine \d+ \[[^\]]*\]:$/;
const JAVA_THREAD = /^Exception in thread "[^"]*" (\S.*)$/;
const JAVA_THROWABLE = /^((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable))(?::.*)?$/;
/** `\tat com.acme.Pool.open(Pool.java:88)`, with a module prefix (`java.base/`) and a jar suffix (`~[app.jar:na]`) or not. */
const JAVA_FRAME = /^\s+at (?:[\w.$-]+(?:@[^/\s]*)?\/)*((?:[\w$]+\.)+[\w$<>]+)\(([^)]*)\)(?: ~?\[[^\]]*\])?$/;
const JAVA_CAUSED = /^Caused by: (.*)$/;
const PY_TRACEBACK = /^Traceback \(most recent call last\):$/;
const PY_FRAME = /^\s+File "([^"]+)", line (\d+), in (.+)$/;
/** Python prints the exception, `module.Name: message`, as the first unindented line under the frames. */
const PY_RAISED = /^[A-Za-z_][\w.]*(?::.*)?$/;
const NODE_ERROR = /^(?:Uncaught )?([A-Z]\w*Error|Error)(?: \[[A-Z0-9_]+\])?: .*$|^FATAL ERROR: .*$/;
const NODE_FRAME = /^\s+at (?:.*\((.+):(\d+):(\d+)\)|(.+):(\d+):(\d+))$/;
const DOTNET_UNHANDLED = /^Unhandled [eE]xception\. (\S.*)$/;
const DOTNET_FRAME = /^\s+at (\S.*?)(?: in (.+):line (\d+))?$/;

/** Frames of the runtime and its libraries, not of the program: the first other frame is where it failed. */
const LIBRARY_FRAME: Readonly<Record<Runtime, RegExp>> = {
  go: /^(runtime\.|panic\(|runtime\/|reflect\.|net\/http\.|syscall\.|sync\.)/,
  java: /^(java\.|javax\.|jdk\.|sun\.|com\.sun\.|kotlin\.|scala\.|org\.springframework\.|org\.apache\.|io\.netty\.)/,
  python: /(\/lib\/python[\d.]*\/|site-packages|dist-packages|<frozen )/,
  node: /(node:internal|node_modules|^internal\/|\(node:)/,
  dotnet: /^(System\.|Microsoft\.)/,
};

/**
 * The crash a log (or a termination message) shows, if a runtime printed one: Go's panic with its
 * goroutine dump, a JVM's uncaught exception (its last `Caused by` is the cause), Python's
 * traceback, Node's uncaught error or fatal heap error, .NET's `Unhandled exception.`. The last
 * crash in the text wins: a restart loop prints the same one again and again.
 */
export function crashSignature(text: string): CrashSignature | undefined {
  const lines = text
    .split('\n')
    .slice(-MAX_LINES)
    .map((line) => line.slice(0, MAX_LINE_CHARS).trimEnd());
  return go(lines) ?? dotnet(lines) ?? java(lines) ?? python(lines) ?? node(lines);
}

function go(lines: readonly string[]): CrashSignature | undefined {
  const at = lastIndex(lines, (line) => GO_GOROUTINE.test(line));
  if (at < 0) return undefined;
  const headlineAt = lastIndex(lines.slice(0, at), (line) => GO_PANIC.test(line));
  if (headlineAt < 0) return undefined;
  const trace = new Set<string>(lines.slice(headlineAt + 1).filter((line) => line !== ''));
  // The goroutine that panicked: function lines, each followed by an indented file line. Frames
  // above a `panic(` call are the deferred handler that recovered and re-panicked: what failed is
  // below it.
  let end = lines.length;
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '' || GO_GOROUTINE.test(line)) {
      end = i;
      break;
    }
  }
  const block = lines.slice(at + 1, end);
  const panicCall = lastIndex(block, (line) => line.startsWith('panic('));
  let frame: string | undefined;
  for (let i = panicCall + 1; i < block.length; i++) {
    const fn = block[i] ?? '';
    if (/^\s/.test(fn) || LIBRARY_FRAME.go.test(fn) || fn.startsWith('created by ')) continue;
    frame = `${fn} ${(block[i + 1] ?? '').trim().replace(/ \+0x[0-9a-f]+$/, '')}`.trim();
    break;
  }
  const headline = lines[headlineAt] ?? '';
  return {
    runtime: 'go',
    headline,
    ...(frame === undefined ? {} : { frame }),
    outOfHeap: /out of memory/.test(headline),
    traceLines: trace,
  };
}

function java(lines: readonly string[]): CrashSignature | undefined {
  const start = lastIndex(
    lines,
    (line, i) => JAVA_THREAD.test(line) || (JAVA_THROWABLE.test(line) && JAVA_FRAME.test(lines[i + 1] ?? '')),
  );
  if (start < 0) return undefined;
  const tail = lines.slice(start);
  const caused = tail.map((line) => JAVA_CAUSED.exec(line)?.[1]).filter((c) => c !== undefined);
  const thrown = JAVA_THREAD.exec(lines[start] ?? '')?.[1] ?? lines[start] ?? '';
  const headline = caused.length > 0 ? `${thrown} (caused by ${caused[caused.length - 1] ?? ''})` : thrown;
  // The root cause's frames (after the last `Caused by`) say where it failed; else the thrown one's.
  const causedAt = lastIndex(tail, (line) => JAVA_CAUSED.test(line));
  const frames = tail.slice(Math.max(0, causedAt)).filter((line) => JAVA_FRAME.test(line));
  const own = frames.find((line) => !LIBRARY_FRAME.java.test(JAVA_FRAME.exec(line)?.[1] ?? ''));
  return {
    runtime: 'java',
    headline,
    ...(own === undefined ? {} : { frame: own.trim().replace(/^at /, '') }),
    outOfHeap: /java\.lang\.OutOfMemoryError/.test(tail.join('\n')),
    traceLines: new Set([
      lines[start] ?? '',
      ...tail.filter(
        (line) => JAVA_FRAME.test(line) || JAVA_CAUSED.test(line) || /^\s+\.\.\. \d+ more$/.test(line),
      ),
    ]),
  };
}

function python(lines: readonly string[]): CrashSignature | undefined {
  const start = lastIndex(lines, (line) => PY_TRACEBACK.test(line));
  if (start < 0) return undefined;
  const trace = new Set<string>([lines[start] ?? '']);
  let headline: string | undefined;
  let frame: string | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s/.test(line) || line === '') {
      trace.add(line);
      const file = PY_FRAME.exec(line);
      if (file !== null && !LIBRARY_FRAME.python.test(file[1] ?? ''))
        frame = `File "${file[1] ?? ''}", line ${file[2] ?? ''}, in ${file[3] ?? ''}`;
      continue;
    }
    if (PY_RAISED.test(line)) headline = line;
    break;
  }
  if (headline === undefined) return undefined;
  return {
    runtime: 'python',
    headline,
    ...(frame === undefined ? {} : { frame }),
    outOfHeap: /^MemoryError\b/.test(headline),
    traceLines: trace,
  };
}

function node(lines: readonly string[]): CrashSignature | undefined {
  const fatalHeap = lastIndex(lines, (line) => /^FATAL ERROR: .*JavaScript heap out of memory/.test(line));
  const start = lastIndex(lines, (line, i) => NODE_ERROR.test(line) && NODE_FRAME.test(lines[i + 1] ?? ''));
  if (start < 0 && fatalHeap < 0) return undefined;
  const at = Math.max(start, fatalHeap);
  const tail = lines.slice(at + 1);
  const frames = tail.filter((line) => NODE_FRAME.test(line));
  const own = frames.find((line) => !LIBRARY_FRAME.node.test(line));
  const headline = lines[at] ?? '';
  return {
    runtime: 'node',
    headline,
    ...(own === undefined ? {} : { frame: own.trim().replace(/^at /, '') }),
    outOfHeap: at === fatalHeap,
    // V8's native frames (` 1: 0xb83f50 node::Abort() [node]`) under a fatal error, the version
    // line, and above an uncaught error the source line it was thrown at with its caret, are trace too.
    traceLines: new Set([
      ...sourceCaret(lines, at),
      ...frames,
      ...tail.filter((line) => /^\s*\d+: 0x[0-9a-f]+/.test(line) || /^Node\.js v\d/.test(line)),
    ]),
  };
}

function dotnet(lines: readonly string[]): CrashSignature | undefined {
  const start = lastIndex(lines, (line) => DOTNET_UNHANDLED.test(line));
  if (start < 0) return undefined;
  const tail = lines.slice(start + 1);
  const frames = tail.filter((line) => /^\s+at /.test(line));
  const own = frames.find((line) => !LIBRARY_FRAME.dotnet.test(DOTNET_FRAME.exec(line)?.[1] ?? ''));
  const headline = lines[start] ?? '';
  return {
    runtime: 'dotnet',
    headline,
    ...(own === undefined ? {} : { frame: own.trim().replace(/^at /, '') }),
    outOfHeap: /System\.OutOfMemoryException/.test(headline),
    traceLines: new Set([
      ...frames,
      ...tail.filter((line) => /^\s+---> /.test(line) || /--- End of/.test(line)),
    ]),
  };
}

/** Node's `FILE:LINE`, source line and `^` printed above an uncaught error (blank lines between). */
function sourceCaret(lines: readonly string[], at: number): string[] {
  let i = at - 1;
  while (i >= 0 && lines[i] === '') i--;
  if (!/^\s*\^+$/.test(lines[i] ?? '')) return [];
  return lines.slice(Math.max(0, i - 2), i + 1).filter((line) => line !== '');
}

/** The index of the last line that passes, or -1. */
function lastIndex(lines: readonly string[], test: (line: string, index: number) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i] ?? '', i)) return i;
  return -1;
}
