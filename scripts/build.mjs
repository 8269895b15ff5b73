// Bundles the extension (cjs/node), the CLI (cjs/node, shebang), the webviews (esm/browser)
// and the integration tests, then writes the JSON Schema of the data file from the zod records.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

function filesUnder(dir, test) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, test) : test(path) ? [path] : [];
  });
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/ltv/ltvWorker.ts'],
    outfile: 'dist/ltvWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: filesUnder(join(root, 'webview'), (p) => /\/[^/]+\.page\.ts$/.test(p)).map((p) => relative(root, p)),
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.ttf': 'file', '.css': 'css' },
  },
  {
    ...common,
    entryPoints: filesUnder(join(root, 'test/integration'), (p) => p.endsWith('.ts')).map((p) => relative(root, p)),
    outdir: 'out/test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode', 'mocha'],
  },
  {
    ...common,
    entryPoints: ['test/hostbench/index.ts'],
    outfile: 'out/test/hostbench/index.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
  },
].filter((b) => b.entryPoints.length > 0);

function writeSchema() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const schema = execFileSync(process.execPath, [join(root, 'dist/cli.js'), 'schema'], { encoding: 'utf8' });
  writeFileSync(join(root, 'dist/loyal.schema.json'), schema);
}

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  if (existsSync(join(root, 'dist/cli.js'))) writeSchema();
  console.log('build: dist/ and out/ are up to date');
}
