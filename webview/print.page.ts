// The print cards tab: a preview of the cards to write; Print asks the host to open them in
// the browser (webviews cannot print, see src/panels/printCards.ts).
import '@vscode/codicons/dist/codicon.css';
import './trends/print-cards.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { PrintCard, PrintCardsData, PrintHostMessage, PrintPageMessage, PrintStrings } from '../src/panels/printCards';
import { format, h } from './trends/dom';

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body;
app.removeAttribute('aria-live');
let strings: PrintStrings | undefined;
const status = h('p', { class: 'status', role: 'status' });

function post(message: PrintPageMessage): void {
  vscode.postMessage(message);
}

function card(c: PrintCard, s: PrintStrings): HTMLElement {
  return h(
    'article',
    { class: 'card', 'data-note': c.noteId },
    h('div', { class: 'address', 'aria-label': s.address }, h('div', { class: 'name' }, c.customer), c.address ? h('div', {}, c.address) : h('div', { class: 'missing' }, s.noAddress)),
    h('div', { class: 'text' }, c.text),
    c.signature ? h('div', { class: 'signature' }, c.signature) : null,
  );
}

function render(data: PrintCardsData): void {
  const s = strings;
  if (!s) return;
  const print = h('vscode-button', { icon: 'file-media', class: 'print', disabled: data.cards.length === 0 }, s.print);
  print.addEventListener('click', () => post({ type: 'print' }));
  app.replaceChildren(
    h('header', { class: 'toolbar' }, h('h1', {}, s.title), h('span', { class: 'count' }, format(s.count, data.cards.length)), print),
    h('p', { class: 'hint' }, s.printHint),
    status,
    data.cards.length === 0 ? h('p', { class: 'empty' }, s.empty) : h('div', { class: 'cards' }, ...data.cards.map((c) => card(c, s))),
  );
}

window.addEventListener('message', (event: MessageEvent<PrintHostMessage>) => {
  const message = event.data;
  switch (message?.type) {
    case 'init':
      strings = message.strings;
      render(message.data);
      break;
    case 'update':
      render(message.data);
      break;
    case 'printed':
      status.textContent = message.message;
      break;
    case 'error':
      status.textContent = message.message;
      break;
  }
});

post({ type: 'ready' });
