// What a command of `loyal` is: a name, its flags, and a run function. Adding a command
// is one module in ./commands registered in ./commands/index.ts.
import type { LoyalStore } from '../store/store';
import type { Clock } from '../domain/time';

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** One line for --help. */
  description: string;
  /** Shown after the flag in --help, e.g. DATE. */
  value?: string;
  required?: boolean;
}

export type Flags = Record<string, FlagSpec>;
export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliContext {
  io: CliIo;
  /** Flag values by long name (as typed, not converted). */
  values: FlagValues;
  /** Arguments after the command name (and after its subject, when it has subjects). */
  positionals: string[];
  /** The subject of commands such as `add customer` or `export purchases`. */
  subject?: string;
  /** Absolute path of the data file (--file, default ./loyal.json). */
  filePath: string;
  json: boolean;
  clock: Clock;
  /** The current user for audit fields (computed once, on first use). */
  user(): string;
  /** Opens the data file; throws the store's DataFileError when it is missing or broken. */
  openBook(): Promise<LoyalStore>;
  /** Opens the store whatever the file's state (for check, init); another path than --file if given. */
  openStore(path?: string): Promise<LoyalStore>;
  /** Writes a line (or JSON value when --json) to stdout. */
  print(text: string): void;
  printJson(value: unknown): void;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** e.g. `add customer|purchase|... [flags]`. */
  usage: string;
  /** When set, the first argument must be one of these (e.g. the kinds of `add`). */
  subjects?: readonly string[];
  /** The subject may be left out (`import FILE` as well as `import purchases FILE`). */
  subjectOptional?: boolean;
  /** The command's own flags; may depend on the subject (`add customer` vs `add purchase`). */
  flags(subject: string | undefined): Flags;
  /** How many positionals after the subject the command takes. */
  positionals?: { min: number; max: number; names: string };
  /** Commands that never touch the data file ignore --file (schema). */
  run(ctx: CliContext): Promise<number | void>;
}
