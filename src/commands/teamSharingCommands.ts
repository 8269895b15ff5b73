// Team sharing through git: "Loyal: Set Up Team Sharing", and the one-time offer to set
// it up in a clone whose .gitattributes asks for Loyal's merge driver that this clone
// does not have. Git runs only in a trusted workspace: a repository's own git config
// and hooks can run programs.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import { refreshLauncher, setUpGitSharing, sharingStatus, type LoyalCli } from '../store/teamSharing';
import { runCommand } from './run';

/** Remembered per workspace: the offer is made once, whatever the answer. */
const OFFERED_KEY = 'loyal.teamSharing.offered';

function loyalCli(context: vscode.ExtensionContext): LoyalCli {
  // The extension host's own Node (Electron's binary on the desktop, run as Node by the launcher).
  return { cliPath: join(context.extensionPath, 'dist', 'cli.js'), nodePath: process.execPath };
}

export type SharingOffer = 'untrusted' | 'no-file' | 'not-needed' | 'already-offered' | 'offered';

export function registerTeamSharingCommands(context: vscode.ExtensionContext, session: LoyalSession): { offer(): Promise<SharingOffer> } {
  const setUp = async (): Promise<boolean> => {
    const path = session.store?.path;
    if (!path) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: the Loyal book lives in a workspace folder.'));
      return false;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Trust this workspace first: setting up team sharing runs git in it.'));
      return false;
    }
    const result = await setUpGitSharing(path, loyalCli(context));
    void vscode.window.showInformationMessage(
      result.attributeAdded
        ? vscode.l10n.t('Team sharing is set up: {0} now merges record by record in this clone. Commit .gitattributes so every teammate\'s clone does too.', result.repository.dataFile)
        : vscode.l10n.t('Team sharing is set up: {0} now merges record by record in this clone.', result.repository.dataFile),
    );
    return true;
  };

  const offer = async (): Promise<SharingOffer> => {
    if (!vscode.workspace.isTrusted) return 'untrusted';
    const path = session.store?.path;
    if (!path) return 'no-file';
    const status = await sharingStatus(path).catch(() => undefined);
    if (!status?.attribute) return 'not-needed';
    if (status.driver) {
      // Set up before: keep the launcher pointing at this Loyal after an update.
      await refreshLauncher(status, loyalCli(context)).catch(() => false);
      return 'not-needed';
    }
    if (context.workspaceState.get<boolean>(OFFERED_KEY)) return 'already-offered';
    await context.workspaceState.update(OFFERED_KEY, true);
    const action = vscode.l10n.t('Set Up Team Sharing');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t('This repository merges {0} record by record, but this clone has no Loyal merge driver yet: a git merge of teammates\' changes could stop with conflicts. Set it up now?', status.repository.dataFile),
        action,
      )
      .then((answer) => (answer === action ? runCommand(setUp) : undefined));
    return 'offered';
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('loyal.teamSharing.setUp', () => runCommand(setUp)),
    // Internal (tests): what activation does, with the remembered offer optionally forgotten.
    vscode.commands.registerCommand('loyal.teamSharing.check', async (options?: { forget?: boolean }) => {
      if (options?.forget) await context.workspaceState.update(OFFERED_KEY, undefined);
      return offer();
    }),
  );
  return { offer };
}
