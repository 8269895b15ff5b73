// Who makes the changes: `loyal.user` from the User settings, also in a remote window (the
// server host is one), and also when it arrives while the book is being opened.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { freshFixture, loyalApi, readWorkspaceJson, testWorkspace, waitFor } from './harness';
import type { LoyalFile } from '../../src/domain/records';

describe('the current user', () => {
  let loyal: LoyalApi;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('loyal');
  before(async () => {
    loyal = await loyalApi();
    await freshFixture(loyal);
  });
  after(async () => {
    await config().update('user', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the git name back', () => loyal.session.user !== 'Ann Tester');
  });

  it('is loyal.user from the User settings, even when it lands during an open', async () => {
    const reopening = loyal.session.open();
    await config().update('user', 'Ann Tester', vscode.ConfigurationTarget.Global);
    assert.equal(config().inspect('user')?.globalValue, 'Ann Tester', 'kept in the User settings of this (remote) window');
    await reopening;
    await waitFor('the user from the settings', () => loyal.session.user === 'Ann Tester');
    // Whatever was still running has finished: the setting still wins.
    await loyal.session.open();
    assert.equal(loyal.session.user, 'Ann Tester');
    const id = await vscode.commands.executeCommand<string>('loyal.incident.log', { customerId: 'cus_alice0001', summary: 'Cup chipped', category: 'product' });
    const incident = readWorkspaceJson<LoyalFile>('loyal.json').incidents.find((i) => i.id === id);
    assert.equal(incident?.createdBy, 'Ann Tester', 'records are signed with it');
    assert.equal(incident?.staff, 'Ann Tester');
  });

  it("signs a change made as soon as the book is shown with git's name", async () => {
    await config().update('user', undefined, vscode.ConfigurationTarget.Global);
    let gitName = '';
    try {
      gitName = execFileSync('git', ['config', 'user.name'], { cwd: testWorkspace(), encoding: 'utf8' }).trim();
    } catch {
      // no name in git's configuration: the account name stands in
    }
    const expected = gitName || userInfo().username;
    // The book is shown without waiting for git; the first change is made the moment it is.
    const shown = new Promise<void>((resolve) => {
      const listener = loyal.session.onDidChange(() => {
        if (loyal.session.state !== 'ok') return;
        listener.dispose();
        resolve();
      });
    });
    const reopening = loyal.session.open();
    await shown;
    const logged = vscode.commands.executeCommand<string>('loyal.incident.log', { customerId: 'cus_alice0001', summary: 'Lid missing', category: 'product' });
    const [id] = await Promise.all([logged, reopening]);
    const incident = readWorkspaceJson<LoyalFile>('loyal.json').incidents.find((i) => i.id === id);
    assert.equal(incident?.createdBy, expected, 'signed with the name git gives');
    assert.equal(incident?.staff, expected);
  });

  it('is a setting of the person, not of the workspace or the machine', () => {
    const manifest = vscode.extensions.getExtension('loyal-crm.loyal')!.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string }> } } };
    // "machine" settings are left out of the User tab in remote windows (Codespaces, Remote-SSH).
    assert.equal(manifest.contributes.configuration.properties['loyal.user'].scope, 'application');
  });
});
