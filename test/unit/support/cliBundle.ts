/**
 * The `loyal` CLI bundled as `npm run build` makes dist/cli.js, for the tests that spawn it as
 * a real process. It is bundled once per test run and copied where each suite wants it (its
 * own temp folder), instead of every suite running esbuild again.
 */
import { rmSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..');
let bundled: Promise<string> | undefined;

async function bundleOnce(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loyal-cli-bundle-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const outfile = join(dir, 'cli.js');
  await build({ bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning', entryPoints: [join(ROOT, 'src/cli/main.ts')], outfile, banner: { js: '#!/usr/bin/env node' } });
  return outfile;
}

/** Puts the bundled CLI at `outfile` and returns that path. */
export async function bundleCli(outfile: string): Promise<string> {
  bundled ??= bundleOnce();
  await mkdir(dirname(outfile), { recursive: true });
  await copyFile(await bundled, outfile);
  return outfile;
}
