// `loyal mcp`: serves the book to an AI agent (Copilot agent mode, Cursor, Claude Code) as
// a Model Context Protocol server over stdio, until the client closes the connection.
// Stdout carries the protocol only; nothing else is printed there.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { version } from '../../../package.json';
import { LoyalStore } from '../../store';
import type { CliCommand } from '../command';
import { createLoyalMcpServer } from '../mcp/server';
import { LTV_FLAGS, readLtvSettings } from './ltv';

/** The client's own name, kept short and on one line for the audit fields. */
export function clientLabel(info: { name?: string; title?: string } | undefined): string {
  const raw = (info?.title || info?.name || '').replace(/\s+/g, ' ').trim();
  return raw ? raw.slice(0, 80) : 'an MCP client';
}

export const mcpCommand: CliCommand = {
  name: 'mcp',
  summary: 'serve the book to an AI agent: a Model Context Protocol server over stdio',
  usage: 'mcp [--file PATH] [--read-only] [--user NAME]',
  flags: () => ({
    'read-only': { type: 'boolean', description: 'offer only the tools that read (morning_review, find_customers, customer, trends)' },
    ...LTV_FLAGS,
  }),
  async run(ctx) {
    const ltvSettings = readLtvSettings(ctx, 'mcp');
    const user = ctx.user();
    let client = 'an MCP client';
    // Every record an agent writes says who asked for it and through which client.
    const store = await LoyalStore.open(ctx.filePath, { user: () => `${user} via ${client}`, clock: ctx.clock });
    const server = createLoyalMcpServer({
      store,
      clock: ctx.clock,
      user,
      ltvSettings,
      currency: ctx.io.env.LOYAL_CURRENCY?.trim().toUpperCase() || 'EUR',
      readOnly: ctx.values['read-only'] === true,
      version,
    });
    server.server.oninitialized = () => {
      client = clientLabel(server.server.getClientVersion());
    };
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
