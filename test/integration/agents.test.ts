// Agent access in the real host: the MCP server offered to agent mode where the host has
// `vscode.lm.registerMcpServerDefinitionProvider`, and "Loyal: Set Up Agent Access…"
// writing a client's config. Each server definition is started here as the client would
// (the SDK's Client over stdio), to show it really serves this workspace's book.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parse } from 'jsonc-parser/lib/esm/main.js';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { closeAllEditors, freshFixture, loyalApi, testWorkspace, waitFor } from './harness';

interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Starts a server as an agent client would and lists its tools; returns the morning review's text too. */
async function serve(launch: Launch): Promise<{ tools: string[]; review: string; customers: number }> {
  const transport = new StdioClientTransport({ command: launch.command, args: launch.args, env: { PATH: process.env.PATH ?? '', ...launch.env }, stderr: 'pipe' });
  const client = new Client({ name: 'integration-agent', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const review = await client.callTool({ name: 'morning_review', arguments: {} });
    const found = await client.callTool({ name: 'find_customers', arguments: { limit: 100 } });
    assert.notEqual(review.isError, true, JSON.stringify(review.content));
    return {
      tools: tools.map((t) => t.name),
      review: (review.content as Array<{ text: string }>)[0].text,
      customers: (found.structuredContent as { total: number }).total,
    };
  } finally {
    await client.close();
  }
}

const WRITE_TOOLS = ['log_incident', 'resolve_incident', 'complete_follow_up', 'add_follow_up', 'record_purchase', 'log_contact'];

describe('Agent access (MCP)', function () {
  this.timeout(60_000);
  let loyal: LoyalApi;
  const written: string[] = [];

  before(async () => {
    loyal = await loyalApi();
    await freshFixture(loyal);
  });
  afterEach(async () => {
    await closeAllEditors();
    for (const file of written.splice(0)) rmSync(file, { force: true });
  });

  it('offers its server to agent mode where the host has the API, on the workspace book', async function () {
    const api = (vscode as unknown as { lm?: { registerMcpServerDefinitionProvider?: unknown } }).lm;
    const hostHasApi = typeof api?.registerMcpServerDefinitionProvider === 'function';
    console.log(`host ${vscode.version}: registerMcpServerDefinitionProvider ${hostHasApi ? 'present' : 'absent'}`);
    assert.equal(loyal.agentAccess.registered, hostHasApi);
    if (!hostHasApi) this.skip();
    // The host asks the provider for its servers by itself, right after registration.
    const launch = await waitFor('the host to ask for the servers', () => loyal.agentAccess.asked > 0 && loyal.agentAccess.launch());
    assert.equal(launch.args[1], 'mcp');
    assert.equal(launch.args[3], loyal.session.store!.path);
    assert.ok(!launch.args.includes('--read-only'));
    const served = await serve(launch);
    assert.deepEqual(served.tools.slice(4), WRITE_TOOLS);
    assert.equal(served.customers, loyal.session.file.customers.filter((c) => !c.archived).length);
    assert.match(served.review, /^Morning review for /);
  });

  it('writes the Cursor config after the choice, and the server it names serves the book', async () => {
    const path = join(testWorkspace(), '.cursor', 'mcp.json');
    rmSync(path, { force: true });
    written.push(path);
    const result = await vscode.commands.executeCommand<{ file: string } | undefined>('loyal.agentAccess.setUp', { client: 'cursor', write: true });
    assert.equal(result?.file, path);
    const config = JSON.parse(readFileSync(path, 'utf8')) as { mcpServers: { loyal: Launch & { type?: string } } };
    const entry = config.mcpServers.loyal;
    assert.equal(entry.type, undefined, 'Cursor entries have no type');
    assert.equal(entry.args[3], loyal.session.store!.path);
    // What was written is in front of the person.
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path);
    const served = await serve(entry);
    assert.deepEqual(served.tools.slice(4), WRITE_TOOLS);
  });

  it('adds itself to an existing VS Code mcp.json, keeping its comments and other servers; read only if asked', async () => {
    const path = join(testWorkspace(), '.vscode', 'mcp.json');
    mkdirSync(dirname(path), { recursive: true });
    const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    written.push(path);
    writeFileSync(path, '{\n  // the team\'s other servers\n  "servers": {\n    "docs": { "type": "stdio", "command": "docs-server", "args": [] }\n  }\n}\n');
    try {
      await vscode.commands.executeCommand('loyal.agentAccess.setUp', { client: 'vscode', readOnly: true, write: true });
      const text = readFileSync(path, 'utf8');
      assert.match(text, /\/\/ the team's other servers/);
      const config = parse(text) as { servers: Record<string, Launch & { type: string }> };
      assert.deepEqual(Object.keys(config.servers).sort(), ['docs', 'loyal']);
      assert.equal(config.servers.loyal.type, 'stdio');
      assert.ok(config.servers.loyal.args.includes('--read-only'));
      const served = await serve(config.servers.loyal);
      assert.deepEqual(served.tools, ['morning_review', 'find_customers', 'customer', 'trends']);
    } finally {
      if (before !== undefined) {
        writeFileSync(path, before);
        written.pop();
      }
    }
  });

  it('leaves a config file it cannot read as it was', async () => {
    const path = join(testWorkspace(), '.mcp.json');
    written.push(path);
    const broken = '{ "mcpServers": { "other": ';
    writeFileSync(path, broken);
    const result = await vscode.commands.executeCommand('loyal.agentAccess.setUp', { client: 'claude-code', write: true });
    assert.equal(result, undefined);
    assert.equal(readFileSync(path, 'utf8'), broken);
    // Once fixed, Claude Code's file gets the typed entry beside the other server.
    writeFileSync(path, '{ "mcpServers": { "other": { "command": "x" } } }');
    await vscode.commands.executeCommand('loyal.agentAccess.setUp', { client: 'claude-code', write: true });
    const config = JSON.parse(readFileSync(path, 'utf8')) as { mcpServers: Record<string, { type?: string; command: string }> };
    assert.equal(config.mcpServers.other.command, 'x');
    assert.equal(config.mcpServers.loyal.type, 'stdio');
  });
});
