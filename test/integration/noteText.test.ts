// Editing a handwritten note's text in a real editor tab: line breaks are kept, and saving
// the tab writes the note.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { closeAllEditors, freshFixture, loyalApi, waitFor } from './harness';

describe('editing a note’s text', () => {
  let loyal: LoyalApi;
  before(async () => {
    loyal = await loyalApi();
  });
  beforeEach(async () => {
    await freshFixture(loyal);
  });
  afterEach(async () => {
    await closeAllEditors();
  });

  it('opens the text with its lines in an editor tab and saves every line break', async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('loyal.note.editText', 'not_fix000001');
    assert.ok(document, 'the command opens a document');
    assert.equal(vscode.window.activeTextEditor?.document, document, 'in the active editor');
    assert.equal(document.getText(), 'Dear Chloé,\nThank you for your patience.\nWarmly,\nGiulia', 'the greeting, body and sign-off on their lines');
    assert.match(document.fileName, /Note for Chloé Dubois\.txt$/);
    const edited = 'Dear Chloé,\n\nThank you for your patience with the late parcel.\nSee you at the shop!   \r\nWarmly,\nGiulia\n';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), edited);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save(), 'the tab saves');
    const expected = 'Dear Chloé,\n\nThank you for your patience with the late parcel.\nSee you at the shop!\nWarmly,\nGiulia';
    await waitFor('the saved text in the book', () => loyal.session.file.notes.find((n) => n.id === 'not_fix000001')?.text === expected);
    const onDisk = JSON.parse(readFileSync(loyal.session.store!.path, 'utf8')) as { notes: Array<{ id: string; text: string }> };
    assert.equal(onDisk.notes.find((n) => n.id === 'not_fix000001')?.text, expected, 'written to the data file, line breaks kept');
  });
});
