// The incident form, in the webview. It checks the input as the person types (the same
// checks as the host, from src/panels/forms.ts), sends only what changed when editing, and
// shows the host's verdict next to each field. The host is the authority: it re-checks.
import './shared/zodConfig';
import '@vscode/codicons/dist/codicon.css';
import '../media/webview.css';
import { html, nothing, render, type TemplateResult } from 'lit';
import { IncidentHostMessage, type IncidentFormData, type IncidentWebviewMessage } from '../src/panels/protocol';
import { checkIncidentForm, INCIDENT_FIELDS, type IncidentField, type IncidentFormValues } from '../src/panels/forms';
import { connect, fmt, requestId } from './shared/host';
import { installOneTabStopFields } from './shared/keyboard';
import { adoptOutsideChanges, touchedFields } from './shared/edits';
import { banner, dateTimeControl, field, installSubmitKeys, selectControl, suggestControl, tagsControl, textControl, textareaControl, word, type Choice, type Strings } from './shared/fields';

interface SavedState {
  key: string;
  values: IncidentFormValues;
}

const CUSTOMER_ID = /^cus_[0-9a-z]{4,32}$/;

class IncidentFormPage {
  private strings: Strings = {};
  private data: IncidentFormData | undefined;
  private values: IncidentFormValues | undefined;
  private base: IncidentFormValues | undefined;
  private errors: Partial<Record<IncidentField, string>> = {};
  private status: { kind: 'error' | 'info' | 'warning'; text: string } | undefined;
  private saving = false;
  private adoptNextUpdate = false;
  /** Fields the person has left at least once: their errors show as they type from then on. */
  private readonly touched = new Set<IncidentField>();
  private submitted = false;
  private readonly link = connect<IncidentHostMessage, IncidentWebviewMessage>(
    IncidentHostMessage,
    (m) => this.onMessage(m),
    (detail) => this.showStatus('error', fmt(this.strings['page.refused'] ?? 'The page refused a message from Loyal: {0}', detail)),
  );

  constructor(private readonly root: HTMLElement) {
    installOneTabStopFields();
    installSubmitKeys(() => this.submit(false));
    this.link.post({ type: 'ready' });
    this.render();
  }

  private t(key: string): string {
    return word(this.strings, key);
  }

  private key(data: IncidentFormData): string {
    return data.incidentId ?? 'new';
  }

  private onMessage(message: IncidentHostMessage): void {
    switch (message.type) {
      case 'init': {
        this.strings = message.strings;
        this.data = message.data;
        this.base = message.data.values;
        const saved = this.link.getState<SavedState>();
        this.values = saved && saved.key === this.key(message.data) ? { ...message.data.values, ...saved.values } : { ...message.data.values };
        break;
      }
      case 'update': {
        const previousBase = this.base;
        this.data = message.data;
        if (this.adoptNextUpdate || !this.values || !previousBase) {
          this.values = { ...message.data.values };
          this.adoptNextUpdate = false;
        } else {
          this.values = adoptOutsideChanges(INCIDENT_FIELDS, this.values, previousBase, message.data.values);
        }
        this.base = message.data.values;
        break;
      }
      case 'saved':
        this.saving = false;
        this.adoptNextUpdate = true;
        this.errors = {};
        this.showStatus('info', message.message);
        break;
      case 'invalid':
        this.saving = false;
        this.errors = Object.fromEntries(Object.entries(message.errors).map(([f, e]) => [f, e.message]));
        this.showStatus('error', message.message);
        this.render();
        this.focusFirstError();
        return;
      case 'failed':
        this.saving = false;
        this.showStatus('error', message.message);
        break;
      case 'error':
        this.showStatus('error', message.message);
        break;
      case 'picked':
        if (message.customer && this.values && this.data) {
          this.values = { ...this.values, customerId: message.customer.id };
          this.data = { ...this.data, customerName: message.customer.name };
          this.revalidate();
        }
        document.getElementById('customerId')?.focus();
        break;
    }
    this.remember();
    this.render();
  }

  private showStatus(kind: 'error' | 'info' | 'warning', text: string): void {
    this.status = { kind, text };
    this.render();
  }

  private remember(): void {
    if (this.data && this.values) this.link.setState<SavedState>({ key: this.key(this.data), values: this.values });
  }

  private dirtyFields(): IncidentField[] {
    if (!this.values || !this.base) return [];
    return touchedFields(INCIDENT_FIELDS, this.values!, this.base!);
  }

  private check(): ReturnType<typeof checkIncidentForm> | undefined {
    if (!this.values) return undefined;
    return checkIncidentForm(this.values, { customerExists: (id) => CUSTOMER_ID.test(id) });
  }

  /** Re-checks as the person types, showing errors only where they have been or after a save attempt. */
  private revalidate(): void {
    const result = this.check();
    const found = result && !result.ok ? result.errors : {};
    const errors: Partial<Record<IncidentField, string>> = {};
    for (const f of INCIDENT_FIELDS) {
      const code = found[f];
      if (code && (this.submitted || this.touched.has(f))) errors[f] = this.t(`error.${code}`);
    }
    this.errors = errors;
  }

  private set<F extends IncidentField>(f: F, value: IncidentFormValues[F]): void {
    if (!this.values) return;
    this.values = { ...this.values, [f]: value };
    this.touched.add(f);
    if (this.status?.kind === 'info') this.status = undefined;
    this.revalidate();
    this.remember();
    this.render();
  }

  private submit(resolveAfter: boolean): void {
    if (!this.values || !this.data || this.data.blocked || this.saving) return;
    this.submitted = true;
    const result = this.check();
    if (result && !result.ok) {
      this.revalidate();
      this.showStatus('error', this.t('form.fixErrors'));
      this.focusFirstError();
      return;
    }
    const isNew = !this.data.incidentId;
    const dirty = this.dirtyFields();
    if (!isNew && dirty.length === 0) {
      if (resolveAfter) this.link.post({ type: 'resolve' });
      else this.showStatus('info', this.t('form.saved'));
      return;
    }
    const values: Partial<IncidentFormValues> = {};
    for (const f of isNew ? INCIDENT_FIELDS : dirty) (values as Record<string, unknown>)[f] = this.values[f];
    this.saving = true;
    this.status = { kind: 'info', text: this.t('form.saving') };
    this.link.post({ type: 'save', requestId: requestId(), values, resolveAfter });
    this.render();
  }

  private focusFirstError(): void {
    const first = INCIDENT_FIELDS.find((f) => this.errors[f]);
    if (first) requestAnimationFrame(() => (document.getElementById(first) as HTMLElement | null)?.focus());
  }

  private frame(f: IncidentField, extra: { hint?: string; required?: boolean; wide?: boolean; label?: string } = {}) {
    return { id: f, label: extra.label ?? this.t(`field.${f}`), error: this.errors[f], hint: extra.hint, required: extra.required, wide: extra.wide };
  }

  private choices(prefix: string, values: readonly string[], withHints = false): Choice[] {
    return values.map((v) => ({ value: v, label: this.t(`${prefix}.${v}`), description: withHints ? this.t(`categoryHint.${v}`) : undefined }));
  }

  private render(): void {
    render(this.template(), this.root);
  }

  private template(): TemplateResult {
    const data = this.data;
    const v = this.values;
    if (!data || !v)
      return html`${this.status ? banner(this.status.kind, this.status.text) : nothing}
        <p class="loading" role="status">…</p>`;
    const touch = (f: IncidentField) => () => {
      this.touched.add(f);
      this.revalidate();
      this.render();
    };
    const text = (f: IncidentField) => textControl(f, v[f] as string, (x) => this.set(f, x), { error: this.errors[f] });
    const area = (f: IncidentField, rows = 3) => textareaControl(f, v[f] as string, (x) => this.set(f, x), { error: this.errors[f], rows });
    const when = (f: IncidentField) => dateTimeControl(f, v[f] as string, (x) => this.set(f, x), this.t('form.now'), fmt(this.t('form.nowLabel'), this.t(`field.${f}`)), { error: this.errors[f] });
    const title = data.incidentId ? fmt(this.t('title.edit'), data.customerName || v.customerId) : this.t('title.new');
    const dirty = this.dirtyFields().length > 0;
    const disabled = !!data.blocked || this.saving;
    return html`
      <header class="page-header">
        <h1 class="page-title">${title}</h1>
        <div class="page-badges">
          ${data.incidentId ? html`<vscode-badge variant="counter">${data.resolved ? this.t('status.resolved') : this.t('status.open')}</vscode-badge>` : nothing}
          ${data.outlook ? html`<span class="outlook ${data.outlook.atRisk ? 'at-risk' : 'favorable'}"><vscode-icon name=${data.outlook.atRisk ? 'flame' : 'heart'}></vscode-icon>${data.outlook.atRisk ? this.t('outlook.atRisk') : this.t('outlook.favorable')}</span>` : nothing}
        </div>
      </header>
      ${data.outlook ? html`<p class="subtle">${data.outlook.text}</p>` : nothing} ${data.resolvedText ? html`<p class="subtle">${data.resolvedText}</p>` : nothing}
      ${data.blocked ? banner('warning', data.blocked) : nothing} ${this.status && this.status.kind !== 'info' ? banner(this.status.kind, this.status.text) : nothing}
      <form
        class="form"
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          this.submit(false);
        }}
        @focusout=${(e: FocusEvent) => {
          const id = (e.target as HTMLElement).id as IncidentField;
          if (INCIDENT_FIELDS.includes(id)) touch(id)();
        }}
      >
        <section class="section" aria-labelledby="what-heading">
          <h2 id="what-heading">${this.t('section.what')}</h2>
          <div class="grid">
            ${field(
              { ...this.frame('customerId', { required: true, wide: true }), hint: data.customerName ? undefined : this.t('hint.customer') },
              html`<div class="with-button">
                <span class="customer-name" id="customer-name">${data.customerName || v.customerId || this.t('form.none')}</span>
                <vscode-button
                  id="customerId"
                  secondary
                  icon="account"
                  aria-describedby="customer-name customerId-message"
                  ?disabled=${disabled}
                  @click=${() => this.link.post({ type: 'pickCustomer', requestId: requestId() })}
                  >${this.t('action.chooseCustomer')}</vscode-button
                >
              </div>`,
            )}
            ${field(this.frame('openedAt', { required: true }), when('openedAt'))}
            ${field(
              { ...this.frame('channel', { required: true }), hint: this.errors.channel ? undefined : this.t('hint.channel') },
              selectControl('channel', v.channel, this.choices('channel', ['email', 'phone', 'in-person', 'chat', 'social', 'other']), (x) => this.set('channel', x), {
                error: this.errors.channel,
                placeholder: '',
              }),
            )}
            ${field(
              { ...this.frame('category', { required: true }), hint: v.category ? this.t(`categoryHint.${v.category}`) : undefined },
              selectControl('category', v.category, this.choices('category', ['product', 'people', 'timeliness', 'process', 'other'], true), (x) => this.set('category', x), {
                error: this.errors.category,
                placeholder: '',
              }),
            )}
            ${field(
              this.frame('severity', { required: true }),
              selectControl('severity', v.severity, this.choices('severity', ['minor', 'major', 'critical']), (x) => this.set('severity', x), { error: this.errors.severity }),
            )}
            ${field(
              this.frame('cause', { required: true }),
              selectControl('cause', v.cause, this.choices('cause', ['preventable', 'unforeseeable', 'unknown']), (x) => this.set('cause', x), { error: this.errors.cause }),
            )}
            ${field(
              this.frame('component', { hint: this.t('hint.component') }),
              suggestControl('component', v.component, data.suggestions.components, (x) => this.set('component', x), { error: this.errors.component }),
            )}
            ${field(
              this.frame('staff'),
              suggestControl('staff', v.staff, data.suggestions.staff, (x) => this.set('staff', x), { error: this.errors.staff }),
            )}
            ${field(this.frame('summary', { wide: true }), text('summary'))} ${field(this.frame('customerWords', { wide: true }), area('customerWords', 3))}
            ${field(
              { ...this.frame('tags', { wide: true }), hint: this.errors.tags ? undefined : `${this.t('hint.tags')} ${this.t('form.tagsHint')}` },
              tagsControl('tags', v.tags, data.suggestions.tags, (tags) => this.set('tags', tags), this.t('form.clear')),
            )}
          </div>
        </section>
        <section class="section" aria-labelledby="recovery-heading">
          <h2 id="recovery-heading">${this.t('section.recovery')}</h2>
          <p class="subtle">${this.t('section.recoveryHint')}</p>
          <div class="grid">
            ${field(this.frame('acknowledgedAt'), when('acknowledgedAt'))} ${field(this.frame('understoodAt'), when('understoodAt'))} ${field(this.frame('firstResponseAt'), when('firstResponseAt'))}
            ${field(this.frame('extraMileCost', { label: fmt(this.t('field.extraMileCost'), data.currency) }), text('extraMileCost'))}
            ${field(this.frame('fairSolution', { wide: true }), area('fairSolution', 2))} ${field(this.frame('extraMile', { wide: true }), area('extraMile', 2))}
            ${field(this.frame('resolutionNote', { wide: true }), area('resolutionNote', 3))} ${field(this.frame('lessonsLearned', { wide: true }), area('lessonsLearned', 3))}
          </div>
        </section>
        <div class="actions" role="group">
          <vscode-button type="submit" icon="save" ?disabled=${disabled} @click=${() => this.submit(false)}>${this.t('form.save')}</vscode-button>
          ${data.resolved ? nothing : html`<vscode-button secondary icon="pass" ?disabled=${disabled} @click=${() => this.submit(true)}>${this.t('action.resolve')}</vscode-button>`}
          ${v.customerId && data.customerName ? html`<vscode-button secondary icon="account" @click=${() => this.link.post({ type: 'openCustomer' })}>${this.t('action.openCustomer')}</vscode-button>` : nothing}
          <span class="subtle form-status" role="status"
            >${this.status?.kind === 'info' ? html`<vscode-icon name="check"></vscode-icon> ${this.status.text}` : dirty ? this.t('form.unsaved') : nothing}</span
          >
        </div>
        <p class="subtle keys">${this.t('form.keys')}</p>
      </form>
    `;
  }
}

new IncidentFormPage(document.getElementById('app')!);
