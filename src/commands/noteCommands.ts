// Handwritten notes: edit the suggested text, mark written, mark sent, copy the address.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { LoyalViews } from '../views/loyalViews';
import { NoteNode } from '../views/notesView';
import type { HandwrittenNote } from '../domain/records';
import { nowInstant } from '../domain/time';
import { runCommand } from './run';
import { NOTE_SCHEME, NoteTextFileSystem, noteTextUri } from './noteTextEditor';

function noteFrom(session: LoyalSession, arg: unknown): HandwrittenNote | undefined {
  const id = arg instanceof NoteNode ? arg.note.id : typeof arg === 'string' ? arg : undefined;
  return id && session.state === 'ok' ? session.file.notes.find((n) => n.id === id) : undefined;
}

export function registerNoteCommands(context: vscode.ExtensionContext, session: LoyalSession, _views: LoyalViews): void {
  const register = (id: string, handler: (arg: unknown) => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, (arg: unknown) => runCommand(() => handler(arg))));
  };
  context.subscriptions.push(vscode.workspace.registerFileSystemProvider(NOTE_SCHEME, new NoteTextFileSystem(session), { isCaseSensitive: true }));
  const missing = (): void => void vscode.window.showWarningMessage(vscode.l10n.t('Choose a note in the Handwritten notes view.'));

  register('loyal.note.markWritten', async (arg) => {
    const note = noteFrom(session, arg);
    if (!note) return missing();
    await session.store!.update((tx) => tx.patch('notes', note.id, { status: 'to-post', writtenAt: nowInstant(), writtenBy: session.user }));
  });

  register('loyal.note.markSent', async (arg) => {
    const note = noteFrom(session, arg);
    if (!note) return missing();
    await session.store!.update((tx) =>
      tx.patch('notes', note.id, { status: 'sent', sentAt: nowInstant(), sentBy: session.user, writtenAt: note.writtenAt ?? nowInstant(), writtenBy: note.writtenBy ?? session.user }),
    );
  });

  register('loyal.note.copyAddress', async (arg) => {
    const note = noteFrom(session, arg);
    if (!note) return missing();
    const customer = session.file.customers.find((c) => c.id === note.customerId);
    const address = note.address ?? customer?.address;
    if (!address) return void vscode.window.showWarningMessage(vscode.l10n.t('There is no postal address for {0}. Add one on the customer page.', customer?.name ?? ''));
    await vscode.env.clipboard.writeText(`${customer?.name ?? ''}\n${address}`.trim());
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Address copied'), 3000);
  });

  register('loyal.note.editText', async (arg) => {
    const note = noteFrom(session, arg);
    if (!note) return missing();
    const customer = session.file.customers.find((c) => c.id === note.customerId);
    // A tab of its own: the greeting, the body and the sign-off keep their lines; Save writes it.
    const document = await vscode.workspace.openTextDocument(noteTextUri(note, customer?.name ?? note.customerId));
    await vscode.window.showTextDocument(document, { preview: false });
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Edit the note, then save it to keep the text.'), 8000);
    return document;
  });
}
