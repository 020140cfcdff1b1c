import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { toAppError } from '../core/errors.js';
import { agentCommand, type AgentCommandFlags } from './commands/agent.js';
import { receiveCommand, RECEIVE_FORMATS, type ReceiveFlags } from './commands/receive.js';
import { analyzeCommand, ANALYZE_FORMATS, type AnalyzeFlags } from './commands/analyze.js';
import { depsCommand, DEPS_FORMATS, type DepsFlags } from './commands/deps.js';
import { demoCommand, type DemoFlags } from './commands/demo.js';
import { describeCommand, DESCRIBE_FORMATS, type DescribeFlags } from './commands/describe.js';
import { eventsCommand, EVENTS_FORMATS, type EventsFlags } from './commands/events.js';
import { infoFeaturesCommand, INFO_FORMATS, type InfoFormat } from './commands/info.js';
import { noteCommand, type NoteFlags } from './commands/note.js';
import { recordCommand, type RecordFlags } from './commands/record.js';
import { exportCommand, importCommand, type ExportFlags } from './commands/recording.js';
import { replayCommand, REPLAY_FORMATS, type ReplayFlags } from './commands/replay.js';
import { timelineCommand, TIMELINE_FORMATS, type TimelineFlags } from './commands/timeline.js';
import { whyCommand, WHY_FORMATS, type WhyFlags } from './commands/why.js';
import type { MemoryFlags } from './store-options.js';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes.js';
import type { Io } from './io.js';

const VERSION = readVersion();

/**
 * Runs the CLI once and returns its exit code: the only place that turns errors into one line on
 * stderr and an exit code (a stack trace only with --debug).
 */
export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one line (unknown option, missing argument…) or the help.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const appError = toAppError(error);
    io.stderr(`error: ${appError.message}\n`);
    if (argv.includes('--debug'))
      io.stderr(`${(appError.cause instanceof Error ? appError.cause : appError).stack ?? ''}\n`);
    else if (appError.code === 'internal')
      io.stderr('run again with --debug for the stack trace, and report it\n');
    return exitCodeFor(appError.code);
  }
}

function buildProgram(io: Io, setExit: (code: ExitCode) => void): Command {
  const program = new Command('kubectl smart')
    .description(
      'Debugs Kubernetes through its dependency graph: what depends on what, its health, and the events that matter.',
    )
    .version(VERSION, '--version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError()
    .addOption(
      new Option(
        '-n, --namespace <namespace>',
        "namespace (default: the kubeconfig context's; with --from, every namespace)",
      ),
    )
    .addOption(new Option('-A, --all-namespaces', 'every namespace'))
    .addOption(
      new Option('-l, --selector <selector>', 'label selector, as kubectl takes it (app=web,tier!=db)'),
    )
    .addOption(new Option('--context <name>', 'kubeconfig context'))
    .addOption(
      new Option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)'),
    )
    .addOption(
      new Option(
        '--from <path>',
        'read files instead of a cluster: kubectl get -o json|yaml output, directories, cluster-info dumps; - for stdin (repeatable)',
      ).argParser(collect),
    )
    .addOption(
      new Option('--request-timeout <duration>', 'give up on one API request after this long').default('30s'),
    )
    .addOption(new Option('--debug', 'print stack traces of errors'))
    .addOption(
      new Option(
        '--store <path|url>',
        'the memory store: a SQLite path or postgres://… (default: $SMART_STORE_URL, config, ~/.kube/smart-memory/memory.db)',
      ),
    )
    .addOption(
      new Option('--alpha-memory', 'switch on the operational memory (record, timeline, replay, --at …)'),
    )
    .addOption(
      new Option(
        '--at <time>',
        'ask the recording instead of the cluster: as it was at this time (RFC 3339, or how long ago: 30m, 2h)',
      ),
    );

  const output = (formats: readonly string[], fallback: string): Option =>
    new Option('-o, --output <format>', 'output format').choices(formats).default(fallback);

  program
    .command('analyze')
    .description(
      'the root cause of what is failing, through the dependency graph, with its chain, evidence and fix',
    )
    .argument(
      '[resource...]',
      'TYPE/NAME: this object and what bears on it; else the namespace (-n) or all (-A)',
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at least this severe: warning or critical',
      ),
    )
    .addOption(
      new Option('--tail <n>', 'log lines to read of each failing container')
        .default(20)
        .argParser(nonNegativeInteger),
    )
    .addOption(output(ANALYZE_FORMATS, 'text'))
    .action(async (words: string[], _options: unknown, command: Command) => {
      setExit(await analyzeCommand(words, command.optsWithGlobals<AnalyzeFlags>(), io));
    });

  program
    .command('describe')
    .description(
      'kubectl describe, plus the findings that concern the object, its neighbours with health, and filtered events',
    )
    .argument('<resource...>', 'TYPE/NAME or TYPE NAME')
    .option('--all', 'also show routine Normal events')
    .addOption(
      new Option('--tail <n>', 'log lines to read of each failing container')
        .default(20)
        .argParser(nonNegativeInteger),
    )
    .addOption(output(DESCRIBE_FORMATS, 'text'))
    .action(async (words: string[], _options: unknown, command: Command) => {
      setExit(await describeCommand(words, command.optsWithGlobals<DescribeFlags>(), io));
    });

  program
    .command('deps')
    .description(
      'what an object depends on (--upstream, default) or what depends on it (--downstream), with health',
    )
    .argument('<resource...>', 'TYPE/NAME, TYPE NAME, or TYPE with -l')
    .option('--upstream', 'what it depends on (default)')
    .option('--downstream', 'what depends on it')
    .addOption(new Option('--depth <n>', 'how many hops').default(3).argParser(nonNegativeInteger))
    .addOption(output(DEPS_FORMATS, 'text'))
    .action(async (words: string[], _options: unknown, command: Command) => {
      setExit(await depsCommand(words, command.optsWithGlobals<DepsFlags>(), io));
    });

  program
    .command('events')
    .description('noise-filtered events: Warnings first, repeats folded, grouped under their owner')
    .argument('[resource...]', 'TYPE/NAME: the events of this object and of its graph neighbourhood')
    .option('--all', 'also show routine Normal events (Scheduled, Pulled, Started…)')
    .option('--since <duration>', 'only events seen in the last duration (30m, 1h, 2d)')
    .option('-w, --watch', 'after the list, follow new events live')
    .addOption(
      new Option('--depth <n>', 'how far the neighbourhood of TYPE/NAME reaches')
        .default(2)
        .argParser(nonNegativeInteger),
    )
    .addOption(output(EVENTS_FORMATS, 'text'))
    .action(async (words: string[], _options: unknown, command: Command) => {
      setExit(await eventsCommand(words, command.optsWithGlobals<EventsFlags>(), io));
    });

  program
    .command('record')
    .description(
      'record every change (field diffs, who, why) and event of the cluster until Ctrl-C; a restart resumes where it stopped',
    )
    .option(
      '--kinds <list>',
      'kinds to follow, as kubectl names them, custom resources as plural.group (default: workloads, pods, config, nodes, storage, policies, events)',
    )
    .option('--crds', "also follow every custom resource the cluster's CustomResourceDefinitions define")
    .option('--audit-log <file>', "the API server's audit log, to name the user behind each change")
    .addOption(new Option('--retention <duration>', 'drop what is older than this').default('14d'))
    .addOption(
      new Option(
        '--max-size <size>',
        'keep the embedded store under this size, dropping the oldest history (2Gi)',
      ),
    )
    .addOption(
      new Option(
        '--checkpoint-every <duration>',
        'save every object whole this often, so replay starts near its moment',
      ).default('6h'),
    )
    .option('--for <duration>', 'stop after this long (default: until Ctrl-C)')
    .action(async (_options: unknown, command: Command) => {
      setExit(await recordCommand(command.optsWithGlobals<RecordFlags>(), io));
    });

  program
    .command('replay')
    .description(
      'the story of an outage from the recording: the changes before --at, then the cluster as it was, analysed',
    )
    .addOption(new Option('--window <duration>', 'how far before --at to list changes').default('1h'))
    .option('--all', 'list every change, status updates and pods included')
    .addOption(output(REPLAY_FORMATS, 'text'))
    .action(async (_options: unknown, command: Command) => {
      setExit(await replayCommand(command.optsWithGlobals<ReplayFlags>(), io));
    });

  program
    .command('timeline')
    .description("an object's recorded changes (fields, who, why), events and notes, oldest first")
    .argument('<resource...>', 'TYPE/NAME or TYPE NAME (namespaced kinds: -n, else default)')
    .option('--since <time>', 'from this time (RFC 3339) or this long ago (1h, 2d)')
    .option('--until <time>', 'up to this time, or this long ago')
    .option(
      '--related',
      'also its graph neighbours: its pods, their ConfigMaps, Secrets and node, its Services',
    )
    .addOption(output(TIMELINE_FORMATS, 'text'))
    .action(async (words: string[], _options: unknown, command: Command) => {
      setExit(await timelineCommand(words, command.optsWithGlobals<TimelineFlags>(), io));
    });

  program
    .command('why')
    .description(
      'every value a field has had (or every change to the spec), with when, who and why, and the notes',
    )
    .argument('<resource...>', 'TYPE/NAME or TYPE NAME')
    .option(
      '--field <path>',
      'one field, as timeline writes it: data.CACHE_SIZE, spec.template.spec.containers[api].image',
    )
    .addOption(output(WHY_FORMATS, 'text'))
    .action(async (words: string[], _options: unknown, command: Command) => {
      setExit(await whyCommand(words, command.optsWithGlobals<WhyFlags>(), io));
    });

  program
    .command('note')
    .description('keep what you know about an object with it: why, timeline and replay show it')
    .argument('<resource-and-text...>', 'TYPE/NAME "text"')
    .option('--author <name>', 'who says so (default: $USER)')
    .action(async (words: string[], _options: unknown, command: Command) => {
      setExit(await noteCommand(words, command.optsWithGlobals<NoteFlags>(), io));
    });

  program
    .command('export')
    .description('the recording of a window as one portable, already-redacted file (JSON lines)')
    .option('--since <time>', 'from this time, or this long ago')
    .option('--until <time>', 'up to this time, or this long ago')
    .option('-f, --file <file>', 'write here instead of stdout')
    .action(async (_options: unknown, command: Command) => {
      setExit(await exportCommand(command.optsWithGlobals<ExportFlags>(), io));
    });

  program
    .command('import')
    .description('a recording file (from export) into the store; importing twice adds nothing')
    .argument('<file>', 'the file, or - for stdin')
    .action(async (file: string, _options: unknown, command: Command) => {
      setExit(await importCommand(file, command.optsWithGlobals<MemoryFlags>(), io));
    });

  program
    .command('demo')
    .description(
      'a recorded outage replayed with no cluster: replay, timeline and why on the bundled recording',
    )
    .option('--keep', 'keep the demo store and say where, to explore it further')
    .action(async (_options: unknown, command: Command) => {
      setExit(await demoCommand(command.optsWithGlobals<DemoFlags>(), io));
    });

  program
    .command('agent')
    .description(
      'the incident observer: watch pods, detect failures, harvest and redact the evidence, stream it to the sinks until stopped',
    )
    .option(
      '--sink <address>',
      'where incidents go, repeatable: grpc://host:port, grpcs://host:port, https://… (webhook), file:PATH, stdout (default: stdout)',
      collect,
    )
    .option('--cluster-name <name>', 'the name incidents carry (default: the kubeconfig context)')
    .option('--detect <reasons>', 'failures to detect, comma-separated (default: all seven)')
    .option('--debounce <duration>', 'one incident per pod, container and reason per this long (default 5m)')
    .addOption(
      new Option('--tail <lines>', 'log lines per container (default 200)').argParser(positiveInteger),
    )
    .option('--listen <address>', 'serve /metrics, /healthz and /readyz here (:9090)')
    .option('--outbox <dir>', 'where undelivered incidents wait (default ~/.kube/smart/outbox)')
    .option('--tls-ca <file>', 'CA of the gRPC receiver (grpcs://)')
    .option('--tls-cert <file>', 'client certificate for mTLS')
    .option('--tls-key <file>', 'client key for mTLS')
    .option(
      '--webhook-secret-env <name>',
      'environment variable holding the webhook HMAC secret (default SMART_WEBHOOK_SECRET)',
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default info)')
    .option('--leader-elect', 'run with one active replica: observe only while holding the Lease')
    .option('--lease-namespace <namespace>', 'namespace of the Lease (default: $POD_NAMESPACE, else default)')
    .option('--lease-name <name>', 'name of the Lease (default kubectl-smart-agent)')
    .option('--lease-duration <duration>', 'how long a silent leader keeps the Lease (default 15s)')
    .option('--for <duration>', 'stop after this long (default: until Ctrl-C or SIGTERM)')
    .action(async (_options: unknown, command: Command) => {
      setExit(await agentCommand(command.optsWithGlobals<AgentCommandFlags>(), io));
    });

  program
    .command('receive')
    .description(
      'the reference incident receiver: serve the gRPC contract, print and keep each incident once',
    )
    .requiredOption('--listen <address>', 'host:port to listen on (:7443, 127.0.0.1:0)')
    .option('--tls-cert <file>', 'serve TLS with this certificate')
    .option('--tls-key <file>', 'and this key')
    .option('--client-ca <file>', 'require client certificates signed by this CA (mTLS)')
    .option('--out <file>', 'append each incident as a JSON line; its ids count as received on restart')
    .option('--for <duration>', 'stop after this long (default: until Ctrl-C)')
    .addOption(output(RECEIVE_FORMATS, 'text'))
    .action(async (_options: unknown, command: Command) => {
      setExit(await receiveCommand(command.optsWithGlobals<ReceiveFlags>(), io));
    });

  const info = program.command('info').description('about this installation');
  info
    .command('features')
    .description('every capability, its tier and feature flag, and whether it is on')
    .addOption(output(INFO_FORMATS, 'text'))
    .action((_options: unknown, command: Command) => {
      setExit(infoFeaturesCommand(command.optsWithGlobals<{ output: InfoFormat }>(), io));
    });

  for (const command of [program, ...program.commands, ...info.commands]) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }
  return program;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new InvalidArgumentError('expected a whole number above 0, such as 200');
  return Number(value);
}

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number such as 3');
  return Number(value);
}

function readVersion(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Entry point of the `kubectl-smart` binary. */
export async function main(): Promise<void> {
  // The reader went away (`kubectl smart events | head`): stop quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
  });
  process.once('SIGTERM', () => {
    controller.abort();
  });
  const io: Io = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTty: process.stdout.isTTY,
    stderrIsTty: process.stderr.isTTY,
    signal: controller.signal,
    readStdin: () => readFileSync(0, 'utf8'),
  };
  const code = await run(process.argv.slice(2), io);
  process.exitCode = code;
}
