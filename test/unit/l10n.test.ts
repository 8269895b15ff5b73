// Every string the editor shows must exist in French and Italian, with the same placeholders.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';

const root = join(__dirname, '..', '..');
const LANGUAGES = ['fr', 'it'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort();
}

function keyOf(entry: string | { message: string; comment: string[] }): string {
  return typeof entry === 'string' ? entry : entry.message;
}

describe('translations', () => {
  it('the English bundle lists every vscode.l10n.t string in src/', async () => {
    const files = sourceFiles(join(root, 'src')).map((path) => ({ extension: '.ts', contents: readFileSync(path, 'utf8') }));
    const extracted = await getL10nJson(files);
    const bundle = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    const missing = Object.keys(extracted).filter((key) => !(key in bundle));
    assert.deepEqual(missing, [], 'run `npm run l10n` to refresh l10n/bundle.l10n.json');
  });

  for (const language of LANGUAGES) {
    it(`the ${language} bundle translates every string of the extension, with the same placeholders`, () => {
      const english = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string | { message: string; comment: string[] }>;
      const translated = JSON.parse(readFileSync(join(root, 'l10n', `bundle.l10n.${language}.json`), 'utf8')) as Record<string, string>;
      const missing = Object.keys(english).filter((key) => typeof translated[key] !== 'string' || translated[key].trim() === '');
      assert.deepEqual(missing, [], `strings missing from bundle.l10n.${language}.json`);
      const wrong = Object.entries(english)
        .filter(([key, value]) => placeholders(keyOf(value)).join() !== placeholders(translated[key]).join())
        .map(([key]) => key);
      assert.deepEqual(wrong, [], 'placeholders differ');
    });

    it(`package.nls.${language}.json translates every manifest string`, () => {
      const english = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
      const translated = JSON.parse(readFileSync(join(root, `package.nls.${language}.json`), 'utf8')) as Record<string, string>;
      const missing = Object.keys(english).filter((key) => !translated[key]?.trim());
      assert.deepEqual(missing, []);
      const manifest = readFileSync(join(root, 'package.json'), 'utf8');
      const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
      assert.deepEqual(
        used.filter((key) => !(key in english)),
        [],
        'package.json uses keys that package.nls.json lacks',
      );
    });
  }
});
