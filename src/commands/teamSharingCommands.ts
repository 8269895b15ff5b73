// Team sharing through git: "Loyal: Set Up Team Sharing", and the one-time offer to set
// it up in a clone whose .gitattributes asks for Loyal's merge driver that this clone
// does not have. Git runs only in a trusted workspace: a repository's own git config
// and hooks can run programs. And synced folders: a conflicted copy of the data file
// (Syncthing, Dropbox, Nextcloud, OneDrive) is merged in record by record after a prompt.
import { basename, dirname, extname, join } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { LoyalSession } from '../session';
import { findConflictedCopies, mergeConflictedCopy, type ConflictedCopy, type CopyMerged } from '../store/conflictedCopies';
import { refreshLauncher, setUpGitSharing, sharingStatus, type LoyalCli } from '../store/teamSharing';
import { parsePreset, runCommand } from './run';

/** Remembered per workspace: the offer is made once, whatever the answer. */
const OFFERED_KEY = 'loyal.teamSharing.offered';

function loyalCli(context: vscode.ExtensionContext): LoyalCli {
  // The extension host's own Node (Electron's binary on the desktop, run as Node by the launcher).
  return { cliPath: join(context.extensionPath, 'dist', 'cli.js'), nodePath: process.execPath };
}

export type SharingOffer = 'untrusted' | 'no-file' | 'not-needed' | 'already-offered' | 'offered';

export function registerTeamSharingCommands(context: vscode.ExtensionContext, session: LoyalSession): { offer(): Promise<SharingOffer>; offerCopies(): Promise<string[]> } {
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
        ? vscode.l10n.t("Team sharing is set up: {0} now merges record by record in this clone. Commit .gitattributes so every teammate's clone does too.", result.repository.dataFile)
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
        vscode.l10n.t(
          "This repository merges {0} record by record, but this clone has no Loyal merge driver yet: a git merge of teammates' changes could stop with conflicts. Set it up now?",
          status.repository.dataFile,
        ),
        action,
      )
      .then((answer) => (answer === action ? runCommand(setUp) : undefined));
    return 'offered';
  };

  // Conflicted copies of synced folders: offered once per copy and window, on activation
  // and whenever one appears beside the data file.
  const offeredCopies = new Set<string>();
  const mergeCopies = async (copies: ConflictedCopy[]): Promise<CopyMerged[]> => {
    const store = session.store;
    if (!store) return [];
    const done: CopyMerged[] = [];
    for (const copy of copies) done.push(await mergeConflictedCopy(store, copy));
    await session.reload();
    const conflicts = done.reduce((sum, merged) => sum + merged.conflicts.length, 0);
    void vscode.window.showInformationMessage(
      done.length === 1
        ? vscode.l10n.t(
            'Merged the conflicted copy {0} into the book ({1} records differed: the later version kept, the other in .loyal/backups). The copy is now in .loyal/backups.',
            done[0].copy.name,
            conflicts,
          )
        : vscode.l10n.t(
            'Merged {0} conflicted copies into the book ({1} records differed: the later version kept, the other in .loyal/backups). The copies are now in .loyal/backups.',
            done.length,
            conflicts,
          ),
    );
    return done;
  };
  const offerCopies = async (): Promise<string[]> => {
    const path = session.store?.path;
    if (!path || session.state !== 'ok') return [];
    const copies = (await findConflictedCopies(path)).filter((copy) => !offeredCopies.has(copy.path));
    for (const copy of copies) {
      offeredCopies.add(copy.path);
      const action = vscode.l10n.t('Merge Record by Record');
      void vscode.window
        .showWarningMessage(
          vscode.l10n.t(
            '{0} left a conflicted copy of the book beside it: {1}. Merge it into {2} record by record? Nothing is lost: where a record differs, the later version is kept and the other goes to .loyal/backups, and so does the copy.',
            copy.tool,
            copy.name,
            basename(path),
          ),
          action,
        )
        .then((answer) => (answer === action ? runCommand(() => mergeCopies([copy])) : undefined));
    }
    return copies.map((copy) => copy.name);
  };
  let watchedPath: string | undefined;
  let copyWatcher: vscode.Disposable | undefined;
  const watchCopies = (): void => {
    const path = session.store?.path;
    if (path === watchedPath) return;
    watchedPath = path;
    copyWatcher?.dispose();
    copyWatcher = undefined;
    if (!path) return;
    const name = basename(path);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(path)), `${basename(name, extname(name))}*`), false, true, true);
    const created = watcher.onDidCreate(() => void offerCopies());
    copyWatcher = vscode.Disposable.from(watcher, created);
  };
  context.subscriptions.push(session.onDidChange(watchCopies), { dispose: () => copyWatcher?.dispose() });

  context.subscriptions.push(
    vscode.commands.registerCommand('loyal.mergeConflictedCopies', (arg?: unknown) =>
      runCommand(async () => {
        const confirmed = parsePreset(z.strictObject({ confirm: z.literal(true) }), arg)?.confirm === true;
        const path = session.store?.path;
        if (!path) return [];
        if (session.state !== 'ok') {
          void vscode.window.showWarningMessage(vscode.l10n.t('The data file cannot be read: fix it first, then merge the conflicted copies.'));
          return [];
        }
        const copies = await findConflictedCopies(path);
        if (!copies.length) {
          void vscode.window.showInformationMessage(vscode.l10n.t('There is no conflicted copy of {0} beside it.', basename(path)));
          return [];
        }
        const action = vscode.l10n.t('Merge Record by Record');
        const answer = confirmed
          ? action
          : await vscode.window.showWarningMessage(
              vscode.l10n.t(
                'Merge {0} conflicted copies ({1}) into {2} record by record? Where a record differs, the later version is kept and the other goes to .loyal/backups, and so do the copies.',
                copies.length,
                copies.map((copy) => copy.name).join(', '),
                basename(path),
              ),
              { modal: true },
              action,
            );
        if (answer !== action) return [];
        return (await mergeCopies(copies)).map((merged) => ({ name: merged.copy.name, movedTo: merged.movedTo, conflicts: merged.conflicts.length }));
      }),
    ),
    // Internal (tests): the offer made on activation and when a copy appears.
    vscode.commands.registerCommand('loyal.conflictedCopies.check', () => offerCopies()),
    vscode.commands.registerCommand('loyal.teamSharing.setUp', () => runCommand(setUp)),
    // Internal (tests): what activation does, with the remembered offer optionally forgotten.
    vscode.commands.registerCommand('loyal.teamSharing.check', async (options?: { forget?: boolean }) => {
      if (options?.forget) await context.workspaceState.update(OFFERED_KEY, undefined);
      return offer();
    }),
  );
  return { offer, offerCopies };
}
