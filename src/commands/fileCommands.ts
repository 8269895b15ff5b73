// The data file itself: create, demo, open, reload, repair after a git merge.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { LoyalViews } from '../views/loyalViews';
import { generateDemoBook } from '../domain/demo';
import { today } from '../domain/time';
import { parsePreset, runCommand } from './run';
import { z } from 'zod';

export function registerFileCommands(context: vscode.ExtensionContext, session: LoyalSession, views: LoyalViews): void {
  const path = (): string | undefined => session.store?.path;

  context.subscriptions.push(
    vscode.commands.registerCommand('loyal.createDataFile', () =>
      runCommand(async () => {
        if (!session.store) return void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: the Loyal book lives in a workspace folder.'));
        if (session.state !== 'missing') return void vscode.window.showInformationMessage(vscode.l10n.t('This workspace already has a Loyal data file.'));
        await session.store.create();
        vscode.window.showInformationMessage(vscode.l10n.t('Created {0}. Add your first customer or import a CSV.', vscode.workspace.asRelativePath(session.store.path)));
      }),
    ),
    vscode.commands.registerCommand('loyal.openDemo', () =>
      runCommand(async () => {
        if (!session.store) return void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: the Loyal book lives in a workspace folder.'));
        if (session.state !== 'missing')
          return void vscode.window.showInformationMessage(vscode.l10n.t('This workspace already has a Loyal data file: the demo book is only created where there is none.'));
        const create = vscode.l10n.t('Create demo book');
        const answer = await vscode.window.showInformationMessage(
          vscode.l10n.t('Create a demo book with 1,000 made-up customers of a coffee roaster in {0}? You can delete the file later.', vscode.workspace.asRelativePath(session.store.path)),
          { modal: true },
          create,
        );
        if (answer !== create) return;
        // The demo's staff are demo people, not this machine's git name.
        await session.store.create(generateDemoBook({ customers: 1000, seed: 7, today: today() }));
        await vscode.commands.executeCommand('loyal.showToday');
      }),
    ),
    vscode.commands.registerCommand('loyal.openDataFile', () =>
      runCommand(async () => {
        const file = path();
        if (!file) return;
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        const editor = await vscode.window.showTextDocument(document);
        const broken = session.store?.state.kind === 'broken' ? session.store.state.error : undefined;
        const line = broken?.problems.find((p) => p.line !== undefined);
        if (line?.line !== undefined) {
          const position = new vscode.Position(line.line - 1, Math.max(0, (line.column ?? 1) - 1));
          editor.selection = new vscode.Selection(position, position);
          editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
        }
      }),
    ),
    vscode.commands.registerCommand('loyal.refresh', () => runCommand(() => session.reload())),
    vscode.commands.registerCommand('loyal.showToday', async () => {
      await vscode.commands.executeCommand('workbench.view.extension.loyal');
      await vscode.commands.executeCommand('loyal.today.focus');
    }),
    vscode.commands.registerCommand('loyal.customers.showMore', () => views.customers.showMore()),
    vscode.commands.registerCommand('loyal.fixMergeConflicts', (arg?: unknown) =>
      runCommand(async () => {
        const confirmed = parsePreset(z.strictObject({ confirm: z.literal(true) }), arg)?.confirm === true;
        const store = session.store;
        if (!store) return;
        if (store.state.kind !== 'broken' || store.state.error.kind !== 'conflict-markers') {
          return void vscode.window.showInformationMessage(vscode.l10n.t('The data file has no merge-conflict markers to fix.'));
        }
        const apply = vscode.l10n.t('Merge record by record');
        const answer = confirmed
          ? apply
          : await vscode.window.showWarningMessage(
              vscode.l10n.t(
                'The data file has merge-conflict markers. Loyal can merge both sides record by record: when the same record changed on both sides, the later change wins and the other is kept in .loyal/backups, with a copy of the conflicted file.',
              ),
              { modal: true },
              apply,
            );
        if (!confirmed && answer !== apply) return;
        const conflicts = await store.fixConflictMarkers();
        await session.reload();
        void vscode.window.showInformationMessage(vscode.l10n.t('The merge conflicts are fixed ({0} records changed on both sides) and the data file can be used again.', conflicts.length));
        return conflicts.length;
      }),
    ),
  );
}
