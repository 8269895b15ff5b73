// The dispatcher of `loyal`: finds the command, reads its flags strictly (an unknown or
// malformed flag is wrong usage, exit 2, before anything is read or written), runs it,
// and turns every failure into a message on stderr with the exit code of the contract.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock, type Clock } from '../domain/time';
import { DataFileError, ValidationError } from '../store/errors';
import { LoyalStore } from '../store/store';
import type { CliCommand, CliContext, CliIo, FlagValues, Flags } from './command';
import { COMMANDS, findCommand } from './commands';
import { EXIT_OK, EXIT_REFUSED, EXIT_USAGE, RefusedError, UsageError } from './errors';
import { describeDataFileError } from './report';
import { currentUser } from './user';

export const GLOBAL_FLAGS: Flags = {
  file: { type: 'string', value: 'PATH', description: 'the data file (default ./loyal.json)' },
  json: { type: 'boolean', description: 'machine-readable output on stdout' },
  user: { type: 'string', value: 'NAME', description: 'who makes the change (default: $LOYAL_USER, git user.name, the account name)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Runs `loyal` with the given arguments; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo, clock: Clock = systemClock): Promise<number> {
  const stores: LoyalStore[] = [];
  try {
    return await dispatch(argv, io, clock, stores);
  } catch (error) {
    return report(error, io);
  } finally {
    for (const store of stores) store.dispose();
  }
}

function flagLine(name: string, spec: Flags[string]): string {
  const left = `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
  const notes = [spec.required ? 'required' : '', spec.multiple ? 'repeatable' : ''].filter(Boolean).join(', ');
  return `${left.padEnd(34)} ${spec.description}${notes ? ` (${notes})` : ''}`;
}

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'loyal: the follow-up and loyalty CRM on the command line',
    '',
    'Usage: loyal COMMAND [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    '',
    'Flags of every command:',
    ...Object.entries(GLOBAL_FLAGS).map(([name, spec]) => flagLine(name, spec)),
    '',
    'Exit codes: 0 done, 1 invalid data or refused, 2 wrong usage.',
    'Run "loyal COMMAND --help" for the flags of a command.',
    '',
  ].join('\n');
}

function commandHelp(command: CliCommand, subject: string | undefined): string {
  const own = command.flags(subject);
  const lines = [`Usage: loyal ${subject ? command.usage.replace(/^(\S+) \S+/, `$1 ${subject}`) : command.usage}`, '', command.summary, ''];
  if (command.subjects && !subject) lines.push(`Run "loyal ${command.name} ${command.subjects[0]} --help" for the flags of each kind.`, '');
  if (Object.keys(own).length) lines.push('Flags:', ...Object.entries(own).map(([name, spec]) => flagLine(name, spec)), '');
  lines.push('Flags of every command:', ...Object.entries(GLOBAL_FLAGS).map(([name, spec]) => flagLine(name, spec)), '');
  return lines.join('\n');
}

/** node's parseArgs messages, in the words of the rest of the CLI. */
function flagMessage(error: Error & { code?: string }): string {
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(error.message) ? `${flag} needs a value` : `${flag} takes no value`;
    default:
      return error.message.split(/\.\s/)[0];
  }
}

/** `loyal --file x.json check` reads as `loyal check --file x.json`: global flags may come first. */
function commandFirst(argv: string[]): string[] {
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '-h' && argv[i] !== '--help') {
    const flag = GLOBAL_FLAGS[argv[i].replace(/^--/, '').split('=')[0]];
    if (!flag) break;
    i += flag.type === 'string' && !argv[i].includes('=') ? 2 : 1;
  }
  return i > 0 && i < argv.length ? [...argv.slice(i), ...argv.slice(0, i)] : argv;
}

async function dispatch(given: string[], io: CliIo, clock: Clock, stores: LoyalStore[]): Promise<number> {
  const argv = commandFirst(given);
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError('a command is required');
  if (name === '--help' || name === '-h') {
    io.stdout(generalHelp());
    return EXIT_OK;
  }
  if (name === 'help') {
    const target = rest[0] === undefined ? undefined : findCommand(rest[0]);
    if (rest[0] !== undefined && !target) throw new UsageError(`unknown command "${rest[0]}"`);
    io.stdout(target ? commandHelp(target, undefined) : generalHelp());
    return EXIT_OK;
  }
  if (name.startsWith('-')) throw new UsageError(`a command comes first, before ${name}`);
  const command = findCommand(name);
  if (!command) throw new UsageError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);

  let subject: string | undefined;
  let args = rest;
  const subjectGiven = !command.subjectOptional || (rest[0] !== undefined && command.subjects?.includes(rest[0]));
  if (command.subjects && subjectGiven) {
    const first = rest[0];
    if (first === undefined || first.startsWith('-')) {
      if (rest.includes('--help') || rest.includes('-h')) {
        io.stdout(commandHelp(command, undefined));
        return EXIT_OK;
      }
      throw new UsageError(`say what to ${command.name}: ${command.subjects.join(', ')}`, command.name);
    }
    if (!command.subjects.includes(first)) throw new UsageError(`unknown kind "${first}" for ${command.name} (one of ${command.subjects.join(', ')})`, command.name);
    subject = first;
    args = rest.slice(1);
  }

  const flags: Flags = { ...GLOBAL_FLAGS, ...command.flags(subject) };
  let values: FlagValues;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args,
      options: Object.fromEntries(Object.entries(flags).map(([flag, spec]) => [flag, { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) }])),
      strict: true,
      allowPositionals: true,
    });
    values = parsed.values as FlagValues;
    positionals = parsed.positionals;
  } catch (error) {
    throw new UsageError(flagMessage(error as Error & { code?: string }), command.name);
  }
  if (values.help) {
    io.stdout(commandHelp(command, subject));
    return EXIT_OK;
  }
  const expected = command.positionals ?? { min: 0, max: 0, names: '' };
  if (positionals.length < expected.min) throw new UsageError(`missing ${expected.names}`, command.name);
  if (positionals.length > expected.max) throw new UsageError(`unexpected argument "${positionals[expected.max]}"`, command.name);
  for (const [flag, spec] of Object.entries(flags)) {
    if (spec.required && values[flag] === undefined) throw new UsageError(`missing required flag --${flag}`, command.name);
  }

  const filePath = resolve(io.cwd, typeof values.file === 'string' ? values.file : 'loyal.json');
  let user: string | undefined;
  const ctx: CliContext = {
    io,
    values,
    positionals,
    subject,
    filePath,
    json: values.json === true,
    clock,
    user: () => (user ??= currentUser(typeof values.user === 'string' ? values.user : undefined, io.env, io.cwd)),
    openStore: async (path = filePath) => {
      // One command, then the process ends: the content hash and the check for keys written
      // twice only if a save needs them.
      const store = await LoyalStore.open(path, { user: () => ctx.user(), clock, deferMs: Infinity });
      stores.push(store);
      return store;
    },
    openBook: async () => {
      const store = await ctx.openStore();
      const state = store.state;
      if (state.kind === 'missing') throw new RefusedError(`there is no data file at ${filePath} (create one with "loyal init", or "loyal demo" for an example)`);
      if (state.kind === 'broken') throw state.error;
      return store;
    },
    print: (text) => io.stdout(text.endsWith('\n') ? text : `${text}\n`),
    printJson: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
  };
  const code = await command.run(ctx);
  return code ?? EXIT_OK;
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    const command = error.command ? findCommand(error.command) : undefined;
    const usage = command ? `usage: loyal ${command.usage}\nRun "loyal ${command.name} --help" for its flags.` : 'Run "loyal --help" for the commands.';
    io.stderr(`loyal: ${error.message}\n${usage}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof RefusedError) {
    io.stderr([`loyal: ${error.message}`, ...error.details].join('\n') + '\n');
    return EXIT_REFUSED;
  }
  if (error instanceof DataFileError) {
    io.stderr(describeDataFileError(error).join('\n') + '\n');
    return EXIT_REFUSED;
  }
  if (error instanceof ValidationError) {
    io.stderr([`loyal: invalid data: ${error.message}`, ...error.issues.slice(1).map((issue) => `  ${issue.path}: ${issue.message}`)].join('\n') + '\n');
    return EXIT_REFUSED;
  }
  io.stderr(`loyal: ${(error as Error)?.message ?? String(error)}\n`);
  return EXIT_REFUSED;
}
