// "Loyal: Set Up Agent Access…": writes the MCP configuration of the chosen agent client
// (VS Code, Cursor, Claude Code) into the workspace, after showing what it will write.
// Other servers in the file are kept; a file that cannot be read is left alone.
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { AGENT_CLIENTS, CLIENT_FORMATS, clientEntry, ConfigFileError, previewEntry, withLoyalEntry, type AgentClient } from '../agents/clientConfig';
import { workspaceLaunch, type AgentAccessState } from '../agents/mcpProvider';
import type { LoyalSession } from '../session';
import { parsePreset, runCommand } from './run';

/** Skips the prompts (tests, keybindings): `write: true` also skips the confirmation. */
const SetUpPreset = z.strictObject({
  client: z.enum(AGENT_CLIENTS as [AgentClient, ...AgentClient[]]),
  readOnly: z.boolean().default(false),
  write: z.boolean().default(false),
});

export interface AgentSetUpResult {
  client: AgentClient;
  file: string;
  readOnly: boolean;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}

export function registerAgentCommands(context: vscode.ExtensionContext, session: LoyalSession, access: AgentAccessState): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('loyal.agentAccess.setUp', (arg?: unknown) =>
      runCommand(async (): Promise<AgentSetUpResult | undefined> => {
        const preset = parsePreset(SetUpPreset, arg);
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (!folder || folder.uri.scheme !== 'file') throw new Error(vscode.l10n.t('Open a folder first: the Loyal book lives in a workspace folder.'));
        if (session.state === 'missing' || session.state === 'noWorkspace') throw new Error(vscode.l10n.t('This workspace has no Loyal data file yet: create one first, then set up agent access.'));

        let client = preset?.client;
        if (!client) {
          const picked = await vscode.window.showQuickPick(
            AGENT_CLIENTS.map((id) => ({
              id,
              label: CLIENT_FORMATS[id].name,
              description: CLIENT_FORMATS[id].file,
              detail: id === 'vscode' && access.registered ? vscode.l10n.t('Agent mode here already sees Loyal: the file is for other VS Code builds.') : undefined,
            })),
            { title: vscode.l10n.t('Set up agent access: which agent?'), placeHolder: vscode.l10n.t('The agent that will read and update your Loyal book') },
          );
          if (!picked) return undefined;
          client = picked.id;
        }
        let readOnly = preset?.readOnly;
        if (readOnly === undefined) {
          const picked = await vscode.window.showQuickPick(
            [
              {
                readOnly: false,
                label: vscode.l10n.t('Read and update'),
                detail: vscode.l10n.t('Logs and resolves incidents, completes and adds follow-ups, records purchases and contacts. Never deletes.'),
              },
              { readOnly: true, label: vscode.l10n.t('Read only'), detail: vscode.l10n.t('Reads the morning review, customers, values and trends; changes nothing.') },
            ],
            { title: vscode.l10n.t('Set up agent access: what may the agent do?') },
          );
          if (!picked) return undefined;
          readOnly = picked.readOnly;
        }

        const launch = workspaceLaunch(context, session, readOnly);
        if (!launch) throw new Error(vscode.l10n.t('This workspace has no Loyal data file yet: create one first, then set up agent access.'));
        const format = CLIENT_FORMATS[client];
        const uri = vscode.Uri.file(join(folder.uri.fsPath, format.file));
        const existing = await readText(uri);
        let text: string;
        try {
          text = withLoyalEntry(client, existing, clientEntry(client, launch));
        } catch (error) {
          if (error instanceof ConfigFileError) throw new Error(vscode.l10n.t('{0} cannot be read ({1}): fix it first. Nothing was written.', format.file, error.message));
          throw error;
        }

        if (!preset?.write) {
          const write = vscode.l10n.t('Write {0}', format.file);
          const answer = await vscode.window.showInformationMessage(
            existing === undefined
              ? vscode.l10n.t('Loyal will create {0} for {1}:', format.file, format.name)
              : vscode.l10n.t('Loyal will add its server to {0} for {1} (the other servers stay):', format.file, format.name),
            { modal: true, detail: previewEntry(client, clientEntry(client, launch)) },
            write,
          );
          if (answer !== write) return undefined;
        }
        await vscode.workspace.fs.createDirectory(vscode.Uri.file(dirname(uri.fsPath)));
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
        // What was written, in front of the person.
        await vscode.window.showTextDocument(uri, { preview: true });
        void vscode.window.showInformationMessage(
          readOnly
            ? vscode.l10n.t('{0} can now read your Loyal book (read only) through {1}. Restart its MCP servers if it is running.', format.name, format.file)
            : vscode.l10n.t('{0} can now read and update your Loyal book through {1}. Restart its MCP servers if it is running.', format.name, format.file),
        );
        return { client, file: uri.fsPath, readOnly };
      }),
    ),
  );
}
