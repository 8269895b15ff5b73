// `npm run l10n`: extracts every vscode.l10n.t string of src/ into l10n/bundle.l10n.json,
// then writes the French and Italian bundles from the translation sources in
// l10n/translations/*.json ({ "English": { "fr": "...", "it": "..." } }). A string with no
// translation is listed and left out, so the l10n unit test fails until it is translated.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const l10n = join(root, 'l10n');
execFileSync(process.execPath, [join(root, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js'), 'export', '--outDir', l10n, join(root, 'src')], { stdio: 'ignore' });
const english = JSON.parse(readFileSync(join(l10n, 'bundle.l10n.json'), 'utf8'));
const sources = {};
const folder = join(l10n, 'translations');
for (const name of readdirSync(folder)
  .filter((n) => n.endsWith('.json'))
  .sort())
  Object.assign(sources, JSON.parse(readFileSync(join(folder, name), 'utf8')));
let missing = 0;
for (const language of ['fr', 'it']) {
  const bundle = {};
  for (const key of Object.keys(english)) {
    const text = sources[key]?.[language];
    if (text) bundle[key] = text;
    else {
      missing++;
      console.log(`missing ${language}: ${JSON.stringify(key)}`);
    }
  }
  writeFileSync(join(l10n, `bundle.l10n.${language}.json`), JSON.stringify(bundle, null, 2) + '\n');
}
console.log(`l10n: ${Object.keys(english).length} strings, ${missing} translations missing`);
