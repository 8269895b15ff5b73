// `loyal mcp`: serves the book to an AI agent (Copilot agent mode, Cursor, Claude Code) as
// a Model Context Protocol server over stdio, until the client closes the connection.
// Stdout carries the protocol only; nothing else is printed there.
import { version } from '../../../package.json';
import { LoyalStore } from '../../store/store';
import { DEFAULT_RULE_SETTINGS, ruleSettings, type RuleSettings } from '../../domain/settings';
import type { CliCommand, CliContext, Flags } from '../command';
import { UsageError } from '../errors';
import { readNumberFlag, readYesNoFlag } from '../values';
import { LTV_FLAGS, readLtvSettings } from './ltv';

/** The rules the editor's `loyal.followUp.*`, `loyal.notes.*` and `loyal.risk.*` settings set, so an agent plans as the editor does. */
const RULE_FLAGS: Flags = {
  'follow-up-days': { type: 'string', value: 'N', description: `days from resolution to the satisfaction check (default ${DEFAULT_RULE_SETTINGS.followUpAfterResolveDays})` },
  'note-days': { type: 'string', value: 'N', description: `days from resolution to the handwritten note (default ${DEFAULT_RULE_SETTINGS.notesAfterResolveDays})` },
  'notes-on-severe': { type: 'string', value: 'yes|no', description: 'a handwritten note after a major or critical incident (default yes)' },
  'notes-on-top-value': { type: 'string', value: 'yes|no', description: 'a handwritten note for a top-20% customer (default yes)' },
  'notes-on-repeat': { type: 'string', value: 'yes|no', description: 'a handwritten note after a repeat failure (default yes)' },
  'repeat-window-days': { type: 'string', value: 'N', description: `window in which a second incident is a repeat failure (default ${DEFAULT_RULE_SETTINGS.repeatWindowDays})` },
};

function days(ctx: CliContext, flag: string, fallback: number, min: number, max: number): number {
  const raw = ctx.values[flag];
  if (typeof raw !== 'string') return fallback;
  const value = readNumberFlag(flag, raw, true, 'mcp');
  if (value < min || value > max) throw new UsageError(`--${flag}: "${raw}" must be from ${min} to ${max}`, 'mcp');
  return value;
}

function yesNo(ctx: CliContext, flag: string, fallback: boolean): boolean {
  const raw = ctx.values[flag];
  return typeof raw === 'string' ? readYesNoFlag(flag, raw, 'mcp') : fallback;
}

function readRules(ctx: CliContext): RuleSettings {
  const d = DEFAULT_RULE_SETTINGS;
  return ruleSettings({
    followUpAfterResolveDays: days(ctx, 'follow-up-days', d.followUpAfterResolveDays, 0, 365),
    notesAfterResolveDays: days(ctx, 'note-days', d.notesAfterResolveDays, 0, 365),
    notesOnSevere: yesNo(ctx, 'notes-on-severe', d.notesOnSevere),
    notesOnTopValue: yesNo(ctx, 'notes-on-top-value', d.notesOnTopValue),
    notesOnRepeat: yesNo(ctx, 'notes-on-repeat', d.notesOnRepeat),
    repeatWindowDays: days(ctx, 'repeat-window-days', d.repeatWindowDays, 1, 36_500),
  });
}

/** The client's own name, kept short and on one line for the audit fields. */
export function clientLabel(info: { name?: string; title?: string } | undefined): string {
  const raw = (info?.title || info?.name || '').replace(/\s+/g, ' ').trim();
  return raw ? raw.slice(0, 80) : 'an MCP client';
}

export const mcpCommand: CliCommand = {
  name: 'mcp',
  summary: 'serve the book to an AI agent: a Model Context Protocol server over stdio',
  usage: 'mcp [--file PATH] [--read-only] [--user NAME] [LTV and rule flags]',
  flags: () => ({
    'read-only': { type: 'boolean', description: 'offer only the tools that read (morning_review, find_customers, customer, trends)' },
    ...LTV_FLAGS,
    ...RULE_FLAGS,
  }),
  async run(ctx) {
    const ltvSettings = readLtvSettings(ctx, 'mcp');
    // Loaded here, not with the CLI: every other command starts without the SDK.
    const [{ StdioServerTransport }, { createLoyalMcpServer }] = await Promise.all([import('@modelcontextprotocol/sdk/server/stdio.js'), import('../mcp/server')]);
    const rules = readRules(ctx);
    const user = ctx.user();
    // Every record an agent writes says who asked for it and through which client (as the
    // client named itself when it connected); the audit fields hold 200 characters.
    let clientInfo: () => { name?: string; title?: string } | undefined = () => undefined;
    const store = await LoyalStore.open(ctx.filePath, { user: () => `${user} via ${clientLabel(clientInfo())}`.slice(0, 200), clock: ctx.clock });
    const server = createLoyalMcpServer({
      store,
      clock: ctx.clock,
      user,
      ltvSettings,
      rules,
      currency: ctx.io.env.LOYAL_CURRENCY?.trim().toUpperCase() || 'EUR',
      readOnly: ctx.values['read-only'] === true,
      version,
    });
    clientInfo = () => server.getClientVersion();
    const transport = new StdioServerTransport(process.stdin, process.stdout);
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.once('end', resolve);
      process.stdin.once('close', resolve);
    });
    try {
      await server.connect(transport);
      await closed;
    } finally {
      // Writes already made have landed (each tool call waits for its write); close the rest.
      await server.close().catch(() => undefined);
      await store.flush().catch(() => undefined);
      store.dispose();
    }
  },
};
