// Form building blocks shared by the pages: labelled fields with their message in place,
// a tag editor, and local date-time conversion. Lit templates escape every value, so user
// text is shown as text; nothing here uses unsafeHTML or innerHTML.
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { format, formatISO } from 'date-fns';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-form-group/index.js';
import '@vscode-elements/elements/dist/vscode-form-helper/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';

export type Strings = Record<string, string>;

/** The string for a key, or the key itself so a missing translation shows up instead of a blank. */
export function word(strings: Strings, key: string): string {
  return strings[key] ?? key;
}

export interface FieldFrame {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  wide?: boolean;
}

/** A label tied to its control, the control, then the error (announced) or the hint. */
export function field(frame: FieldFrame, control: TemplateResult): TemplateResult {
  return html`<div class="field ${frame.wide ? 'wide' : ''} ${frame.error ? 'has-error' : ''}">
    <label class="field-label" for=${frame.id} id=${`${frame.id}-label`}>${frame.label}${frame.required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</label>
    ${control}
    ${
      frame.error
        ? html`<div class="field-error" id=${`${frame.id}-message`} role="alert"><vscode-icon name="error"></vscode-icon><span>${frame.error}</span></div>`
        : frame.hint
          ? html`<div class="field-hint" id=${`${frame.id}-message`}>${frame.hint}</div>`
          : nothing
    }
  </div>`;
}

export function textControl(
  id: string,
  value: string,
  onInput: (value: string) => void,
  options: { error?: string; type?: string; placeholder?: string; required?: boolean; maxLength?: number } = {},
): TemplateResult {
  return html`<vscode-textfield
    id=${id}
    name=${id}
    type=${options.type ?? 'text'}
    .value=${live(value)}
    ?invalid=${!!options.error}
    ?required=${!!options.required}
    placeholder=${options.placeholder ?? ''}
    aria-describedby=${`${id}-message`}
    data-submit-on-enter
    @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
  ></vscode-textfield>`;
}

export function textareaControl(id: string, value: string, onInput: (value: string) => void, options: { error?: string; rows?: number } = {}): TemplateResult {
  return html`<vscode-textarea
    id=${id}
    name=${id}
    rows=${options.rows ?? 3}
    resize="vertical"
    .value=${live(value)}
    ?invalid=${!!options.error}
    aria-describedby=${`${id}-message`}
    @input=${(e: Event) => onInput((e.target as HTMLTextAreaElement).value)}
  ></vscode-textarea>`;
}

export interface Choice {
  value: string;
  label: string;
  description?: string;
}

export function selectControl(id: string, value: string, choices: Choice[], onChange: (value: string) => void, options: { error?: string; placeholder?: string } = {}): TemplateResult {
  // An empty first option keeps "not chosen yet" visible instead of pre-selecting the first choice.
  return html`<vscode-single-select
    id=${id}
    name=${id}
    .value=${live(value)}
    ?invalid=${!!options.error}
    aria-describedby=${`${id}-message`}
    @change=${(e: Event) => onChange((e.target as HTMLSelectElement).value)}
  >
    ${options.placeholder !== undefined ? html`<vscode-option value="">${options.placeholder}</vscode-option>` : nothing}
    ${choices.map((c) => html`<vscode-option value=${c.value} description=${c.description ?? ''}>${c.label}</vscode-option>`)}
  </vscode-single-select>`;
}

/** Free text with suggestions: a native input with a datalist (the web components' inputs sit in a shadow root a datalist cannot reach). */
export function suggestControl(id: string, value: string, suggestions: readonly string[], onInput: (value: string) => void, options: { error?: string } = {}): TemplateResult {
  return html`<input
      class="native-input ${options.error ? 'invalid' : ''}"
      id=${id}
      name=${id}
      list=${`${id}-list`}
      autocomplete="off"
      .value=${live(value)}
      aria-invalid=${options.error ? 'true' : 'false'}
      aria-describedby=${`${id}-message`}
      data-submit-on-enter
      @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
    />
    <datalist id=${`${id}-list`}>${suggestions.map((s) => html`<option value=${s}></option>`)}</datalist>`;
}

/**
 * Tags as removable chips plus an input: Enter or a comma adds what was typed (so Enter
 * here does not submit the form), Backspace in the empty input removes the last tag.
 */
export function tagsControl(id: string, tags: readonly string[], suggestions: readonly string[], onChange: (tags: string[]) => void, removeLabel: string): TemplateResult {
  const add = (input: HTMLInputElement): void => {
    const words = input.value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    input.value = '';
    if (words.length) onChange([...tags, ...words.filter((w) => !tags.some((t) => t.toLowerCase() === w.toLowerCase()))]);
  };
  return html`<div class="tags" role="group" aria-labelledby=${`${id}-label`}>
    ${tags.map(
      (tag, index) =>
        html`<span class="tag"
          ><span class="tag-text">${tag}</span
          ><button type="button" class="tag-remove" aria-label=${`${removeLabel} ${tag}`} title=${`${removeLabel} ${tag}`} @click=${() => onChange(tags.filter((_, i) => i !== index))}>
            <vscode-icon name="close" size="12"></vscode-icon></button
        ></span>`,
    )}
    <input
      class="native-input tag-input"
      id=${id}
      list=${`${id}-list`}
      autocomplete="off"
      aria-describedby=${`${id}-message`}
      @keydown=${(e: KeyboardEvent) => {
        const input = e.target as HTMLInputElement;
        if ((e.key === 'Enter' && !(e.ctrlKey || e.metaKey)) || e.key === ',') {
          if (input.value.trim()) {
            e.preventDefault();
            e.stopPropagation();
            add(input);
          } else if (e.key === ',') e.preventDefault();
        } else if (e.key === 'Backspace' && input.value === '' && tags.length) {
          onChange(tags.slice(0, -1));
        }
      }}
      @change=${(e: Event) => {
        // Picking a suggestion from the list fires change without a key press.
        const input = e.target as HTMLInputElement;
        if (suggestions.includes(input.value.trim())) add(input);
      }}
      @blur=${(e: Event) => add(e.target as HTMLInputElement)}
    />
    <datalist id=${`${id}-list`}>${suggestions.filter((s) => !tags.includes(s)).map((s) => html`<option value=${s}></option>`)}</datalist>
  </div>`;
}

/** The value a datetime-local input shows for an instant, in the person's own time zone. */
export function localInputOf(instant: string): string {
  if (!instant) return '';
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? '' : format(date, "yyyy-MM-dd'T'HH:mm");
}

/** The instant, with the local offset, of what a datetime-local input holds ('' stays ''). */
export function instantOfLocalInput(local: string): string {
  if (!local) return '';
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : formatISO(date);
}

export function dateTimeControl(id: string, instant: string, onChange: (instant: string) => void, nowLabel: string, nowAria: string, options: { error?: string } = {}): TemplateResult {
  return html`<div class="with-button">
    <vscode-textfield
      id=${id}
      name=${id}
      type="datetime-local"
      .value=${live(localInputOf(instant))}
      ?invalid=${!!options.error}
      aria-describedby=${`${id}-message`}
      data-submit-on-enter
      @change=${(e: Event) => onChange(instantOfLocalInput((e.target as HTMLInputElement).value))}
      @input=${(e: Event) => onChange(instantOfLocalInput((e.target as HTMLInputElement).value))}
    ></vscode-textfield>
    <vscode-button secondary aria-label=${nowAria} title=${nowAria} @click=${() => onChange(formatISO(new Date()))}>${nowLabel}</vscode-button>
  </div>`;
}

export function banner(kind: 'error' | 'info' | 'warning', text: string, close?: { label: string; onClose: () => void }): TemplateResult {
  return html`<div class="banner ${kind}" role=${kind === 'error' ? 'alert' : 'status'}>
    <vscode-icon name=${kind === 'error' ? 'error' : kind === 'warning' ? 'warning' : 'info'}></vscode-icon>
    <span class="banner-text">${text}</span>
    ${close ? html`<vscode-button secondary icon="close" aria-label=${close.label} title=${close.label} @click=${close.onClose}></vscode-button>` : nothing}
  </div>`;
}

/**
 * Enter in a one-line field and Ctrl/Cmd+Enter anywhere submit; Escape is left to the
 * controls (it closes a dropdown) and never clears anything.
 */
export function installSubmitKeys(submit: () => void): void {
  document.addEventListener('keydown', (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || e.isComposing) return;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    const host = e.target as HTMLElement | null;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      submit();
      return;
    }
    if (host?.closest?.('[data-submit-on-enter]') && target?.tagName === 'INPUT') {
      e.preventDefault();
      submit();
    }
  });
}
