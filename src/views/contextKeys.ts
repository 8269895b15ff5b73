// The context keys Loyal sets for the welcome views, menus and walkthrough (`setContext`),
// each only when its value changes, with a log of them in order for the tests.
import * as vscode from 'vscode';

/** Every `setContext` Loyal made in this window, oldest first (what the welcome views and menus see). */
export type ContextLog = Array<{ key: string; value: unknown }>;

export class ContextKeys {
  readonly log: ContextLog = [];
  private readonly values = new Map<string, unknown>();

  set(key: string, value: unknown): void {
    if (this.values.has(key) && this.values.get(key) === value) return;
    this.values.set(key, value);
    if (this.log.length > 500) this.log.splice(0, 100);
    this.log.push({ key, value });
    void vscode.commands.executeCommand('setContext', key, value);
  }
}
