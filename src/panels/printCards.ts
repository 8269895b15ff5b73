// Print cards for the handwritten notes still to write: one card per note with the
// customer's name, the postal address, the suggested text and the signature.
//
// VS Code runs webviews in iframes sandboxed without `allow-modals`, so window.print() in a
// webview is silently ignored (microsoft/vscode#67109, and the maintainers' answer in
// vscode-extension-samples#320: printing from webviews is not supported). The tab therefore
// previews the cards, and its Print button writes a self-contained page to
// `.loyal/cards.html` (git-ignored with the rest of `.loyal/`) and opens it in the browser,
// where printing works; the page has its own Print button and one card per sheet.
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { LoyalSession } from '../session';
import type { LoyalFile } from '../domain/records';
import { ensureLoyalFolder, loyalFolderOf } from '../store/backups';
import { WebviewBase } from './webviewBase';

export interface PrintCard {
  noteId: string;
  customer: string;
  /** The address kept on the note (as it was when the note was made), else the customer's. */
  address: string | undefined;
  text: string;
  /** Who signs; empty when the suggested text already ends with the signer's name. */
  signature: string;
  due: string;
}

export interface PrintStrings {
  title: string;
  /** {0} number of cards */
  count: string;
  empty: string;
  print: string;
  printHint: string;
  noAddress: string;
  address: string;
  opened: string;
}

export interface PrintCardsData {
  cards: PrintCard[];
}

export type PrintHostMessage =
  { type: 'init'; strings: PrintStrings; data: PrintCardsData } | { type: 'update'; data: PrintCardsData } | { type: 'printed'; path: string; message: string } | { type: 'error'; message: string };

export type PrintPageMessage = { type: 'ready' } | { type: 'print' };

const PrintPageMessageSchema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('ready') }), z.strictObject({ type: z.literal('print') })]) as z.ZodType<PrintPageMessage>;

/** The notes in the to-write status, soonest due first, as cards. */
export function cardsOf(file: LoyalFile, signer: string): PrintCard[] {
  const customers = new Map(file.customers.map((c) => [c.id, c]));
  return file.notes
    .filter((note) => note.status === 'to-write')
    .map((note): PrintCard => {
      const customer = customers.get(note.customerId);
      const who = (customer?.owner || signer).trim();
      const text = note.text.trim();
      const signers = [who, signer, note.createdBy, note.writtenBy, ...file.team.map((m) => m.name)];
      return {
        noteId: note.id,
        customer: customer?.name ?? note.customerId,
        address: (note.address ?? customer?.address)?.trim() || undefined,
        text,
        // The suggested text ends with "Warmly,\n<name>" (perhaps another teammate's name, or
        // on one line after an edit): a card is signed once.
        signature: who && !signedAlready(text, signers) ? who : '',
        due: note.due,
      };
    })
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.customer.localeCompare(b.customer)));
}

/** The sign-off of the suggested text ("Warmly,"), in the display language. */
function signOff(): string {
  return vscode.l10n.t('Warmly,');
}

/** True when the text ends with a sign-off or a signer's name: the card adds no other signature. */
export function signedAlready(text: string, signers: Array<string | undefined>): boolean {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines.at(-1);
  if (!last) return false;
  if (signers.some((name) => name?.trim() && last.endsWith(name.trim()))) return true;
  const phrase = signOff();
  return lines.slice(-2).some((line) => line.includes(phrase));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const PAGE_STYLE = `
:root { color-scheme: light; }
body { margin: 0; font-family: Georgia, 'Times New Roman', serif; color: #111; background: #f4f4f4; }
.toolbar { display: flex; align-items: center; gap: 16px; padding: 12px 24px; font-family: system-ui, sans-serif; background: #fff; border-bottom: 1px solid #ccc; }
.toolbar button { font: inherit; padding: 6px 16px; cursor: pointer; }
.cards { display: flex; flex-direction: column; align-items: center; gap: 24px; padding: 24px; }
.card { box-sizing: border-box; width: 148mm; min-height: 105mm; padding: 12mm 14mm; background: #fff; border: 1px solid #bbb; display: flex; flex-direction: column; gap: 8mm; }
.address { white-space: pre-line; font-family: system-ui, sans-serif; font-size: 11pt; line-height: 1.35; }
.address .name { font-weight: 600; }
.missing { color: #a00; font-style: italic; }
.text { white-space: pre-line; font-size: 13pt; line-height: 1.5; flex: 1; }
.signature { text-align: right; font-size: 13pt; font-style: italic; }
.empty { font-family: system-ui, sans-serif; padding: 24px; }
@media print {
  @page { margin: 15mm; }
  body { background: none; }
  .toolbar { display: none; }
  .cards { display: block; padding: 0; }
  /* One card per sheet, card-sized, with a dashed line to cut along. */
  .card { margin: 0 auto; border: 1px dashed #999; break-after: page; page-break-after: always; break-inside: avoid; }
  .card:last-child { break-after: auto; page-break-after: auto; }
}
`.trim();

const PAGE_SCRIPT = "document.getElementById('print').addEventListener('click', function () { window.print(); });";

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The printable page: no network, no inline code but the two blocks whose hashes the CSP
 * names, and every piece of user text escaped.
 */
export function cardsHtml(cards: PrintCard[], strings: PrintStrings, lang: string): string {
  const csp = `default-src 'none'; style-src ${sha256(PAGE_STYLE)}; script-src ${sha256(PAGE_SCRIPT)}`;
  const body = cards
    .map((card) => {
      const address = card.address
        ? `<div class="address" aria-label="${escapeHtml(strings.address)}"><div class="name">${escapeHtml(card.customer)}</div>${escapeHtml(card.address)}</div>`
        : `<div class="address"><div class="name">${escapeHtml(card.customer)}</div><div class="missing">${escapeHtml(strings.noAddress)}</div></div>`;
      const signature = card.signature ? `<div class="signature">${escapeHtml(card.signature)}</div>` : '';
      return `<article class="card" data-note="${escapeHtml(card.noteId)}">${address}<div class="text">${escapeHtml(card.text)}</div>${signature}</article>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(strings.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<div class="toolbar"><button type="button" id="print">${escapeHtml(strings.print)}</button><span>${escapeHtml(strings.count.replace('{0}', String(cards.length)))}</span></div>
<main class="cards">
${cards.length === 0 ? `<p class="empty">${escapeHtml(strings.empty)}</p>` : body}
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

export function printStrings(): PrintStrings {
  return {
    title: vscode.l10n.t('Cards to write'),
    count: vscode.l10n.t('{0} cards, one per page.'),
    empty: vscode.l10n.t('No handwritten notes are waiting to be written.'),
    print: vscode.l10n.t('Print…'),
    printHint: vscode.l10n.t('Editor tabs cannot print: Print opens these cards in your browser, one card per page.'),
    noAddress: vscode.l10n.t('No postal address on file: add one on the customer page.'),
    address: vscode.l10n.t('Address'),
    opened: vscode.l10n.t('The cards are open in your browser: print them from there.'),
  };
}

export interface PrintCardsDeps {
  extensionUri: vscode.Uri;
  session: LoyalSession;
}

export class PrintCardsPanel extends WebviewBase<PrintPageMessage, PrintHostMessage> {
  static readonly viewType = 'loyal.printCards';
  private static instance: PrintCardsPanel | undefined;

  static show(deps: PrintCardsDeps): PrintCardsPanel {
    if (PrintCardsPanel.instance && !PrintCardsPanel.instance.isDisposed) {
      PrintCardsPanel.instance.reveal();
      return PrintCardsPanel.instance;
    }
    PrintCardsPanel.instance = new PrintCardsPanel(deps);
    return PrintCardsPanel.instance;
  }

  private readonly session: LoyalSession;
  private readonly strings = printStrings();

  private constructor(deps: PrintCardsDeps) {
    super({ extensionUri: deps.extensionUri, viewType: PrintCardsPanel.viewType, title: vscode.l10n.t('Cards to write'), page: 'print' }, PrintPageMessageSchema);
    this.session = deps.session;
    this.disposables.push(
      deps.session.onDidChange(() => {
        if (this.panel.visible && this.session.state === 'ok') this.post({ type: 'update', data: this.data() });
      }),
    );
  }

  data(): PrintCardsData {
    return { cards: this.session.state === 'ok' ? cardsOf(this.session.file, this.session.user) : [] };
  }

  protected initMessage(): PrintHostMessage {
    return { type: 'init', strings: this.strings, data: this.data() };
  }

  protected async handle(message: PrintPageMessage): Promise<void> {
    if (message.type !== 'print') return;
    const path = await writeCardsFile(this.session);
    if (!path) return this.post({ type: 'error', message: vscode.l10n.t('There is no readable Loyal data file yet.') });
    const opened = await openInBrowser(path);
    this.post({ type: 'printed', path, message: opened ? this.strings.opened : remoteHint(path) });
  }
}

/** Writes `.loyal/cards.html` beside the data file; returns its path. */
export async function writeCardsFile(session: LoyalSession): Promise<string | undefined> {
  const store = session.store;
  if (!store || session.state !== 'ok') return undefined;
  await ensureLoyalFolder(store.path);
  await session.whenUserKnown();
  const path = join(loyalFolderOf(store.path), 'cards.html');
  await writeFile(path, cardsHtml(cardsOf(session.file, session.user), printStrings(), vscode.env.language || 'en'), 'utf8');
  return path;
}

function remoteHint(path: string): string {
  return vscode.l10n.t(
    'The cards are saved in {0}. This window runs on another machine: download that file (Explorer, right-click, Download) and open it in your browser to print.',
    vscode.workspace.asRelativePath(path),
  );
}

/**
 * Opens the page in the person's browser. A file path means something only on the machine
 * the extension runs on, so in a remote or web window the file is revealed instead.
 */
async function openInBrowser(path: string): Promise<boolean> {
  const uri = vscode.Uri.file(path);
  if (vscode.env.remoteName || vscode.env.uiKind === vscode.UIKind.Web) {
    await vscode.commands.executeCommand('revealInExplorer', uri).then(undefined, () => undefined);
    return false;
  }
  return vscode.env.openExternal(uri);
}

export function registerPrintCards(context: vscode.ExtensionContext, session: LoyalSession, deps?: PrintCardsDeps): void {
  const panelDeps: PrintCardsDeps = deps ?? { extensionUri: context.extensionUri, session };
  context.subscriptions.push(
    vscode.commands.registerCommand('loyal.notes.print', () => {
      if (session.state !== 'ok') {
        void vscode.window.showWarningMessage(vscode.l10n.t('There is no readable Loyal data file yet.'));
        return undefined;
      }
      return PrintCardsPanel.show(panelDeps);
    }),
  );
}
