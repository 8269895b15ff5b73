// CSV import and export in the editor. An import is all or nothing: the first rows and
// every bad row (with its line number) are shown before anything is written.
import * as vscode from 'vscode';
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import type { LoyalSession } from '../session';
import { EXPORT_KINDS, IMPORT_KINDS, exportCsv, planImport, type ExportKind, type ImportKind, type ImportPlan, type ImportTransaction } from '../domain/csv';
import { parsePreset, runCommand } from './run';
import { pick } from './inputs';
import { ImportPanel } from '../panels/importPanel';

// With a kind: the quick import of Loyal's own format (scripts and tests); without: the import page.
const ImportPreset = z.strictObject({
  kind: z.enum(IMPORT_KINDS as [ImportKind, ...ImportKind[]]).optional(),
  path: z.string(),
  createCustomers: z.boolean().optional(),
  confirm: z.boolean().optional(),
});
const ExportPreset = z.strictObject({ kind: z.enum(EXPORT_KINDS as [ExportKind, ...ExportKind[]]), path: z.string() });

function kindLabel(kind: ExportKind): string {
  switch (kind) {
    case 'customers':
      return vscode.l10n.t('Customers');
    case 'purchases':
      return vscode.l10n.t('Purchases');
    case 'incidents':
      return vscode.l10n.t('Incidents');
    case 'followups':
      return vscode.l10n.t('Follow-ups');
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A Markdown report of what the import would do: the first rows, then every error. */
export function importReport(plan: ImportPlan, fileName: string): string {
  const lines = [`# ${vscode.l10n.t('Import of {0} from {1}', kindLabel(plan.kind), fileName)}`, ''];
  lines.push(vscode.l10n.t('{0} rows read; {1} to create, {2} to update, {3} new customers.', plan.rows, plan.summary.create, plan.summary.update, plan.summary.customersToCreate), '');
  if (plan.errors.length) {
    lines.push(
      `## ${vscode.l10n.t('{0} problems: nothing was imported', plan.errors.length)}`,
      '',
      `| ${vscode.l10n.t('Line')} | ${vscode.l10n.t('Column')} | ${vscode.l10n.t('Problem')} |`,
      '|---|---|---|',
    );
    for (const e of plan.errors) lines.push(`| ${e.line} | ${cell(e.column ?? '')} | ${cell(e.message)} |`);
    lines.push('');
  }
  if (plan.preview.length) {
    lines.push(`## ${vscode.l10n.t('First rows')}`, '', `| ${plan.columns.map(cell).join(' | ')} |`, `|${plan.columns.map(() => '---').join('|')}|`);
    for (const row of plan.preview) lines.push(`| ${plan.columns.map((c) => cell(row[c] ?? '')).join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

export function registerCsvCommands(context: vscode.ExtensionContext, session: LoyalSession): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('loyal.import', (arg: unknown) =>
      runCommand(async () => {
        const preset = parsePreset(ImportPreset, arg);
        // The page creates a missing data file only when the user imports.
        if (!preset?.kind && (session.state === 'ok' || session.state === 'missing'))
          return ImportPanel.show({ extensionUri: context.extensionUri, session, memory: context.workspaceState }, preset?.path);
        // Importing is a way to start a book: a missing file is created first, empty.
        if (session.state === 'missing') await session.store!.create();
        if (session.state !== 'ok') return void vscode.window.showWarningMessage(vscode.l10n.t('There is no readable Loyal data file yet.'));
        const kind =
          preset?.kind ??
          (await pick<ImportKind>(
            vscode.l10n.t('Import a CSV'),
            IMPORT_KINDS.map((k) => ({ value: k, label: kindLabel(k) })),
          ));
        if (!kind) return;
        let path: string | undefined = preset?.path;
        if (!path) {
          const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv', 'txt'] }, title: vscode.l10n.t('Choose the CSV file of {0}', kindLabel(kind)) });
          path = picked?.[0]?.fsPath;
        }
        if (!path) return;
        let createCustomers = preset ? (preset.createCustomers ?? false) : undefined;
        if (createCustomers === undefined && kind !== 'customers') {
          const answer = await pick<'yes' | 'no'>(vscode.l10n.t('Unknown customers'), [
            { value: 'no', label: vscode.l10n.t('Refuse rows whose customer is not in the book') },
            { value: 'yes', label: vscode.l10n.t('Create a customer for each unknown customer_id') },
          ]);
          if (!answer) return;
          createCustomers = answer === 'yes';
        }
        const text = await readFile(path, 'utf8');
        const plan = planImport(kind, text, session.file, { createCustomers, currency: session.settings.currency });
        const name = path.split(/[\\/]/).pop() ?? path;
        if (!preset) {
          const report = await vscode.workspace.openTextDocument({ language: 'markdown', content: importReport(plan, name) });
          await vscode.window.showTextDocument(report, { preview: true });
        }
        if (plan.errors.length || !plan.apply) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Nothing was imported: {0} problems in {1}, the first on line {2}.', plan.errors.length, name, plan.errors[0]?.line ?? 1));
          return { imported: false, errors: plan.errors };
        }
        if (!preset?.confirm) {
          const go = vscode.l10n.t('Import');
          const answer = await vscode.window.showInformationMessage(
            vscode.l10n.t('Import {0} rows from {1}? {2} records to create, {3} to update.', plan.rows, name, plan.summary.create, plan.summary.update),
            { modal: true },
            go,
          );
          if (answer !== go) return { imported: false, errors: [] };
        }
        const apply = plan.apply;
        const result = await session.store!.update((tx) => apply(tx as ImportTransaction));
        void vscode.window.showInformationMessage(vscode.l10n.t('Imported {0}: {1} created, {2} updated.', name, result.created, result.updated));
        return { imported: true, errors: [], ...result };
      }),
    ),
    vscode.commands.registerCommand('loyal.export', (arg: unknown) =>
      runCommand(async () => {
        if (session.state !== 'ok') return void vscode.window.showWarningMessage(vscode.l10n.t('There is no readable Loyal data file yet.'));
        const preset = parsePreset(ExportPreset, arg);
        const kind =
          preset?.kind ??
          (await pick<ExportKind>(
            vscode.l10n.t('Export as CSV'),
            EXPORT_KINDS.map((k) => ({ value: k, label: kindLabel(k) })),
          ));
        if (!kind) return;
        let path = preset?.path;
        if (!path) {
          const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
          const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, `${kind}.csv`) : undefined, filters: { CSV: ['csv'] } });
          path = target?.fsPath;
        }
        if (!path) return;
        await writeFile(path, exportCsv(kind, session.file));
        void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} to {1}.', kindLabel(kind), vscode.workspace.asRelativePath(path)));
        return path;
      }),
    ),
  );
}
