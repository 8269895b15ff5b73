// The MCP configuration each agent client reads from the workspace, and how Loyal's entry
// is put into a file that may already configure other servers. Comments and the other
// entries are kept (jsonc-parser edits the text in place); a file that cannot be read is
// never written over. No editor API here, so it is tested in plain Node.
import { CLI_LTV_DEFAULTS } from '../cli/commands/ltv';
import { DEFAULT_RULE_SETTINGS } from '../domain/settings';
// The ESM build: the package's main (UMD) requires its parts dynamically, which a bundle cannot follow.
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';

export type AgentClient = 'vscode' | 'cursor' | 'claude-code';
export const AGENT_CLIENTS: readonly AgentClient[] = ['vscode', 'cursor', 'claude-code'];

export interface ClientFormat {
  /** Display name of the client. */
  name: string;
  /** Where the client reads the workspace's MCP servers, relative to the workspace folder. */
  file: string;
  /** The key of the object of servers. */
  serversKey: 'servers' | 'mcpServers';
  /** Whether the entry says `"type": "stdio"`. */
  typed: boolean;
}

export const CLIENT_FORMATS: Readonly<Record<AgentClient, ClientFormat>> = {
  vscode: { name: 'VS Code', file: '.vscode/mcp.json', serversKey: 'servers', typed: true },
  cursor: { name: 'Cursor', file: '.cursor/mcp.json', serversKey: 'mcpServers', typed: false },
  'claude-code': { name: 'Claude Code', file: '.mcp.json', serversKey: 'mcpServers', typed: true },
};

/** The name of Loyal's entry among the servers. */
export const SERVER_NAME = 'loyal';

/** How to start `loyal mcp`: a program, its arguments and its environment. */
export interface ServerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface LaunchOptions {
  /** The program that runs the bundled CLI (the editor's own Node runtime). */
  runtime: string;
  /** Absolute path of dist/cli.js in the installed extension. */
  cliPath: string;
  /** Absolute path of the workspace's data file. */
  dataFile: string;
  readOnly: boolean;
  /** `loyal.user`, when set: who the agent's changes are recorded for. */
  user?: string;
  currency?: string;
  /** The `loyal.ltv.*` settings, so the agent sees the values the sidebar shows. */
  ltv?: { margin: number; monthlyDiscountRate: number; horizonMonths: number; monthlyChurn: number; minRepeatBuyers: number };
  /** The recovery rules of the `loyal.followUp.*`, `loyal.notes.*` and `loyal.risk.*` settings, so the agent plans as the editor does. */
  rules?: { followUpAfterResolveDays: number; notesAfterResolveDays: number; notesOnSevere: boolean; notesOnTopValue: boolean; notesOnRepeat: boolean; repeatWindowDays: number };
}

export function serverLaunch(options: LaunchOptions): ServerLaunch {
  const args = [options.cliPath, 'mcp', '--file', options.dataFile];
  if (options.readOnly) args.push('--read-only');
  if (options.user?.trim()) args.push('--user', options.user.trim());
  // Only what differs from the CLI's defaults, so the entry stays short enough to read.
  const ltv = options.ltv;
  if (ltv) {
    const d = CLI_LTV_DEFAULTS;
    if (ltv.margin !== d.margin) args.push('--margin', String(ltv.margin));
    if (ltv.monthlyDiscountRate !== d.monthlyDiscountRate) args.push('--discount-rate', String(ltv.monthlyDiscountRate));
    if (ltv.horizonMonths !== d.horizonMonths) args.push('--horizon-months', String(ltv.horizonMonths));
    if (ltv.monthlyChurn !== d.monthlyChurn) args.push('--monthly-churn', String(ltv.monthlyChurn));
    if (ltv.minRepeatBuyers !== d.minRepeatBuyers) args.push('--min-repeat-buyers', String(ltv.minRepeatBuyers));
  }
  const rules = options.rules;
  if (rules) {
    const d = DEFAULT_RULE_SETTINGS;
    const yes = (on: boolean): string => (on ? 'yes' : 'no');
    if (rules.followUpAfterResolveDays !== d.followUpAfterResolveDays) args.push('--follow-up-days', String(rules.followUpAfterResolveDays));
    if (rules.notesAfterResolveDays !== d.notesAfterResolveDays) args.push('--note-days', String(rules.notesAfterResolveDays));
    if (rules.notesOnSevere !== d.notesOnSevere) args.push('--notes-on-severe', yes(rules.notesOnSevere));
    if (rules.notesOnTopValue !== d.notesOnTopValue) args.push('--notes-on-top-value', yes(rules.notesOnTopValue));
    if (rules.notesOnRepeat !== d.notesOnRepeat) args.push('--notes-on-repeat', yes(rules.notesOnRepeat));
    if (rules.repeatWindowDays !== d.repeatWindowDays) args.push('--repeat-window-days', String(rules.repeatWindowDays));
  }
  // The editor's runtime is Electron in desktop builds: this makes it run as plain Node.
  const env: Record<string, string> = { ELECTRON_RUN_AS_NODE: '1' };
  if (options.currency) env.LOYAL_CURRENCY = options.currency;
  return { command: options.runtime, args, env };
}

/** Loyal's entry as the client's file spells it. */
export function clientEntry(client: AgentClient, launch: ServerLaunch): Record<string, unknown> {
  return { ...(CLIENT_FORMATS[client].typed ? { type: 'stdio' } : {}), command: launch.command, args: launch.args, env: launch.env };
}

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The text of the client's file with Loyal's entry added or replaced. `existing` is the
 * file's text, or undefined when there is none. Throws ConfigFileError when the file is not
 * readable JSON (with comments) or its servers are not an object: then it must be fixed by
 * hand first, and nothing is written.
 */
export function withLoyalEntry(client: AgentClient, existing: string | undefined, entry: Record<string, unknown>): string {
  const key = CLIENT_FORMATS[client].serversKey;
  const formatting = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };
  if (existing === undefined || existing.trim() === '') return `${JSON.stringify({ [key]: { [SERVER_NAME]: entry } }, null, 2)}\n`;
  const errors: ParseError[] = [];
  const root: unknown = parse(existing, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0];
    throw new ConfigFileError(`${printParseErrorCode(first.error)} at line ${lineAt(existing, first.offset)}`, lineAt(existing, first.offset));
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw new ConfigFileError('it does not hold a JSON object', 1);
  const servers = (root as Record<string, unknown>)[key];
  if (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers))) throw new ConfigFileError(`"${key}" is not an object`, 1);
  const edits = modify(existing, [key, SERVER_NAME], entry, formatting);
  const text = applyEdits(existing, edits);
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The entry as shown before it is written: JSON, each list of arguments on one line. */
export function previewEntry(client: AgentClient, entry: Record<string, unknown>): string {
  const text = JSON.stringify({ [CLIENT_FORMATS[client].serversKey]: { [SERVER_NAME]: entry } }, null, 2);
  return text.replace(
    /\[\n([^\]]*)\n\s*\]/g,
    (_, items: string) =>
      `[${items
        .split(',\n')
        .map((item) => item.trim())
        .join(', ')}]`,
  );
}
