import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateLoyal } from './harness';

interface ContributedCommand {
  command: string;
}

describe('Activation', () => {
  it('is installed in the host under its publisher.name id', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the host's extensions`);
  });

  it('activates without throwing', async () => {
    // activate() rejects when the extension's activate() throws or its module fails to load.
    const extension = await activateLoyal();
    assert.equal(extension.isActive, true);
  });

  it('registers a handler for every command it contributes', async () => {
    const extension = await activateLoyal();
    const contributed: ContributedCommand[] = extension.packageJSON.contributes?.commands ?? [];
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed in package.json but not registered: ${missing.join(', ')}`);
  });
});
