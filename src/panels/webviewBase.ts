// The host side of every Loyal webview (pattern of vscode-pull-request-github's WebviewBase):
// one editor tab per thing shown, an HTML shell under a strict CSP with nothing inline, and
// a message loop where every incoming message is checked with zod before it is acted on.
// The page posts `ready` when it has loaded (again after being hidden, since its context is
// not retained) and the host answers with `init`.
import * as vscode from 'vscode';
import type { z } from 'zod';
import { describeIssues } from './protocol';
import type { FieldErrorCode } from './forms';

let log: vscode.LogOutputChannel | undefined;
/** The log of the Loyal pages: refused messages and failed saves, for support. */
export function panelLog(): vscode.LogOutputChannel {
  return (log ??= vscode.window.createOutputChannel('Loyal', { log: true }));
}

export function nonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += alphabet.charAt(Math.floor(Math.random() * alphabet.length));
  return out;
}

export interface PanelOptions {
  extensionUri: vscode.Uri;
  /** The webview type (also the key VS Code uses to restore tabs). */
  viewType: string;
  title: string;
  /** `webview/<page>.page.ts`, bundled to `dist/webview/<page>.page.js` and `.css`. */
  page: string;
  column?: vscode.ViewColumn;
  iconPath?: vscode.Uri | { light: vscode.Uri; dark: vscode.Uri };
}

/** The HTML shell: no inline script or style; the page's script by nonce, its CSS from dist. */
export function shellHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: string, title: string): string {
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${page}.page.js`));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${page}.page.css`));
  const n = nonce();
  const csp = ["default-src 'none'", `script-src 'nonce-${n}'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`].join('; ');
  const lang = escapeAttribute(vscode.env.language || 'en');
  // The page CSS includes the codicons; vscode-icon looks for it by this id to load the font in its shadow roots.
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${styleUri.toString()}">
<title>${escapeText(title)}</title>
</head>
<body>
<main id="app"></main>
<script type="module" nonce="${n}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}
function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/**
 * One webview panel. Subclasses give the schema of what the page may post, the `init`
 * message, and a handler for the rest. `receive` is also the test hook: it takes what the
 * page would post and returns what the host posted back while handling it.
 */
export abstract class WebviewBase<Incoming extends { type: string }, Outgoing extends { type: string }> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  protected readonly disposables: vscode.Disposable[] = [];
  private collecting: Outgoing[] | undefined;
  private disposed = false;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;

  protected constructor(
    options: PanelOptions,
    private readonly incoming: z.ZodType<Incoming>,
  ) {
    this.panel = vscode.window.createWebviewPanel(options.viewType, options.title, options.column ?? vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(options.extensionUri, 'dist'), vscode.Uri.joinPath(options.extensionUri, 'media')],
    });
    if (options.iconPath) this.panel.iconPath = options.iconPath;
    this.panel.webview.html = shellHtml(this.panel.webview, options.extensionUri, options.page, options.title);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** What the page gets on `ready`: its data and its translated strings. */
  protected abstract initMessage(): Outgoing | Promise<Outgoing>;
  /** Every message but `ready`, already validated. */
  protected abstract handle(message: Incoming): Promise<void>;

  /** Validates and handles one message from the page; returns what was posted back meanwhile. */
  async receive(raw: unknown): Promise<Outgoing[]> {
    const replies: Outgoing[] = [];
    const previous = this.collecting;
    this.collecting = replies;
    try {
      const parsed = this.incoming.safeParse(raw);
      if (!parsed.success) {
        const detail = describeIssues(parsed.error);
        panelLog().error(`${this.panel.viewType}: refused a message from the page: ${detail}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Loyal refused a message from the page, and changed nothing: {0}', detail));
        return replies;
      }
      if (parsed.data.type === 'ready') this.post(await this.initMessage());
      else await this.handle(parsed.data);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      panelLog().error(`${this.panel.viewType}: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Loyal: {0}', message));
    } finally {
      this.collecting = previous;
    }
    return replies;
  }

  protected post(message: Outgoing): void {
    this.collecting?.push(message);
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Field errors as the `invalid` reply carries them: code and translated message per field. */
export function translatedErrors(errors: Partial<Record<string, FieldErrorCode>>, strings: Record<string, string>): Record<string, { code: FieldErrorCode; message: string }> {
  const out: Record<string, { code: FieldErrorCode; message: string }> = {};
  for (const [field, code] of Object.entries(errors)) {
    if (code) out[field] = { code, message: strings[`error.${code}`] ?? code };
  }
  return out;
}
