import type { ExitCode } from './exit-codes.js';
import type { GateId } from './gates.js';
import type { Io } from './io.js';

/**
 * One option, as data: commander's syntax (`-o, --output <format>`, `--all`), what it does, and how
 * its value is read. From the same declaration the parser is built and the flag's type derived
 * ({@link FlagsOf}), so the two cannot disagree.
 */
export interface OptionSpec {
  readonly flags: string;
  readonly description: string;
  readonly default?: string | number | boolean;
  readonly choices?: readonly string[];
  /** Reads the value; given the previous one, so repeatable options can collect. */
  readonly parse?: (value: string, previous: never) => unknown;
  readonly required?: boolean;
}

/** A positional argument, in commander's syntax (`<resource...>`, `[resource...]`, `<file>`). */
export interface ArgumentSpec {
  readonly syntax: string;
  readonly description: string;
}

/** The part of the capability table (capabilities.ts) a command belongs to. */
export type CapabilityId = 'deps-events' | 'root-cause' | 'memory' | 'incident-observer' | 'discoverability';

/** What a command's module exports: its run function, given the words, the parsed flags and the I/O. */
export type CommandRun<F> = (words: readonly string[], flags: F, io: Io) => Promise<ExitCode> | ExitCode;

/** One command, as data; its module is loaded only when it runs. */
export interface CommandSpec<O extends readonly OptionSpec[] = readonly OptionSpec[]> {
  /** `analyze`, or `info features` for a subcommand. */
  readonly name: string;
  readonly summary: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: O;
  readonly capability: CapabilityId;
  /** Refused unless this gate is on (gates.ts), before the module loads. */
  readonly gate?: GateId;
  /** Loads the command's module and returns its run function. */
  readonly load: () => Promise<CommandRun<never>>;
}

/** The long name of a flag, `--fail-on <severity>` → `fail-on`. */
type LongName<F extends string> = F extends `${string}--${infer Rest}`
  ? Rest extends `${infer Name} ${string}`
    ? Name
    : Rest
  : never;
/** `fail-on` → `failOn`, as commander names the parsed value. */
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;
/** What the parser gives: the parser's result, one of the choices, a string, or true for a switch. */
type ValueOf<O extends OptionSpec> = O extends { readonly parse: (...args: never[]) => infer R }
  ? R
  : O extends { readonly choices: readonly (infer C)[] }
    ? C
    : O['flags'] extends `${string}<${string}>` | `${string}[${string}]`
      ? string
      : boolean;
/** A value always there: defaulted or required. */
type Always<O extends OptionSpec> = O extends { readonly default: unknown } | { readonly required: true }
  ? true
  : false;

/** The parsed flags of a list of options, typed from their declarations. */
export type FlagsOf<Os extends readonly OptionSpec[]> = {
  readonly [O in Os[number] as Always<O> extends true ? Camel<LongName<O['flags']>> : never]: ValueOf<O>;
} & {
  readonly [O in Os[number] as Always<O> extends true ? never : Camel<LongName<O['flags']>>]?: ValueOf<O>;
};

/** Declares an option, keeping its literal syntax for {@link FlagsOf}. */
export function option<const O extends OptionSpec>(spec: O): O {
  return spec;
}

/** Declares a command, keeping its options' literal types for {@link FlagsOf}. */
export function command<const O extends readonly OptionSpec[]>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}
