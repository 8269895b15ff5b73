import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outsideWorkspace, restrictedDataFileSetting } from '../../../src/store/confine';

// Restricted mode: a cloned repository (its settings and its links) must not make Loyal read,
// write or back up a file outside the workspace folders.
describe('restricted mode: the data file stays inside the workspace folders', () => {
  let root: string;
  let workspace: string;
  let outside: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'loyal-confine-'));
    workspace = join(root, 'repo');
    outside = join(root, 'home');
    await mkdir(join(workspace, 'data'), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'secret.json'), '{}');
    await writeFile(join(workspace, 'loyal.json'), '{}');
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens a file inside, existing or not yet created, in any of the folders', async () => {
    assert.equal(await outsideWorkspace(join(workspace, 'loyal.json'), [workspace]), undefined);
    assert.equal(await outsideWorkspace(join(workspace, 'data', 'new.json'), [workspace]), undefined);
    assert.equal(await outsideWorkspace(join(workspace, 'not', 'yet', 'there.json'), [workspace]), undefined);
    assert.equal(await outsideWorkspace(join(outside, 'secret.json'), [workspace, outside]), undefined, 'the second folder counts');
  });

  it('refuses a path that climbs out, or a folder that only starts with the same name', async () => {
    assert.equal(await outsideWorkspace(join(workspace, '..', 'home', 'secret.json'), [workspace]), join(outside, 'secret.json'));
    await mkdir(`${workspace}-evil`, { recursive: true });
    assert.equal(await outsideWorkspace(join(`${workspace}-evil`, 'loyal.json'), [workspace]), join(`${workspace}-evil`, 'loyal.json'));
  });

  it('follows links: a data file, a folder or a .loyal/ folder that leads outside is refused', async () => {
    const linkedFile = join(workspace, 'linked.json');
    await symlink(join(outside, 'secret.json'), linkedFile);
    assert.equal(await outsideWorkspace(linkedFile, [workspace]), join(outside, 'secret.json'));

    const dangling = join(workspace, 'dangling.json');
    await symlink(join(outside, 'not-yet.json'), dangling);
    assert.ok(await outsideWorkspace(dangling, [workspace]), 'a link to a file outside that does not exist yet (a write would create it there)');

    await symlink(outside, join(workspace, 'away'));
    assert.equal(await outsideWorkspace(join(workspace, 'away', 'loyal.json'), [workspace]), join(outside, 'loyal.json'));

    // The lock, the backups and the print cards go to .loyal/ beside the file.
    await mkdir(join(workspace, 'sub'));
    await writeFile(join(workspace, 'sub', 'loyal.json'), '{}');
    await symlink(outside, join(workspace, 'sub', '.loyal'));
    assert.equal(await outsideWorkspace(join(workspace, 'sub', 'loyal.json'), [workspace]), outside);
  });

  it('accepts a workspace folder that is itself reached through a link', async () => {
    const alias = join(root, 'alias');
    await symlink(workspace, alias);
    assert.equal(await outsideWorkspace(join(alias, 'loyal.json'), [alias]), undefined);
    assert.equal(await outsideWorkspace(join(workspace, 'loyal.json'), [alias]), undefined);
  });

  it("uses the user's own setting or the default, never the workspace's", () => {
    assert.equal(restrictedDataFileSetting({ defaultValue: 'loyal.json', globalValue: '/home/me/shop/loyal.json', workspaceValue: '../../.ssh/id_rsa' } as never), '/home/me/shop/loyal.json');
    assert.equal(restrictedDataFileSetting({ defaultValue: 'loyal.json', workspaceValue: '/etc/passwd' } as never), 'loyal.json');
    assert.equal(restrictedDataFileSetting(undefined), 'loyal.json');
  });
});
