// What the installed extension's page shows: an icon, and README pictures that exist and
// become absolute links in the .vsix (the extension page drops relative ones).
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  icon?: string;
  repository?: { url?: string };
  scripts: Record<string, string>;
  contributes: { walkthroughs: Array<{ steps: Array<{ id: string; media: { image?: string } }> }> };
};

function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  assert.equal(bytes.toString('latin1', 1, 4), 'PNG', `${path} is a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the extension page', () => {
  it('has a 128 px PNG icon that is packaged', () => {
    assert.ok(manifest.icon, 'package.json names an icon');
    assert.deepEqual(pngSize(join(root, manifest.icon)), { width: 128, height: 128 });
    assert.match(readFileSync(join(root, '.vscodeignore'), 'utf8'), new RegExp(`^!${manifest.icon.replace('.', '\\.')}$`, 'm'));
  });

  it('names the repository, so that vsce makes the README pictures absolute', () => {
    assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\/[^/]+\/[^/]+/);
    assert.doesNotMatch(manifest.scripts.package, /--no-rewrite-relative-links/, 'relative links would be dropped by the extension page');
  });

  it('shows only pictures that exist', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(pictures.length >= 4);
    for (const picture of pictures) assert.ok(existsSync(join(root, picture)), `README picture ${picture}`);
    for (const step of manifest.contributes.walkthroughs[0].steps) assert.ok(step.media.image && existsSync(join(root, step.media.image)), `walkthrough picture of ${step.id}`);
  });

  it('opens the README with what Loyal does and how to install it, before any npm command', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const firstNpm = readme.indexOf('npm ');
    for (const heading of ['## What it does', '## Install', '## First steps']) {
      const at = readme.indexOf(heading);
      assert.ok(at > 0 && at < firstNpm, `${heading} comes before the first npm command`);
    }
  });
});
