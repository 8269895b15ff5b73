// Helpers for the integration tests: where the test workspace and the fixtures are, the
// extension under test, and waiting for what the host does asynchronously.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';

/** publisher.name from package.json. */
export const EXTENSION_ID = 'loyal-crm.loyal';

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`npm run test:integration\`.`);
  return value;
}

/** Absolute path of the throwaway copy of test/fixtures/workspace the host has open. */
export function testWorkspace(): string {
  return requiredEnv('LOYAL_TEST_WORKSPACE');
}

/** Absolute path of test/fixtures in the repository (read-only for tests). */
export function fixturesDir(): string {
  return requiredEnv('LOYAL_TEST_FIXTURES');
}

/** 'server' (VS Code server + Chromium) or 'desktop' (@vscode/test-electron). */
export function hostKind(): 'server' | 'desktop' {
  return process.env.LOYAL_TEST_HOST === 'server' ? 'server' : 'desktop';
}

/** URI of a file in the test workspace. */
export function workspaceUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.file(join(testWorkspace(), ...segments));
}

/**
 * Puts a file of the test workspace back to its fixture (test/fixtures/workspace/<relative>),
 * or copies another fixture over it: `resetWorkspaceFile('loyal.json', 'data/two-customers.json')`.
 */
export function resetWorkspaceFile(relative: string, fixture = join('workspace', relative)): string {
  const source = resolve(fixturesDir(), fixture);
  if (!existsSync(source)) throw new Error(`No fixture ${source}.`);
  const target = join(testWorkspace(), relative);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  return target;
}

export function readWorkspaceJson<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(join(testWorkspace(), relative), 'utf8')) as T;
}

/** The extension under test, activated; fails the test when it is missing or activation throws. */
export async function activateLoyal<T = unknown>(): Promise<vscode.Extension<T>> {
  const extension = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!extension) throw new Error(`Extension ${EXTENSION_ID} is not installed in the test host.`);
  await extension.activate();
  return extension;
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}.`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Closes every editor, so that one test's pages do not leak into the next. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The extension's API once the views are populated and the first lifetime values are in. */
export async function loyalApi(): Promise<LoyalApi> {
  const extension = await activateLoyal<LoyalApi>();
  await extension.exports.ready;
  return extension.exports;
}

/** The labels a person reads in a tree view, at the top level or under `parent`. */
export async function treeLabels<T>(provider: vscode.TreeDataProvider<T>, parent?: T): Promise<string[]> {
  const children = (await provider.getChildren(parent)) ?? [];
  return Promise.all(children.map(async (c) => String((await provider.getTreeItem(c)).label)));
}

/** The top-level node of a tree view with this label. */
export async function treeGroup<T>(provider: vscode.TreeDataProvider<T>, label: string): Promise<T | undefined> {
  for (const node of (await provider.getChildren()) ?? []) {
    if (String((await provider.getTreeItem(node)).label) === label) return node;
  }
  return undefined;
}

/** Puts the fixture book back and waits until the session and its lifetime values hold it. */
export async function freshFixture(loyal: LoyalApi): Promise<string> {
  const path = resetWorkspaceFile('loyal.json');
  await loyal.session.reload();
  await waitFor('the fixture book', () => loyal.session.state === 'ok' && loyal.session.file.customers.length === 5);
  await loyal.session.settled();
  return path;
}
