// Restricted mode in a real host: `npm run test:integration -- --untrusted` opens the test
// workspace untrusted, with workspace settings that point loyal.dataFile at a book outside
// the folder and GIT_TRACE set, so every git run leaves a line. Skipped in the usual run.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { activateLoyal, testWorkspace, waitFor } from './harness';

const sha = (path: string): string => createHash('sha1').update(readFileSync(path)).digest('hex');

describe('restricted mode (an untrusted workspace)', function () {
  this.timeout(60_000);
  let loyal: LoyalApi;
  let outsideFile: string;
  let gitLog: string;
  let outsideBefore: string;

  before(async function () {
    if (process.env.LOYAL_TEST_UNTRUSTED !== '1') return this.skip();
    outsideFile = process.env.LOYAL_TEST_OUTSIDE_FILE!;
    gitLog = process.env.LOYAL_TEST_GIT_LOG!;
    outsideBefore = sha(outsideFile);
    loyal = (await activateLoyal<LoyalApi>()).exports;
    await loyal.ready;
  });

  it('runs untrusted, with the workspace setting pointing outside withheld', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const settings = JSON.parse(readFileSync(join(testWorkspace(), '.vscode', 'settings.json'), 'utf8')) as Record<string, string>;
    assert.equal(settings['loyal.dataFile'], outsideFile, 'the clone ships the setting');
    // restrictedConfigurations in the manifest: VS Code withholds the workspace's value.
    assert.equal(vscode.workspace.getConfiguration('loyal').get<string>('dataFile'), 'loyal.json');
  });

  it('ignores loyal.dataFile from the workspace settings: the book in the folder is opened', async () => {
    await waitFor('the book', () => loyal.session.state === 'ok');
    assert.equal(loyal.session.store?.path, join(testWorkspace(), 'loyal.json'));
    assert.ok(!loyal.session.file.customers.some((c) => c.name === 'Olga Outside'), 'not the outside book');
    await vscode.commands.executeCommand('loyal.incident.log', { customerId: 'cus_alice0001', summary: 'Written inside', category: 'product' });
    await waitFor('the write', () => loyal.session.file.incidents.some((i) => i.summary === 'Written inside'));
    assert.equal(sha(outsideFile), outsideBefore, 'the outside book is untouched');
    assert.ok(!existsSync(join(dirname(outsideFile), '.loyal')), 'no lock or backup next to it');
  });

  it('opens nothing when the data file is a link to a file outside the folder', async () => {
    const path = join(testWorkspace(), 'loyal.json');
    renameSync(path, `${path}.saved`);
    symlinkSync(outsideFile, path);
    try {
      await loyal.session.open();
      assert.equal(loyal.session.state, 'restricted');
      assert.equal(loyal.session.refusedPath, outsideFile);
      assert.match(String(loyal.status.tooltip ?? ''), /Restricted mode: the data file is really at .*outside\.json/);
      assert.equal(sha(outsideFile), outsideBefore, 'the outside book is untouched');
      assert.ok(!existsSync(join(dirname(outsideFile), '.loyal')));
    } finally {
      unlinkSync(path);
      renameSync(`${path}.saved`, path);
      await loyal.session.open();
    }
    assert.equal(loyal.session.state, 'ok');
  });

  it('runs no git: not for the user name, not for release tags', async () => {
    await vscode.commands.executeCommand('loyal.releases.readGitTags');
    assert.ok(!existsSync(gitLog), `git was run: ${existsSync(gitLog) ? readFileSync(gitLog, 'utf8') : ''}`);
    assert.notEqual(loyal.session.user, '', 'someone is named on the records all the same');
  });
});
