// The config files "Loyal: Set Up Agent Access…" writes for each agent client: the shape
// each client reads, other servers and comments kept, a file that cannot be read refused.
import assert from 'node:assert/strict';
import { parse } from 'jsonc-parser/lib/esm/main.js';
import { clientEntry, ConfigFileError, previewEntry, serverLaunch, withLoyalEntry } from '../../../src/agents/clientConfig';
import { CLI_LTV_DEFAULTS } from '../../../src/cli/commands/ltv';

const launch = serverLaunch({ runtime: '/opt/editor/node', cliPath: '/ext/dist/cli.js', dataFile: '/home/giulia/shop/loyal.json', readOnly: false, user: 'Giulia Rossi', currency: 'CHF' });

describe('agent client configs', () => {
  it('starts the bundled CLI on the workspace book, as the person, with the editor runtime run as Node', () => {
    assert.deepEqual(launch, {
      command: '/opt/editor/node',
      args: ['/ext/dist/cli.js', 'mcp', '--file', '/home/giulia/shop/loyal.json', '--user', 'Giulia Rossi'],
      env: { ELECTRON_RUN_AS_NODE: '1', LOYAL_CURRENCY: 'CHF' },
    });
    const readOnly = serverLaunch({
      runtime: 'node',
      cliPath: 'cli.js',
      dataFile: 'l.json',
      readOnly: true,
      ltv: { margin: 0.6, monthlyDiscountRate: 0.01, horizonMonths: 24, monthlyChurn: 0.05, minRepeatBuyers: CLI_LTV_DEFAULTS.minRepeatBuyers },
    });
    // Only the settings that differ from the CLI's defaults are passed.
    assert.deepEqual(readOnly.args, ['cli.js', 'mcp', '--file', 'l.json', '--read-only', '--margin', '0.6', '--horizon-months', '24', '--monthly-churn', '0.05']);
    const rules = serverLaunch({
      runtime: 'node',
      cliPath: 'cli.js',
      dataFile: 'l.json',
      readOnly: false,
      rules: { followUpAfterResolveDays: 5, notesAfterResolveDays: 1, notesOnSevere: true, notesOnTopValue: false, notesOnRepeat: true, repeatWindowDays: 180 },
    });
    assert.deepEqual(rules.args.slice(4), ['--follow-up-days', '5', '--note-days', '1', '--notes-on-top-value', 'no', '--repeat-window-days', '180']);
  });

  it('writes each client its own shape when there is no file yet', () => {
    assert.deepEqual(JSON.parse(withLoyalEntry('vscode', undefined, clientEntry('vscode', launch))), { servers: { loyal: { type: 'stdio', ...launch } } });
    assert.deepEqual(JSON.parse(withLoyalEntry('cursor', undefined, clientEntry('cursor', launch))), { mcpServers: { loyal: { ...launch } } });
    assert.deepEqual(JSON.parse(withLoyalEntry('claude-code', '', clientEntry('claude-code', launch))), { mcpServers: { loyal: { type: 'stdio', ...launch } } });
  });

  it('shows the entry before writing it, each list of arguments on one line', () => {
    const preview = previewEntry('cursor', clientEntry('cursor', launch));
    assert.match(preview, /"args": \["\/ext\/dist\/cli.js", "mcp", "--file", "\/home\/giulia\/shop\/loyal.json", "--user", "Giulia Rossi"\]/);
    assert.deepEqual(JSON.parse(preview), { mcpServers: { loyal: clientEntry('cursor', launch) } });
  });

  it('keeps the other servers and the comments, and replaces an older Loyal entry', () => {
    const existing =
      '{\n  // shared with the team\n  "servers": {\n    "docs": { "type": "stdio", "command": "docs" },\n    "loyal": { "type": "stdio", "command": "old-node", "args": [] }\n  },\n  "inputs": []\n}\n';
    const text = withLoyalEntry('vscode', existing, clientEntry('vscode', launch));
    assert.match(text, /\/\/ shared with the team/);
    const config = parse(text) as { servers: Record<string, { command: string }>; inputs: unknown[] };
    assert.deepEqual(Object.keys(config.servers), ['docs', 'loyal']);
    assert.equal(config.servers.docs.command, 'docs');
    assert.equal(config.servers.loyal.command, '/opt/editor/node');
    assert.deepEqual(config.inputs, []);
    const added = parse(withLoyalEntry('cursor', '{ "mcpServers": { "github": { "command": "gh" } } }', clientEntry('cursor', launch))) as { mcpServers: Record<string, unknown> };
    assert.deepEqual(Object.keys(added.mcpServers), ['github', 'loyal']);
  });

  it('refuses a file it cannot read, saying where, rather than write over it', () => {
    assert.throws(
      () => withLoyalEntry('cursor', '{ "mcpServers": { "github": ', clientEntry('cursor', launch)),
      (error: unknown) => error instanceof ConfigFileError && /line 1/.test(error.message),
    );
    assert.throws(() => withLoyalEntry('vscode', '{\n  "servers": [\n  ]\n}', clientEntry('vscode', launch)), /"servers" is not an object/);
    assert.throws(() => withLoyalEntry('claude-code', '[]', clientEntry('claude-code', launch)), /JSON object/);
  });
});
