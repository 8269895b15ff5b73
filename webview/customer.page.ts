// The customer page, in the webview: details edited in place (only changed fields are sent),
// value with its explanation, flags, the timeline, quick actions and a purchase form.
import './shared/zodConfig';
import '@vscode/codicons/dist/codicon.css';
import '../media/webview.css';
import { html, nothing, render, type TemplateResult } from 'lit';
import { CustomerHostMessage, TIMELINE_SECTIONS, type CustomerAction, type CustomerPageData, type CustomerWebviewMessage, type TimelineEntry, type TimelineSection } from '../src/panels/protocol';
import { checkCustomerForm, checkPurchaseForm, CUSTOMER_FIELDS, type CustomerField, type CustomerFormValues, type PurchaseField, type PurchaseFormValues } from '../src/panels/forms';
import { connect, fmt, requestId } from './shared/host';
import { installOneTabStopFields } from './shared/keyboard';
import { adoptOutsideChanges, touchedFields } from './shared/edits';
import { banner, field, installSubmitKeys, suggestControl, tagsControl, textareaControl, textControl, word, type Strings } from './shared/fields';

interface SavedState {
  key: string;
  values: CustomerFormValues;
  purchase: PurchaseFormValues;
}

const CUSTOMER_ID = /^cus_[0-9a-z]{4,32}$/;
const SECTION_ICONS: Record<TimelineSection, string> = {
  purchases: 'credit-card',
  subscriptions: 'sync',
  incidents: 'report',
  followUps: 'bell',
  notes: 'edit',
  contacts: 'comment',
};
const ACTIONS: Array<[CustomerAction, string]> = [
  ['recordPurchase', 'credit-card'],
  ['recordSubscription', 'sync'],
  ['logContact', 'comment'],
  ['logIncident', 'report'],
  ['addFollowUp', 'bell'],
];

type Status = { kind: 'error' | 'info' | 'warning'; text: string } | undefined;

class CustomerPage {
  private strings: Strings = {};
  private data: CustomerPageData | undefined;
  private values: CustomerFormValues | undefined;
  private base: CustomerFormValues | undefined;
  private referredByName: string | undefined;
  private purchase: PurchaseFormValues = { amount: '', date: '', note: '' };
  private errors: Partial<Record<CustomerField, string>> = {};
  private purchaseErrors: Partial<Record<PurchaseField, string>> = {};
  private status: Status;
  private purchaseStatus: Status;
  private adoptNextUpdate = false;
  /** Which form each pending request came from, to put the host's answer in the right place. */
  private readonly pending = new Map<string, 'details' | 'purchase'>();
  /** The form the keyboard is in, so Enter saves that one. */
  private activeForm: 'details' | 'purchase' = 'details';
  private readonly link = connect<CustomerHostMessage, CustomerWebviewMessage>(
    CustomerHostMessage,
    (m) => this.onMessage(m),
    (detail) => {
      this.status = { kind: 'error', text: fmt(this.strings['page.refused'] ?? 'The page refused a message from Loyal: {0}', detail) };
      this.render();
    },
  );

  constructor(private readonly root: HTMLElement) {
    installOneTabStopFields();
    installSubmitKeys(() => (this.activeForm === 'purchase' ? this.submitPurchase() : this.submitDetails()));
    document.addEventListener('focusin', (e) => {
      this.activeForm = (e.target as HTMLElement).closest?.('#purchase-form') ? 'purchase' : 'details';
    });
    this.link.post({ type: 'ready' });
    this.render();
  }

  private t(key: string): string {
    return word(this.strings, key);
  }

  private onMessage(message: CustomerHostMessage): void {
    switch (message.type) {
      case 'init': {
        this.strings = message.strings;
        this.data = message.data;
        this.base = message.data.values;
        this.referredByName = message.data.referredByName;
        const saved = this.link.getState<SavedState>();
        const mine = saved && saved.key === message.data.customerId;
        this.values = mine ? { ...message.data.values, ...saved.values } : { ...message.data.values };
        this.purchase = mine ? saved.purchase : { amount: '', date: message.data.today, note: '' };
        break;
      }
      case 'update': {
        const previousBase = this.base;
        this.data = message.data;
        if (this.adoptNextUpdate || !this.values || !previousBase) {
          this.values = { ...message.data.values };
          this.adoptNextUpdate = false;
        } else {
          this.values = adoptOutsideChanges(CUSTOMER_FIELDS, this.values, previousBase, message.data.values);
        }
        if (this.values.referredBy === message.data.values.referredBy) this.referredByName = message.data.referredByName;
        this.base = message.data.values;
        break;
      }
      case 'saved': {
        const form = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        if (form === 'purchase') {
          this.purchase = { amount: '', date: this.data?.today ?? '', note: '' };
          this.purchaseErrors = {};
          this.purchaseStatus = { kind: 'info', text: message.message };
        } else {
          this.adoptNextUpdate = true;
          this.errors = {};
          this.status = { kind: 'info', text: message.message };
        }
        break;
      }
      case 'invalid': {
        const form = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        const errors = Object.fromEntries(Object.entries(message.errors).map(([f, e]) => [f, e.message]));
        if (form === 'purchase') {
          this.purchaseErrors = errors;
          this.purchaseStatus = { kind: 'error', text: message.message };
        } else {
          this.errors = errors;
          this.status = { kind: 'error', text: message.message };
        }
        break;
      }
      case 'failed': {
        const form = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        if (form === 'purchase') this.purchaseStatus = { kind: 'error', text: message.message };
        else this.status = { kind: 'error', text: message.message };
        break;
      }
      case 'error':
        this.status = { kind: 'error', text: message.message };
        break;
      case 'picked':
        if (message.customer && this.values) {
          this.values = { ...this.values, referredBy: message.customer.id };
          this.referredByName = message.customer.name;
          this.errors = { ...this.errors, referredBy: undefined };
        }
        document.getElementById('referredBy')?.focus();
        break;
    }
    this.remember();
    this.render();
  }

  private remember(): void {
    if (this.data && this.values) this.link.setState<SavedState>({ key: this.data.customerId, values: this.values, purchase: this.purchase });
  }

  private dirtyFields(): CustomerField[] {
    if (!this.values || !this.base) return [];
    return touchedFields(CUSTOMER_FIELDS, this.values!, this.base!);
  }

  private checkDetails(): Partial<Record<CustomerField, string>> {
    if (!this.values || !this.data) return {};
    const result = checkCustomerForm(this.values, { selfId: this.data.customerId, customerExists: (id) => CUSTOMER_ID.test(id) });
    if (result.ok) return {};
    return Object.fromEntries(Object.entries(result.errors).map(([f, code]) => [f, this.t(`error.${code}`)]));
  }

  private set<F extends CustomerField>(f: F, value: CustomerFormValues[F]): void {
    if (!this.values) return;
    this.values = { ...this.values, [f]: value };
    const found = this.checkDetails();
    // Errors appear for the field being typed in and clear as soon as it is right.
    this.errors = { ...this.errors, [f]: found[f] };
    if (this.status?.kind === 'info') this.status = undefined;
    this.remember();
    this.render();
  }

  private submitDetails(): void {
    if (!this.values || !this.data || this.data.blocked) return;
    const errors = this.checkDetails();
    if (Object.keys(errors).length) {
      this.errors = errors;
      this.status = { kind: 'error', text: this.t('form.fixErrors') };
      this.render();
      const first = CUSTOMER_FIELDS.find((f) => errors[f]);
      if (first) requestAnimationFrame(() => document.getElementById(first)?.focus());
      return;
    }
    const dirty = this.dirtyFields();
    if (dirty.length === 0) {
      this.status = { kind: 'info', text: this.t('form.saved') };
      this.render();
      return;
    }
    const values: Partial<CustomerFormValues> = {};
    for (const f of dirty) (values as Record<string, unknown>)[f] = this.values[f];
    const id = requestId();
    this.pending.set(id, 'details');
    this.status = { kind: 'info', text: this.t('form.saving') };
    this.link.post({ type: 'saveCustomer', requestId: id, values });
    this.render();
  }

  private submitPurchase(): void {
    if (!this.data || this.data.blocked) return;
    const result = checkPurchaseForm(this.purchase);
    if (!result.ok) {
      this.purchaseErrors = Object.fromEntries(Object.entries(result.errors).map(([f, code]) => [f, this.t(`error.${code}`)]));
      this.purchaseStatus = { kind: 'error', text: this.t('form.fixErrors') };
      this.render();
      return;
    }
    const id = requestId();
    this.pending.set(id, 'purchase');
    this.purchaseStatus = { kind: 'info', text: this.t('form.saving') };
    this.link.post({ type: 'recordPurchase', requestId: id, values: this.purchase });
    this.render();
  }

  private revert(): void {
    if (!this.base) return;
    this.values = { ...this.base };
    this.referredByName = this.data?.referredByName;
    this.errors = {};
    this.status = undefined;
    this.remember();
    this.render();
  }

  private render(): void {
    render(this.template(), this.root);
  }

  private frame(f: CustomerField, extra: { hint?: string; wide?: boolean; required?: boolean } = {}) {
    return { id: f, label: this.t(`field.${f}`), error: this.errors[f], hint: extra.hint, wide: extra.wide, required: extra.required };
  }

  private template(): TemplateResult {
    const data = this.data;
    const v = this.values;
    if (!data || !v)
      return html`${this.status ? banner(this.status.kind, this.status.text) : nothing}
        <p class="loading" role="status">…</p>`;
    const text = (f: CustomerField, type = 'text') => textControl(f, v[f] as string, (x) => this.set(f, x), { error: this.errors[f], type });
    const blocked = !!data.blocked;
    const dirty = this.dirtyFields().length > 0;
    return html`
      <header class="page-header">
        <h1 class="page-title">${data.values.name || data.customerId}</h1>
        <div class="flags" aria-label=${this.t('section.value')}>
          ${data.archived ? html`<span class="flag"><vscode-icon name="archive"></vscode-icon>${this.t('flag.archived')}</span>` : nothing}
          ${data.flags.atRisk ? html`<span class="flag at-risk"><vscode-icon name="flame"></vscode-icon>${this.t('flag.atRisk')}: ${data.flags.riskReasons.join(', ')}</span>` : nothing}
          ${data.flags.quiet ? html`<span class="flag quiet"><vscode-icon name="mute"></vscode-icon>${this.t('flag.quiet')}${data.flags.quietWhy ? html`: ${data.flags.quietWhy}` : nothing}</span>` : nothing}
          ${data.flags.topValue ? html`<span class="flag top"><vscode-icon name="star-full"></vscode-icon>${this.t('flag.topValue')}</span>` : nothing}
        </div>
      </header>
      ${data.values.company ? html`<p class="subtle">${data.values.company}</p>` : nothing}
      ${!data.flags.atRisk && !data.flags.quiet && !blocked ? html`<p class="subtle">${this.t('flag.none')}</p>` : nothing} ${data.blocked ? banner('warning', data.blocked) : nothing}

      <section class="section" aria-labelledby="actions-heading">
        <h2 id="actions-heading">${this.t('section.actions')}</h2>
        <div class="quick-actions">
          ${ACTIONS.map(([action, icon]) => html`<vscode-button secondary icon=${icon} ?disabled=${blocked} @click=${() => this.link.post({ type: 'action', action })}>${this.t(`action.${action}`)}</vscode-button>`)}
          ${
            data.archived
              ? html`<vscode-button secondary icon="discard" ?disabled=${blocked} @click=${() => this.link.post({ type: 'action', action: 'unarchive' })}>${this.t('action.unarchive')}</vscode-button>`
              : html`<vscode-button secondary icon="archive" ?disabled=${blocked} @click=${() => this.link.post({ type: 'action', action: 'archive' })}>${this.t('action.archive')}</vscode-button>`
          }
        </div>
      </section>

      <section class="section" aria-labelledby="value-heading">
        <h2 id="value-heading">${this.t('section.value')}</h2>
        ${
          data.value
            ? html`<div class="figures">
                  ${this.figure(this.t('value.ltv'), data.value.ltv)} ${this.figure(this.t('value.historical'), data.value.historical)} ${this.figure(this.t('value.model'), data.value.model)}
                  ${data.value.pPurchase12m !== undefined ? this.figure(this.t('value.pPurchase12m'), data.value.pPurchase12m) : nothing}
                  ${data.value.pAlive !== undefined ? this.figure(this.t('value.pAlive'), data.value.pAlive) : nothing}
                  ${data.value.expectedPurchases12m !== undefined ? this.figure(this.t('value.expectedPurchases12m'), data.value.expectedPurchases12m) : nothing}
                </div>
                ${
                  data.value.explanation.length
                    ? html`<h3 class="subtle">${this.t('value.explanation')}</h3>
                        <ul class="explanation">
                          ${data.value.explanation.map((line) => html`<li>${line}</li>`)}
                        </ul>`
                    : nothing
                }`
            : html`<p class="empty">${this.t('value.none')}</p>`
        }
      </section>

      <section class="section" aria-labelledby="details-heading">
        <h2 id="details-heading">${this.t('section.details')}</h2>
        ${this.status && this.status.kind !== 'info' ? banner(this.status.kind, this.status.text) : nothing}
        <form
          id="details-form"
          class="grid"
          novalidate
          @submit=${(e: Event) => {
            e.preventDefault();
            this.submitDetails();
          }}
        >
          ${field(this.frame('name', { required: true }), text('name'))} ${field(this.frame('company'), text('company'))} ${field(this.frame('email'), text('email', 'email'))}
          ${field(this.frame('phone'), text('phone', 'tel'))}
          ${field(
            this.frame('address', { wide: true }),
            textareaControl('address', v.address, (x) => this.set('address', x), { error: this.errors.address, rows: 3 }),
          )}
          ${field(
            { ...this.frame('tags', { wide: true }), hint: this.errors.tags ? undefined : this.t('form.tagsHint') },
            tagsControl('tags', v.tags, data.suggestions.tags, (tags) => this.set('tags', tags), this.t('form.clear')),
          )}
          ${field(
            this.frame('owner'),
            suggestControl('owner', v.owner, data.suggestions.owners, (x) => this.set('owner', x), { error: this.errors.owner }),
          )}
          ${field(
            this.frame('source'),
            suggestControl('source', v.source, data.suggestions.sources, (x) => this.set('source', x), { error: this.errors.source }),
          )}
          ${field(
            { ...this.frame('referredBy'), hint: this.errors.referredBy ? undefined : this.t('hint.referredBy') },
            html`<div class="with-button">
              <span class="customer-name" id="referrer-name">${v.referredBy ? this.referredByName || v.referredBy : this.t('form.none')}</span>
              <vscode-button
                id="referredBy"
                secondary
                icon="account"
                aria-describedby="referrer-name referredBy-message"
                ?disabled=${blocked}
                @click=${() => this.link.post({ type: 'pickCustomer', requestId: requestId() })}
                >${this.t('action.chooseReferrer')}</vscode-button
              >
              ${v.referredBy ? html`<vscode-button secondary icon="close" aria-label=${this.t('form.clear')} title=${this.t('form.clear')} @click=${() => this.set('referredBy', '')}></vscode-button>` : nothing}
            </div>`,
          )}
          ${field({ ...this.frame('keepInTouchDays'), hint: this.errors.keepInTouchDays ? undefined : this.t('hint.keepInTouchDays') }, text('keepInTouchDays', 'number'))}
          ${field({ ...this.frame('onTimeHours'), hint: this.errors.onTimeHours ? undefined : this.t('hint.onTimeHours') }, text('onTimeHours', 'number'))}
          ${field(
            this.frame('notes', { wide: true }),
            textareaControl('notes', v.notes, (x) => this.set('notes', x), { error: this.errors.notes, rows: 4 }),
          )}
          <div class="actions wide-row">
            <vscode-button type="submit" icon="save" ?disabled=${blocked} @click=${() => this.submitDetails()}>${this.t('form.save')}</vscode-button>
            <vscode-button secondary icon="discard" ?disabled=${!dirty} @click=${() => this.revert()}>${this.t('form.revert')}</vscode-button>
            <span class="subtle form-status" role="status"
              >${this.status?.kind === 'info' ? html`<vscode-icon name="check"></vscode-icon> ${this.status.text}` : dirty ? this.t('form.unsaved') : nothing}</span
            >
          </div>
        </form>
      </section>

      <section class="section" aria-labelledby="purchase-heading">
        <h2 id="purchase-heading">${this.t('section.purchaseForm')}</h2>
        ${this.purchaseStatus ? banner(this.purchaseStatus.kind, this.purchaseStatus.text) : nothing}
        <form
          id="purchase-form"
          class="purchase-form"
          novalidate
          @submit=${(e: Event) => {
            e.preventDefault();
            this.submitPurchase();
          }}
        >
          ${field(
            { id: 'amount', label: fmt(this.t('field.amount'), data.currency), error: this.purchaseErrors.amount, required: true },
            textControl('amount', this.purchase.amount, (x) => this.setPurchase('amount', x), { error: this.purchaseErrors.amount }),
          )}
          ${field(
            { id: 'date', label: this.t('field.date'), error: this.purchaseErrors.date, required: true },
            textControl('date', this.purchase.date, (x) => this.setPurchase('date', x), { error: this.purchaseErrors.date, type: 'date' }),
          )}
          ${field(
            { id: 'note', label: this.t('field.note'), error: this.purchaseErrors.note },
            textControl('note', this.purchase.note, (x) => this.setPurchase('note', x), { error: this.purchaseErrors.note }),
          )}
          <div class="actions">
            <vscode-button type="submit" icon="add" ?disabled=${blocked} @click=${() => this.submitPurchase()}>${this.t('action.addPurchase')}</vscode-button>
          </div>
        </form>
      </section>

      <section class="section" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">${this.t('section.timeline')}</h2>
        ${TIMELINE_SECTIONS.map((section) => this.timelineSection(section, data.timeline[section]))}
      </section>
      <p class="subtle keys">${this.t('form.keys')}</p>
    `;
  }

  private setPurchase(f: PurchaseField, value: string): void {
    this.purchase = { ...this.purchase, [f]: value };
    const result = checkPurchaseForm(this.purchase);
    const code = result.ok ? undefined : result.errors[f];
    this.purchaseErrors = { ...this.purchaseErrors, [f]: code ? this.t(`error.${code}`) : undefined };
    if (this.purchaseStatus?.kind === 'info') this.purchaseStatus = undefined;
    this.remember();
    this.render();
  }

  private figure(label: string, value: string): TemplateResult {
    return html`<div class="figure">
      <div class="figure-label">${label}</div>
      <div class="figure-value">${value}</div>
    </div>`;
  }

  private timelineSection(section: TimelineSection, entries: TimelineEntry[]): TemplateResult {
    return html`<vscode-collapsible heading=${this.t(`timeline.${section}`)} open>
      <vscode-badge slot="decorations" variant="counter">${entries.length}</vscode-badge>
      <div class="collapsible-body">
        ${
          entries.length === 0
            ? html`<p class="empty"><vscode-icon name=${SECTION_ICONS[section]}></vscode-icon> ${this.t(`empty.${section}`)}</p>`
            : html`<ul class="timeline">
                ${entries.map(
                  (e) =>
                    html`<li class=${e.attention ? 'attention' : ''}>
                      <span class="when">${e.when}</span>
                      <span class="what">
                        ${
                          section === 'incidents'
                            ? html`<button type="button" class="link-button title" @click=${() => this.link.post({ type: 'openIncident', incidentId: e.id })}>${e.title}</button>`
                            : html`<span class="title">${e.title}</span>`
                        }
                        ${e.badge ? html`<vscode-badge class="entry-badge">${e.badge}</vscode-badge>` : nothing} ${e.detail ? html`<div class="detail">${e.detail}</div>` : nothing}
                        ${e.changed ? html`<div class="detail changed">${e.changed}</div>` : nothing}
                      </span>
                    </li>`,
                )}
              </ul>`
        }
      </div>
    </vscode-collapsible>`;
  }
}

new CustomerPage(document.getElementById('app')!);
