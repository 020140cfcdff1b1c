/**
 * Every command of the CLI as data: name, summary, arguments, options, the capability it belongs
 * to and its gate. main.ts builds the parser from this table, `info features` lists the commands
 * from it, and each command's module is imported only when that command runs (an `analyze` does
 * not load the agent's gRPC, logging and metrics libraries).
 */
import {
  command as declare,
  option,
  type CommandRun,
  type CommandSpec,
  type FlagsOf,
  type OptionSpec,
} from './command-spec.js';
import { collect, nonNegativeInteger, positiveInteger } from './option-values.js';
import {
  ANALYZE_FORMATS,
  DEPS_FORMATS,
  DESCRIBE_FORMATS,
  EVENTS_FORMATS,
  INFO_FORMATS,
  RECEIVE_FORMATS,
  REPLAY_FORMATS,
  TIMELINE_FORMATS,
  WHY_FORMATS,
} from './output-formats.js';
import type { SourceFlags } from './source-options.js';

/** The options every command takes, as kubectl names them, plus the store and the gates. */
export const GLOBAL_OPTIONS = [
  option({
    flags: '-n, --namespace <namespace>',
    description: "namespace (default: the kubeconfig context's; with --from, every namespace)",
  }),
  option({ flags: '-A, --all-namespaces', description: 'every namespace' }),
  option({
    flags: '-l, --selector <selector>',
    description: 'label selector, as kubectl takes it (app=web,tier!=db)',
  }),
  option({ flags: '--context <name>', description: 'kubeconfig context' }),
  option({
    flags: '--kubeconfig <file>',
    description: 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)',
  }),
  option({
    flags: '--from <path>',
    description:
      'read files instead of a cluster: kubectl get -o json|yaml output, directories, cluster-info dumps; - for stdin (repeatable)',
    parse: collect,
  }),
  option({
    flags: '--request-timeout <duration>',
    description: 'give up on one API request after this long',
    default: '30s',
  }),
  option({ flags: '--debug', description: 'print stack traces of errors' }),
  option({
    flags: '--store <path|url>',
    description:
      'the memory store: a SQLite path or postgres://… (default: $SMART_STORE_URL, config, ~/.kube/smart-memory/memory.db)',
  }),
  option({
    flags: '--alpha-memory',
    description: 'switch on the operational memory (record, timeline, replay, --at …)',
  }),
  option({
    flags: '--experimental-predict',
    description: 'switch on prediction (predict; not yet available in this build)',
  }),
  option({
    flags: '--at <time>',
    description:
      'ask the recording instead of the cluster: as it was at this time (RFC 3339, or how long ago: 30m, 2h)',
  }),
] as const;

/** The global flags as parsed. */
export type GlobalFlags = FlagsOf<typeof GLOBAL_OPTIONS>;

/** What a command's run function receives: the global flags and its own. */
export type CommandFlags<O extends readonly OptionSpec[]> = GlobalFlags & FlagsOf<O>;

/** The source opener's flags are the global options: a flag renamed in one place fails to compile. */
export const asSourceFlags = (flags: GlobalFlags): SourceFlags => flags;

/** A command whose module must accept what the parser gives it. */
function command<const O extends readonly OptionSpec[]>(
  spec: Omit<CommandSpec<O>, 'load'> & { readonly load: () => Promise<CommandRun<CommandFlags<O>>> },
): CommandSpec<O> {
  return declare(spec as CommandSpec<O>);
}

const output = <const F extends readonly string[]>(formats: F, fallback: F[number]) =>
  option({
    flags: '-o, --output <format>',
    description: 'output format',
    choices: formats,
    default: fallback,
  });

const tail = option({
  flags: '--tail <n>',
  description: 'log lines to read of each failing container',
  default: 20,
  parse: nonNegativeInteger,
});

export const ANALYZE = command({
  name: 'analyze',
  summary:
    'the root cause of what is failing, through the dependency graph, with its chain, evidence and fix',
  arguments: [
    {
      syntax: '[resource...]',
      description:
        'TYPE/NAME: this object and what bears on it; with -l, the objects matching it (of TYPE, if given) and what bears on them; else the namespace (-n) or all (-A)',
    },
  ],
  options: [
    option({
      flags: '--fail-on <severity>',
      description: 'exit 1 when a finding is at least this severe: warning or critical',
    }),
    tail,
    output(ANALYZE_FORMATS, 'text'),
  ],
  capability: 'root-cause',
  load: async () => (await import('./commands/analyze.js')).analyzeCommand,
});

export const DESCRIBE = command({
  name: 'describe',
  summary:
    'kubectl describe, plus the findings that concern the object, its neighbours with health, and filtered events',
  arguments: [
    {
      syntax: '<resource...>',
      description: 'TYPE/NAME or TYPE NAME; TYPE with -l: every object of it the selector matches',
    },
  ],
  options: [
    option({ flags: '--all', description: 'also show routine Normal events' }),
    tail,
    output(DESCRIBE_FORMATS, 'text'),
  ],
  capability: 'root-cause',
  load: async () => (await import('./commands/describe.js')).describeCommand,
});

export const DEPS = command({
  name: 'deps',
  summary:
    'what an object depends on (--upstream, default) or what depends on it (--downstream), with health',
  arguments: [{ syntax: '<resource...>', description: 'TYPE/NAME, TYPE NAME, or TYPE with -l' }],
  options: [
    option({ flags: '--upstream', description: 'what it depends on (default)' }),
    option({ flags: '--downstream', description: 'what depends on it' }),
    option({ flags: '--depth <n>', description: 'how many hops', default: 3, parse: nonNegativeInteger }),
    output(DEPS_FORMATS, 'text'),
  ],
  capability: 'deps-events',
  load: async () => (await import('./commands/deps.js')).depsCommand,
});

export const EVENTS = command({
  name: 'events',
  summary: 'noise-filtered events: Warnings first, repeats folded, grouped under their owner',
  arguments: [
    {
      syntax: '[resource...]',
      description: 'TYPE/NAME: the events of this object and of its graph neighbourhood',
    },
  ],
  options: [
    option({ flags: '--all', description: 'also show routine Normal events (Scheduled, Pulled, Started…)' }),
    option({
      flags: '--since <duration>',
      description: 'only events seen in the last duration (30m, 1h, 2d)',
    }),
    option({ flags: '-w, --watch', description: 'after the list, follow new events live' }),
    option({
      flags: '--depth <n>',
      description: 'how far the neighbourhood of TYPE/NAME reaches',
      default: 2,
      parse: nonNegativeInteger,
    }),
    output(EVENTS_FORMATS, 'text'),
  ],
  capability: 'deps-events',
  load: async () => (await import('./commands/events.js')).eventsCommand,
});

export const RECORD = command({
  name: 'record',
  summary:
    'record every change (field diffs, who, why) and event of the cluster until Ctrl-C; a restart resumes where it stopped',
  arguments: [],
  options: [
    option({
      flags: '--kinds <list>',
      description:
        'kinds to follow, as kubectl names them, custom resources as plural.group (default: workloads, pods, config, nodes, storage, policies, events)',
    }),
    option({
      flags: '--crds',
      description: "also follow every custom resource the cluster's CustomResourceDefinitions define",
    }),
    option({
      flags: '--audit-log <file>',
      description: "the API server's audit log, to name the user behind each change",
    }),
    option({ flags: '--retention <duration>', description: 'drop what is older than this', default: '14d' }),
    option({
      flags: '--max-size <size>',
      description: 'keep the embedded store under this size, dropping the oldest history (2Gi)',
    }),
    option({
      flags: '--checkpoint-every <duration>',
      description: 'save every object whole this often, so replay starts near its moment',
      default: '6h',
    }),
    option({ flags: '--for <duration>', description: 'stop after this long (default: until Ctrl-C)' }),
  ],
  capability: 'memory',
  gate: 'alphaMemory',
  load: async () => {
    const { recordCommand } = await import('./commands/record.js');
    return (_words, flags, io) => recordCommand(flags, io);
  },
});

export const REPLAY = command({
  name: 'replay',
  summary:
    'the story of an outage from the recording: the changes before --at, then the cluster as it was, analysed',
  arguments: [],
  options: [
    option({
      flags: '--window <duration>',
      description: 'how far before --at to list changes',
      default: '1h',
    }),
    option({ flags: '--all', description: 'list every change, status updates and pods included' }),
    output(REPLAY_FORMATS, 'text'),
  ],
  capability: 'memory',
  gate: 'alphaMemory',
  load: async () => {
    const { replayCommand } = await import('./commands/replay.js');
    return (_words, flags, io) => replayCommand(flags, io);
  },
});

export const TIMELINE = command({
  name: 'timeline',
  summary: "an object's recorded changes (fields, who, why), events and notes, oldest first",
  arguments: [
    { syntax: '<resource...>', description: 'TYPE/NAME or TYPE NAME (namespaced kinds: -n, else default)' },
  ],
  options: [
    option({ flags: '--since <time>', description: 'from this time (RFC 3339) or this long ago (1h, 2d)' }),
    option({ flags: '--until <time>', description: 'up to this time, or this long ago' }),
    option({
      flags: '--related',
      description: 'also its graph neighbours: its pods, their ConfigMaps, Secrets and node, its Services',
    }),
    output(TIMELINE_FORMATS, 'text'),
  ],
  capability: 'memory',
  gate: 'alphaMemory',
  load: async () => (await import('./commands/timeline.js')).timelineCommand,
});

export const WHY = command({
  name: 'why',
  summary: 'every value a field has had (or every change to the spec), with when, who and why, and the notes',
  arguments: [
    {
      syntax: '<resource...>',
      description: 'TYPE/NAME or TYPE NAME; TYPE with -l: every object of it the selector matches',
    },
  ],
  options: [
    option({
      flags: '--field <path>',
      description:
        'one field, as timeline writes it: data.CACHE_SIZE, spec.template.spec.containers[api].image',
    }),
    output(WHY_FORMATS, 'text'),
  ],
  capability: 'memory',
  gate: 'alphaMemory',
  load: async () => (await import('./commands/why.js')).whyCommand,
});

export const NOTE = command({
  name: 'note',
  summary: 'keep what you know about an object with it: why, timeline and replay show it',
  arguments: [{ syntax: '<resource-and-text...>', description: 'TYPE/NAME "text"' }],
  options: [option({ flags: '--author <name>', description: 'who says so (default: $USER)' })],
  capability: 'memory',
  gate: 'alphaMemory',
  load: async () => (await import('./commands/note.js')).noteCommand,
});

export const EXPORT = command({
  name: 'export',
  summary: 'the recording of a window as one portable, already-redacted file (JSON lines)',
  arguments: [],
  options: [
    option({ flags: '--since <time>', description: 'from this time, or this long ago' }),
    option({ flags: '--until <time>', description: 'up to this time, or this long ago' }),
    option({ flags: '-f, --file <file>', description: 'write here instead of stdout' }),
  ],
  capability: 'memory',
  gate: 'alphaMemory',
  load: async () => {
    const { exportCommand } = await import('./commands/recording.js');
    return (_words, flags, io) => exportCommand(flags, io);
  },
});

export const IMPORT = command({
  name: 'import',
  summary: 'a recording file (from export) into the store; importing twice adds nothing',
  arguments: [{ syntax: '<file>', description: 'the file, or - for stdin' }],
  options: [],
  capability: 'memory',
  gate: 'alphaMemory',
  load: async () => {
    const { importCommand } = await import('./commands/recording.js');
    return ([file = '-'], flags, io) => importCommand(file, flags, io);
  },
});

export const DEMO = command({
  name: 'demo',
  summary: 'a recorded outage replayed with no cluster: replay, timeline and why on the bundled recording',
  arguments: [],
  options: [
    option({ flags: '--keep', description: 'keep the demo store and say where, to explore it further' }),
  ],
  capability: 'discoverability',
  load: async () => {
    const { demoCommand } = await import('./commands/demo.js');
    return (_words, flags, io) => demoCommand(flags, io);
  },
});

export const AGENT = command({
  name: 'agent',
  summary:
    'the incident observer: watch pods, detect failures, harvest and redact the evidence, stream it to the sinks until stopped',
  arguments: [],
  options: [
    option({
      flags: '--sink <address>',
      description:
        'where incidents go, repeatable: grpc://host:port, grpcs://host:port, https://… (webhook), file:PATH, stdout (default: stdout)',
      parse: collect,
    }),
    option({
      flags: '--cluster-name <name>',
      description: 'the name incidents carry (default: the kubeconfig context)',
    }),
    option({
      flags: '--detect <reasons>',
      description: 'failures to detect, comma-separated (default: all seven)',
    }),
    option({
      flags: '--debounce <duration>',
      description: 'one incident per pod, container and reason per this long (default 5m)',
    }),
    option({
      flags: '--tail <lines>',
      description: 'log lines per container (default 200)',
      parse: positiveInteger,
    }),
    option({ flags: '--listen <address>', description: 'serve /metrics, /healthz and /readyz here (:9090)' }),
    option({
      flags: '--outbox <dir>',
      description: 'where undelivered incidents wait (default ~/.kube/smart/outbox)',
    }),
    option({ flags: '--tls-ca <file>', description: 'CA of the gRPC receiver (grpcs://)' }),
    option({ flags: '--tls-cert <file>', description: 'client certificate for mTLS' }),
    option({ flags: '--tls-key <file>', description: 'client key for mTLS' }),
    option({
      flags: '--webhook-secret-env <name>',
      description: 'environment variable holding the webhook HMAC secret (default SMART_WEBHOOK_SECRET)',
    }),
    option({
      flags: '--log-level <level>',
      description: 'fatal, error, warn, info, debug, trace or silent (default info)',
    }),
    option({
      flags: '--leader-elect',
      description: 'run with one active replica: observe only while holding the Lease',
    }),
    option({
      flags: '--lease-namespace <namespace>',
      description: 'namespace of the Lease (default: $POD_NAMESPACE, else default)',
    }),
    option({ flags: '--lease-name <name>', description: 'name of the Lease (default kubectl-smart-agent)' }),
    option({
      flags: '--lease-duration <duration>',
      description: 'how long a silent leader keeps the Lease (default 15s)',
    }),
    option({
      flags: '--for <duration>',
      description: 'stop after this long (default: until Ctrl-C or SIGTERM)',
    }),
  ],
  capability: 'incident-observer',
  load: async () => {
    const { agentCommand } = await import('./commands/agent.js');
    return (_words, flags, io) => agentCommand(flags, io);
  },
});

export const RECEIVE = command({
  name: 'receive',
  summary: 'the reference incident receiver: serve the gRPC contract, print and keep each incident once',
  arguments: [],
  options: [
    option({
      flags: '--listen <address>',
      description: 'host:port to listen on (:7443, 127.0.0.1:0)',
      required: true,
    }),
    option({ flags: '--tls-cert <file>', description: 'serve TLS with this certificate' }),
    option({ flags: '--tls-key <file>', description: 'and this key' }),
    option({
      flags: '--client-ca <file>',
      description: 'require client certificates signed by this CA (mTLS)',
    }),
    option({
      flags: '--out <file>',
      description: 'append each incident as a JSON line; its ids count as received on restart',
    }),
    option({ flags: '--for <duration>', description: 'stop after this long (default: until Ctrl-C)' }),
    output(RECEIVE_FORMATS, 'text'),
  ],
  capability: 'incident-observer',
  load: async () => {
    const { receiveCommand } = await import('./commands/receive.js');
    return (_words, flags, io) => receiveCommand(flags, io);
  },
});

export const INFO_FEATURES = command({
  name: 'info features',
  summary: 'every capability, its tier and feature flag, and whether it is on',
  arguments: [],
  options: [output(INFO_FORMATS, 'text')],
  capability: 'discoverability',
  load: async () => {
    const { infoFeaturesCommand } = await import('./commands/info.js');
    return (_words, flags, io) => infoFeaturesCommand(flags, io);
  },
});

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  ANALYZE,
  DESCRIBE,
  DEPS,
  EVENTS,
  RECORD,
  REPLAY,
  TIMELINE,
  WHY,
  NOTE,
  EXPORT,
  IMPORT,
  DEMO,
  AGENT,
  RECEIVE,
  INFO_FEATURES,
];
