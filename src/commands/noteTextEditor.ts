// The text of a handwritten note, edited in a real editor tab: a card has a greeting, a body
// and a sign-off on their own lines, which a one-line input box would run together. The tab
// shows `loyal-note:/<note id>/<title>.txt`; saving it (Ctrl+S) writes the note's text.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { HandwrittenNote } from '../domain/records';

export const NOTE_SCHEME = 'loyal-note';

/** The editor URI of a note's text; the title is the tab's name. */
export function noteTextUri(note: HandwrittenNote, customerName: string): vscode.Uri {
  const title = vscode.l10n
    .t('Note for {0}', customerName)
    .replace(/[\\/:*?"<>|]/g, ' ')
    .trim();
  return vscode.Uri.from({ scheme: NOTE_SCHEME, path: `/${note.id}/${title}.txt` });
}

/** What is saved: line endings as \n, no trailing spaces at the ends of lines or of the text. */
export function normaliseNoteText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+$/u, ''))
    .join('\n')
    .trim();
}

export class NoteTextFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** When each note's text was last saved from an editor here: the tab's modification time. */
  private readonly savedAt = new Map<string, number>();

  constructor(private readonly session: LoyalSession) {}

  private note(uri: vscode.Uri): HandwrittenNote {
    const id = uri.path.split('/')[1];
    const note = this.session.state === 'ok' ? this.session.file.notes.find((n) => n.id === id) : undefined;
    if (!note) throw vscode.FileSystemError.FileNotFound(uri);
    return note;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const note = this.note(uri);
    const mtime = this.savedAt.get(note.id) ?? (Date.parse(note.updatedAt) || 0);
    return { type: vscode.FileType.File, ctime: Date.parse(note.createdAt) || 0, mtime, size: Buffer.byteLength(note.text) };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return Buffer.from(this.note(uri).text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const note = this.note(uri);
    const text = normaliseNoteText(Buffer.from(content).toString('utf8'));
    if (text.length > 10_000) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A note can have at most 10,000 characters.'));
    if (text !== note.text) await this.session.store!.update((tx) => tx.patch('notes', note.id, { text }));
    this.savedAt.set(note.id, Date.now());
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
