// Tooltips built from what customers and teammates typed (names, addresses, note texts,
// tags, summaries). They are Markdown so they can be bold and show theme icons, but never
// trusted: VS Code then runs no `command:` link and renders no HTML in them, whatever the
// text (a customer named `[Archive](command:loyal.customer.archive)`), and the text itself
// goes in through escapeMarkdown, so it cannot make a link, an image or a heading either.
import * as vscode from 'vscode';

/** An empty tooltip for user text: theme icons on, untrusted, no HTML. */
export function userTextTooltip(value?: string): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(value, true);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  return tooltip;
}

/**
 * Text as itself in a Markdown tooltip: every character Markdown could read as syntax is
 * escaped, `=` included (a line of them under a name makes a heading) and `:` (a typed
 * `http://...` or `command:...` must not become a link).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$&=:]/g, (c) => `\\${c}`);
}
