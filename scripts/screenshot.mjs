// Screenshots of the extension in a real workbench (VS Code server + headless Chromium).
//
//   node scripts/screenshot.mjs [--workspace DIR] [--out media/screenshots] [--theme "Light Modern"]
//                               [--command "Loyal: Open Trend Review"]... [--no-sidebar] [--scale 2]
//
// Without --workspace, a fresh demo workspace is generated (dist/cli.js demo). Each --command
// is run through the command palette and the editor area is saved as <command-slug>.png.
// For scripted series, import withWorkbench() and the page helpers from this module.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_VIEWPORT, ROOT, launchBrowser, newWorkbenchPage, startServer, waitForWorkbench, workbenchUrl } from './vscode-host.mjs';

/**
 * Opens `workspace` in the workbench with this extension in development mode and calls
 * `fn(page, { url, server })`; tears everything down afterwards, also when `fn` throws.
 * `theme` is a colour theme label ("Dark Modern", "Light Modern", "Dark High Contrast", ...);
 * `settings` are extra user settings; `env` reaches the extension host.
 */
export async function withWorkbench({ workspace, theme = 'Dark Modern', settings = {}, env = {}, viewport = DEFAULT_VIEWPORT, scale = 1, extensionPath = ROOT, verbose = false }, fn) {
  const server = await startServer({ env, settings: { 'workbench.colorTheme': theme, ...settings }, echo: verbose });
  let browser;
  try {
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser, { viewport, deviceScaleFactor: scale });
    if (verbose) page.on('console', (m) => console.log(`[workbench ${m.type()}] ${m.text()}`));
    const url = workbenchUrl({ port: server.port, folder: workspace, extensionPath });
    await page.goto(url);
    await waitForWorkbench(page);
    return await fn(page, { url, server });
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
  }
}

/** Lets the workbench finish animations and async rendering before a screenshot. */
export async function settle(page, ms = 800) {
  await page.waitForTimeout(ms);
}

/** Clicks an activity bar entry by its label (e.g. "Loyal") and waits for its sidebar. */
export async function openActivity(page, label = 'Loyal', timeoutMs = 30_000) {
  const entry = page.locator(`.part.activitybar [aria-label="${label}"], .part.activitybar [aria-label^="${label} ("]`).first();
  await entry.waitFor({ state: 'visible', timeout: timeoutMs });
  const expanded = await entry.getAttribute('aria-expanded').catch(() => null);
  const selected = await entry.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false).catch(() => false);
  if (!(expanded === 'true' || selected)) await entry.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: timeoutMs });
  await waitForSidebarContent(page, timeoutMs);
  await moveMouseAway(page);
  await settle(page);
}

/**
 * Waits until the sidebar's views have stopped loading (no running progress bar) and show
 * rows. A view that stays empty (welcome content) only costs `rowsTimeoutMs`.
 */
export async function waitForSidebarContent(page, timeoutMs = 30_000, rowsTimeoutMs = 10_000) {
  await page
    .locator('.part.sidebar .monaco-list-row, .part.sidebar .welcome-view-content')
    .first()
    .waitFor({ state: 'visible', timeout: rowsTimeoutMs })
    .catch(() => {});
  await page.waitForFunction(() => !document.querySelector('.part.sidebar .monaco-progress-container.active'), null, { timeout: timeoutMs });
}

/** Parks the pointer over the status bar, so that no hover or tooltip shows in a screenshot. */
export async function moveMouseAway(page) {
  const viewport = page.viewportSize() ?? DEFAULT_VIEWPORT;
  await page.mouse.move(viewport.width / 2, viewport.height - 2);
  await page.waitForTimeout(300);
}

/** Runs a command by its palette title ("Loyal: Open Trend Review"): F1, type, Enter. */
export async function runCommand(page, title, timeoutMs = 15_000) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
  await moveMouseAway(page);
  await settle(page, 1500);
}

/** Saves a part of the workbench: 'sidebar', 'editor', 'panel', 'activitybar', 'statusbar', or the whole window. */
export async function capture(page, path, part = 'window') {
  mkdirSync(resolve(path, '..'), { recursive: true });
  if (part === 'window') await page.screenshot({ path });
  else await page.locator(`.monaco-workbench .part.${part}`).first().screenshot({ path });
  console.log(`screenshot: ${path}`);
  return path;
}

export function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A fresh workspace with generated demo data (empty when the CLI cannot generate it). */
export function makeDemoWorkspace(customers = 400) {
  // A plain folder name: it shows in the window title of every screenshot.
  const workspace = join(mkdtempSync(join(tmpdir(), 'loyal-screens-')), 'coffee-roaster');
  mkdirSync(workspace);
  const cli = join(ROOT, 'dist', 'cli.js');
  const result = existsSync(cli) ? spawnSync(process.execPath, [cli, 'demo', '--customers', String(customers), '--file', join(workspace, 'loyal.json')], { encoding: 'utf8' }) : null;
  if (!result || result.status !== 0) console.warn('screenshot: could not generate demo data (dist/cli.js demo); the workspace is empty.');
  return workspace;
}

async function main() {
  const { values } = parseArgs({
    options: {
      workspace: { type: 'string' },
      out: { type: 'string', default: join('media', 'screenshots') },
      theme: { type: 'string', default: 'Dark Modern' },
      command: { type: 'string', multiple: true, default: [] },
      'no-sidebar': { type: 'boolean', default: false },
      scale: { type: 'string', default: '1' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const out = resolve(values.out);
  const generated = values.workspace ? null : makeDemoWorkspace();
  const workspace = resolve(values.workspace ?? generated);
  try {
    await withWorkbench({ workspace, theme: values.theme, scale: Number(values.scale), verbose: values.verbose }, async (page) => {
      await openActivity(page, 'Loyal');
      if (!values['no-sidebar']) {
        await capture(page, join(out, 'sidebar.png'), 'sidebar');
        await capture(page, join(out, 'window.png'));
      }
      for (const command of values.command) {
        await runCommand(page, command);
        await capture(page, join(out, `${slug(command)}.png`), 'editor');
      }
    });
  } finally {
    if (generated) rmSync(dirname(generated), { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await main();
  } catch (error) {
    console.error(`screenshot: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
