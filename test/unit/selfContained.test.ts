/**
 * A clone with nothing beside it must pass `npm test` and run `npm run bench`: no test, bench or
 * build script may read a file outside the repository (the CDNOW data lives in
 * test/fixtures/cdnow). This reads the scripts' own text, so a path written as
 * `'..', 'shared'` or `/work/shared/...` fails here before it fails on a new contributor's clone.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './support/cdnow';

const SCANNED = ['test', 'scripts', '.ci'];
const SKIPPED_DIRS = new Set(['node_modules', 'fixtures']);
const SOURCE = /\.(ts|mts|mjs|js|cjs|sh)$|^run$/;

/** Patterns of a path that leaves the repository. */
const OUTSIDE: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /\.\.\/shared\b/, why: 'a path into ../shared' },
  { pattern: /['"]\.\.['"]\s*,\s*['"]shared['"]/, why: "a path joined as '..', 'shared'" },
  { pattern: /['"`]\/work\//, why: 'an absolute path into /work' },
  { pattern: /\brepoRoot\s*,\s*['"]\.\.['"]/, why: 'a path above the repository root' },
  { pattern: /\bROOT\s*,\s*['"]\.\.['"]/, why: 'a path above the repository root' },
];

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_DIRS.has(name)) files.push(...sourceFiles(path));
    } else if (SOURCE.test(name)) {
      files.push(path);
    }
  }
  return files;
}

function outsidePaths(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, index) => {
    for (const { pattern, why } of OUTSIDE) {
      if (pattern.test(line)) found.push(`line ${index + 1}: ${why}: ${line.trim()}`);
    }
  });
  return found;
}

describe('the repository is self-contained', () => {
  it('recognises a path that leaves the repository', () => {
    assert.equal(outsidePaths("const dir = path.resolve(repoRoot, '..', 'shared', 'data');").length, 2);
    assert.equal(outsidePaths("readFileSync('/work/shared/data/cdnow/CDNOW_master.txt')").length, 1);
    assert.deepEqual(outsidePaths("join(ROOT, 'test', 'fixtures', 'cdnow')"), []);
  });

  it('no test, bench or CI script reads a file outside the repository', () => {
    const offences: string[] = [];
    for (const top of SCANNED) {
      for (const file of sourceFiles(join(repoRoot, top))) {
        if (file.endsWith('selfContained.test.ts')) continue;
        for (const found of outsidePaths(readFileSync(file, 'utf8'))) offences.push(`${relative(repoRoot, file)} ${found}`);
      }
    }
    assert.deepEqual(offences, []);
  });

  it('the CDNOW data the tests and bench use is in the repository', () => {
    for (const name of ['CDNOW_master.txt', 'CDNOW_sample.txt', 'cdnow_customers_summary.csv', 'README.md']) {
      assert.ok(statSync(join(repoRoot, 'test', 'fixtures', 'cdnow', name)).size > 0, name);
    }
  });
});
