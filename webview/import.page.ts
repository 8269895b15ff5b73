// The import page: file, recognised source or column mapping, tags to categories,
// problems with their lines, the summary and the first rows as Loyal records. It only
// shows what the host planned and sends the user's choices back; the host writes.
// Lit templates escape every value: file contents are shown as text.
import '@vscode/codicons/dist/codicon.css';
import '../media/webview.css';
import './import/import.css';
import { html, nothing, render, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { ImportHostMessage, ImportView } from '../src/panels/importPanel';

type Strings = Record<string, string>;
const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body;
let strings: Strings = {};
let view: ImportView | undefined;
let status = '';

const t = (key: string, ...values: Array<string | number>): string => (strings[key] ?? key).replace(/\{(\d+)\}/g, (m, i: string) => (values[Number(i)] === undefined ? m : String(values[Number(i)])));
const post = (message: unknown): void => vscode.postMessage(message);
const CATEGORIES = ['product', 'people', 'timeliness', 'process', 'other'];

function select(id: string, value: string, choices: Array<[string, string]>, onChange: (value: string) => void, label: string): TemplateResult {
  return html`<vscode-single-select id=${id} aria-label=${label} .value=${live(value)} @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}>
    ${choices.map(([v, l]) => html`<vscode-option value=${v}>${l}</vscode-option>`)}
  </vscode-single-select>`;
}

function mappingSection(v: ImportView): TemplateResult | typeof nothing {
  if (!v.mapping && v.source !== undefined) {
    if (v.loyal) return nothing;
    return html`<p>
      <vscode-button secondary id="map-instead" @click=${() => post({ type: 'options', mapping: { kind: v.kind ?? 'purchases', mapping: v.guesses?.[v.kind ?? 'purchases'] ?? {} } })}
        >${t('mapInstead')}</vscode-button
      >
    </p>`;
  }
  const choice = v.mapping ?? { kind: 'purchases' as const, mapping: v.guesses?.purchases ?? {} };
  // The "use the recognised layout" button only makes sense when the file is a known export.
  const detectedBefore = v.detected;
  const send = (next: Partial<typeof choice>): void => post({ type: 'options', mapping: { ...choice, ...next } });
  const columns: Array<[string, string]> = [['', t('noColumn')], ...v.header.map((h): [string, string] => [h, h])];
  const formats = v.dateFormats ?? [];
  return html`<section class="mapping" aria-labelledby="map-title">
    <h2 id="map-title">${t('mapTitle')}</h2>
    <p class="hint">${t('mapHint')}</p>
    <div class="row">
      <label for="map-kind">${t('kind')}</label>
      ${select(
        'map-kind',
        choice.kind,
        (['customers', 'purchases', 'incidents'] as const).map((k): [string, string] => [k, t(`kind.${k}`)]),
        (kind) => send({ kind: kind as typeof choice.kind, mapping: v.guesses?.[kind as typeof choice.kind] ?? {} }),
        t('kind'),
      )}
    </div>
    <table class="fields">
      <thead>
        <tr>
          <th scope="col">Loyal</th>
          <th scope="col">${t('column')}</th>
        </tr>
      </thead>
      <tbody>
        ${v.fields[choice.kind].map(
          (field) =>
            html`<tr>
              <th scope="row"><label for=${`map-${field}`}>${field}</label></th>
              <td>
                ${select(
                  `map-${field}`,
                  choice.mapping[field] ?? '',
                  columns,
                  (column) => {
                    const mapping = { ...choice.mapping };
                    if (column) mapping[field] = column;
                    else delete mapping[field];
                    send({ mapping });
                  },
                  field,
                )}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <div class="row">
      <label for="map-date">${t('dateFormat')}</label>
      ${select(
        'map-date',
        choice.dateFormat ?? formats[0] ?? 'YYYY-MM-DD',
        (['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const).map((f): [string, string] => [f, f]),
        (dateFormat) => send({ dateFormat: dateFormat as typeof choice.dateFormat }),
        t('dateFormat'),
      )}
      ${formats.length > 1 ? html`<span class="warning" role="note">${t('dateAmbiguous')}</span>` : nothing}
    </div>
    <div class="row">
      <label for="map-decimal">${t('decimal')}</label>
      ${select(
        'map-decimal',
        choice.decimal ?? (v.mapping ? '' : (v.decimal ?? '')),
        [
          ['', t('decimal.guess')],
          ['comma', t('decimal.comma')],
          ['dot', t('decimal.dot')],
        ],
        (decimal) => send({ decimal: (decimal || undefined) as typeof choice.decimal }),
        t('decimal'),
      )}
    </div>
    ${v.mapping ? nothing : html`<p><vscode-button id="use-mapping" @click=${() => send({ dateFormat: choice.dateFormat ?? formats[0], decimal: choice.decimal ?? v.decimal })}>${t('useMapping')}</vscode-button></p>`}
    ${v.mapping && v.source !== 'mapped' ? nothing : v.mapping && detectedBefore ? html`<p><vscode-button secondary @click=${() => post({ type: 'options', mapping: null })}>${t('useDetected')}</vscode-button></p>` : nothing}
  </section>`;
}

function tagsSection(v: ImportView): TemplateResult | typeof nothing {
  if (v.kind !== 'incidents' || v.tags.length === 0) return nothing;
  return html`<section aria-labelledby="tags-title">
    <h2 id="tags-title">${t('tagsTitle')}</h2>
    <p class="hint">${t('tagsHint')}</p>
    <table class="tag-map">
      <thead>
        <tr>
          <th scope="col">${t('tag')}</th>
          <th scope="col" class="number">${t('count')}</th>
          <th scope="col">${t('category')}</th>
        </tr>
      </thead>
      <tbody>
        ${v.tags.slice(0, 200).map(
          (use, i) =>
            html`<tr>
              <th scope="row">${use.tag}</th>
              <td class="number">${use.count}</td>
              <td>
                ${select(
                  `tag-${i}`,
                  v.categories[use.tag] ?? 'other',
                  CATEGORIES.map((c): [string, string] => [c, t(`category.${c}`)]),
                  (category) => post({ type: 'options', categories: { [use.tag]: category } }),
                  use.tag,
                )}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${v.summary.otherCategory ? html`<p class="other-count">${t('otherCount', v.summary.otherCategory)}</p>` : nothing}
  </section>`;
}

function problemsSection(v: ImportView): TemplateResult | typeof nothing {
  const skippable = Object.entries(v.skippable) as Array<[string, number]>;
  if (v.errors.length === 0 && skippable.length === 0) return nothing;
  const toggle = (kind: string, on: boolean): void => post({ type: 'options', skip: on ? [...new Set([...v.skip, kind])] : v.skip.filter((k) => k !== kind) });
  return html`<section class="problems" aria-labelledby="problems-title">
    ${v.errors.length ? html`<h2 id="problems-title">${v.errors.length === 1 ? t('problemTitle') : t('problemsTitle', v.errors.length)}</h2>` : nothing}
    ${skippable.map(
      ([kind, n]) =>
        html`<p>
          <vscode-checkbox id=${`skip-${kind}`} .checked=${live(v.skip.includes(kind as never))} @change=${() => toggle(kind, !v.skip.includes(kind as never))}
            >${t(`skip.${kind}`, n)}</vscode-checkbox
          >
        </p>`,
    )}
    ${
      v.errors.length
        ? html`<table class="errors">
              <thead>
                <tr>
                  <th scope="col" class="number">${t('line')}</th>
                  <th scope="col">${t('column')}</th>
                  <th scope="col">${t('problem')}</th>
                </tr>
              </thead>
              <tbody>
                ${v.errors.slice(0, 200).map(
                  (e) =>
                    html`<tr>
                      <td class="number">${e.line}</td>
                      <td>${e.column ?? ''}</td>
                      <td>${e.message}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${v.errors.length > 200 ? html`<p>${t('problemsMore', v.errors.length - 200)}</p>` : nothing}`
        : nothing
    }
  </section>`;
}

function summarySection(v: ImportView): TemplateResult | typeof nothing {
  if (v.source === undefined || (v.errors.length && !v.preview.length)) return nothing;
  const s = v.summary;
  const items = (['created', 'matched', 'purchases', 'refunds', 'incidents', 'satisfactionChecks', 'updated', 'unchanged'] as const).filter(
    (k) => s[k] > 0 || ['created', 'matched', 'purchases', 'incidents'].includes(k),
  );
  const skipped = Object.entries(s.skipped);
  return html`<section aria-labelledby="summary-title">
    <h2 id="summary-title">${t('summaryTitle')}</h2>
    <ul class="summary">
      ${items.map((k) => html`<li data-key=${k}>${t(`summary.${k}`, s[k])}</li>`)}
    </ul>
    ${skipped.length ? html`<p class="skipped"><strong>${t('skippedTitle')}:</strong> ${skipped.map(([reason, n]) => (strings[`reason.${reason}`] ? t(`reason.${reason}`, n) : `${n} ${reason}`)).join(', ')}</p>` : nothing}
  </section>`;
}

function previewSection(v: ImportView): TemplateResult | typeof nothing {
  if (v.preview.length === 0) {
    if (v.source !== undefined || v.sample.length === 0) return nothing;
    // Unknown layout: the raw first rows help to map the columns.
    return html`<section aria-labelledby="sample-title">
      <h2 id="sample-title">${t('sampleTitle')}</h2>
      <div class="scroll">
        <table class="preview">
          <thead>
            <tr>
              ${v.header.map((h) => html`<th scope="col">${h}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${v.sample.map(
              (row) =>
                html`<tr>
                  ${v.header.map((_, i) => html`<td>${row[i] ?? ''}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }
  return html`<section aria-labelledby="preview-title">
    <h2 id="preview-title">${t('previewTitle')}</h2>
    <div class="scroll">
      <table class="preview">
        <thead>
          <tr>
            <th scope="col" class="number">${t('line')}</th>
            <th scope="col">${t('status')}</th>
            ${v.previewColumns.map((c) => html`<th scope="col">${c}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${v.preview.map(
            (r) =>
              html`<tr class=${`status-${r.status}`}>
                <td class="number">${r.line}</td>
                <td>${t(`status.${r.status}`)}</td>
                ${v.previewColumns.map((c) => html`<td class=${`col-${c}`}>${r.values[c] ?? ''}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

function draw(): void {
  const v = view;
  const facts = v ? t('fileFacts', v.rows, v.encoding, v.separator) : '';
  render(
    html`<header class="toolbar">
        <h1>${t('title')}</h1>
        <vscode-button id="choose" icon="folder-opened" @click=${() => post({ type: 'chooseFile' })}>${t('choose')}</vscode-button>
      </header>
      <p class="hint">${t('intro')}</p>
      <p class="status" role="status" aria-live="polite">${status}</p>
      ${
        v
          ? html`<section class="file">
                <h2>${v.fileName}</h2>
                <p class="facts">${facts}</p>
                <p class="detected">${v.source === undefined ? t('unknown') : v.loyal ? t('loyalFormat') : v.source === 'mapped' ? t('mappedSource') : t('detected', v.sourceLabel)}</p>
              </section>
              ${mappingSection(v)} ${problemsSection(v)} ${tagsSection(v)} ${summarySection(v)} ${previewSection(v)}
              <p class="actions"><vscode-button id="import" ?disabled=${!v.canImport} @click=${() => post({ type: 'import' })}>${t('importButton')}</vscode-button></p>`
          : html`<p class="empty">${t('nothingYet')}</p>`
      }`,
    app,
  );
}

window.addEventListener('message', (event: MessageEvent<ImportHostMessage>) => {
  const message = event.data;
  switch (message?.type) {
    case 'init':
      strings = message.strings;
      view = message.view;
      break;
    case 'view':
      view = message.view;
      status = '';
      break;
    case 'imported':
    case 'status':
      status = message.message;
      break;
    default:
      return;
  }
  draw();
});

post({ type: 'ready' });
