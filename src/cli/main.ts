import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { toAppError } from '../core/errors.js';
import { COMMANDS, GLOBAL_OPTIONS } from './command-table.js';
import type { CommandRun, OptionSpec } from './command-spec.js';
import { requireGate } from './gates.js';
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
    .showSuggestionAfterError();
  for (const spec of GLOBAL_OPTIONS) program.addOption(toOption(spec));
  const parents = new Map<string, Command>();
  for (const spec of COMMANDS) {
    const [first = spec.name, sub] = spec.name.split(' ');
    let parent = program;
    if (sub !== undefined) {
      parent = parents.get(first) ?? program.command(first).description('about this installation');
      parents.set(first, parent);
    }
    const command = parent.command(sub ?? first).description(spec.summary);
    for (const argument of spec.arguments) command.argument(argument.syntax, argument.description);
    for (const option of spec.options) command.addOption(toOption(option));
    command.action(async (...args: unknown[]) => {
      // commander passes the declared arguments, then the options and the command itself.
      const self = args.at(-1) as Command;
      const words = args.slice(0, spec.arguments.length).flat() as string[];
      const flags = self.optsWithGlobals();
      if (spec.gate !== undefined) requireGate(spec.gate, flags, io, spec.name);
      const run = (await spec.load()) as CommandRun<Record<string, unknown>>;
      setExit(await run(words, flags, io));
    });
  }
  for (const command of [program, ...program.commands, ...[...parents.values()].flatMap((p) => p.commands)]) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }
  return program;
}

/** A commander option from its declaration. */
function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices !== undefined) option.choices(spec.choices);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.parse !== undefined) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
  if (spec.required === true) option.makeOptionMandatory();
  return option;
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
