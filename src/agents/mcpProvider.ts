// Loyal's MCP server offered to the editor's agent mode without any setup, where the host
// has `vscode.lm.registerMcpServerDefinitionProvider` (VS Code 1.101+). The extension is
// built against the 1.90 API (engines.vscode ^1.90, for the forks), so the few types used
// here are declared locally and the API is looked for at run time: elsewhere nothing is
// registered and "Loyal: Set Up Agent Access…" writes a config file instead.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import { dataFilePath } from '../settings';
import { serverLaunch, type ServerLaunch } from './clientConfig';

/** `vscode.McpStdioServerDefinition` (1.101). */
type StdioDefinitionClass = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => { cwd?: vscode.Uri };

interface McpDefinitionProvider {
  readonly onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): unknown[];
}

type RegisterProvider = (id: string, provider: McpDefinitionProvider) => vscode.Disposable;

/** The id contributed under `mcpServerDefinitionProviders` in package.json. */
export const MCP_PROVIDER_ID = 'loyal.mcp';

/** What the extension tells VS Code about its server (the integration tests read it). */
export interface AgentAccessState {
  /** True when the host has the API and the provider is registered. */
  registered: boolean;
  /** How many times the host asked for the servers. */
  asked: number;
  /** The server as last given to the host; undefined when there is no data file to serve. */
  launch(): ServerLaunch | undefined;
}

/** How the editor's agent starts `loyal mcp` on this workspace's book, or undefined when there is none. */
export function workspaceLaunch(context: vscode.ExtensionContext, session: LoyalSession, readOnly = false): ServerLaunch | undefined {
  const settings = session.settings;
  const dataFile = dataFilePath(settings);
  if (!dataFile || session.state === 'missing' || session.state === 'noWorkspace') return undefined;
  return serverLaunch({
    runtime: process.execPath,
    cliPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath,
    dataFile,
    readOnly,
    user: session.user || undefined,
    currency: settings.currency,
    ltv: settings.ltv,
    rules: settings,
  });
}

export function registerMcpProvider(context: vscode.ExtensionContext, session: LoyalSession): AgentAccessState {
  const api = vscode as { lm?: { registerMcpServerDefinitionProvider?: RegisterProvider }; McpStdioServerDefinition?: StdioDefinitionClass };
  const register = api.lm?.registerMcpServerDefinitionProvider;
  const Definition = api.McpStdioServerDefinition;
  let launch: ServerLaunch | undefined;
  const state: AgentAccessState = { registered: false, asked: 0, launch: () => launch };
  if (typeof register !== 'function' || typeof Definition !== 'function') return state;

  const changed = new vscode.EventEmitter<void>();
  // The session changes with every edit of the book; the host hears only of a new launch.
  let key = JSON.stringify(workspaceLaunch(context, session) ?? null);
  context.subscriptions.push(
    changed,
    session.onDidChange(() => {
      const next = JSON.stringify(workspaceLaunch(context, session) ?? null);
      if (next !== key) {
        key = next;
        changed.fire();
      }
    }),
  );
  const version = String(context.extension.packageJSON.version);
  const provider: McpDefinitionProvider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      state.asked += 1;
      launch = workspaceLaunch(context, session);
      if (!launch) return [];
      // A new version string makes the host restart the server when how it starts changed.
      const definition = new Definition(vscode.l10n.t('Loyal customers and follow-ups'), launch.command, launch.args, launch.env, `${version}-${hash(JSON.stringify(launch))}`);
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (folder?.uri.scheme === 'file') definition.cwd = folder.uri;
      return [definition];
    },
  };
  try {
    context.subscriptions.push(register(MCP_PROVIDER_ID, provider));
    state.registered = true;
  } catch (error) {
    // A fork with the function but not the contribution point: agent access stays manual.
    console.warn('loyal: the MCP server could not be offered to the editor', error);
  }
  return state;
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
