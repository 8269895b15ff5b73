// Helpers shared by the panel tests. Each test file is bundled on its own, with its own copies
// of the extension's classes, so the tests drive the extension's panel instances returned by
// the commands and never construct or look them up themselves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activateLoyal, resetWorkspaceFile, testWorkspace, waitFor } from './harness';
import type { LoyalApi } from '../../src/extension';

export interface HostReply {
  type: string;
  requestId?: string;
  id?: string;
  message?: string;
  errors?: Record<string, { code: string; message: string }>;
  strings?: Record<string, string>;
  data?: Record<string, unknown> & { values: Record<string, unknown> };
}

/** What the tests use of a panel: the test hook and the real webview panel. */
export interface PanelHandle {
  receive(message: unknown): Promise<HostReply[]>;
  panel: vscode.WebviewPanel;
  id?: string;
}

export function dataPath(): string {
  return join(testWorkspace(), 'loyal.json');
}

export function fileText(): string {
  return readFileSync(dataPath(), 'utf8');
}

export function fileJson(): { customers: Array<Record<string, unknown>>; incidents: Array<Record<string, unknown>>; purchases: Array<Record<string, unknown>> } {
  return JSON.parse(fileText());
}

/** Puts the fixture book back on disk and waits until the session has read it. */
export async function freshBook(): Promise<LoyalApi> {
  const extension = await activateLoyal<LoyalApi>();
  const api = extension.exports;
  await api.ready;
  resetWorkspaceFile('loyal.json');
  const expected = fileText();
  await vscode.commands.executeCommand('loyal.refresh');
  await waitFor('the session to hold the fixture book', () => {
    if (api.session.state !== 'ok') return false;
    const file = api.session.file;
    const onDisk = JSON.parse(expected) as { incidents: unknown[]; purchases: unknown[]; customers: Array<{ phone?: string }> };
    return file.incidents.length === onDisk.incidents.length && file.purchases.length === onDisk.purchases.length && JSON.stringify(file.customers) === JSON.stringify(onDisk.customers);
  });
  return api;
}

export function only(replies: HostReply[], type: string): HostReply {
  const found = replies.find((r) => r.type === type);
  if (!found) throw new Error(`expected a "${type}" reply, got ${JSON.stringify(replies.map((r) => r.type))}: ${JSON.stringify(replies).slice(0, 500)}`);
  return found;
}
