// The incident form: every field of an incident, for a new one (its own tab) or an
// existing one (one tab per incident). The host checks every save against the record
// schema and the book before writing: the page's own checks are only for quick feedback.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { Incident } from '../domain/records';
import { nowInstant } from '../domain/time';
import { getById } from '../store/transaction';
import { ValidationError } from '../store/errors';
import { pickCustomer } from '../commands/inputs';
import { outlookReasonWord } from '../views/incidentsView';
import { checkIncidentForm, incidentFormValuesOf, INCIDENT_FIELDS, type EditableIncident, type FieldErrorCode, type IncidentField, type IncidentFormValues } from './forms';
import { IncidentWebviewMessage, type IncidentFormData, type IncidentHostMessage } from './protocol';
import { incidentFormStrings } from './strings';
import { translatedErrors, WebviewBase } from './webviewBase';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  session: LoyalSession;
}

type SaveMessage = Extract<IncidentWebviewMessage, { type: 'save' }>;

/** The most used values first, so the suggestions start with what the team usually types. */
function byUse(values: Iterable<string | undefined>, limit = 500): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([v]) => v);
}

export class IncidentPanel extends WebviewBase<IncidentWebviewMessage, IncidentHostMessage> {
  static readonly viewType = 'loyal.incidentForm';
  private static readonly open = new Set<IncidentPanel>();

  /** The tab showing this incident, if one is open. */
  static current(incidentId: string): IncidentPanel | undefined {
    for (const panel of IncidentPanel.open) if (panel.incidentId === incidentId) return panel;
    return undefined;
  }

  /** A new form in its own tab, for the given customer when there is one. */
  static createNew(deps: PanelDeps, customerId?: string): IncidentPanel {
    return new IncidentPanel(deps, undefined, customerId);
  }

  /** The form of an existing incident: the open tab is revealed rather than a second one made. */
  static showExisting(deps: PanelDeps, incidentId: string): IncidentPanel {
    const existing = IncidentPanel.current(incidentId);
    if (existing) {
      existing.reveal();
      return existing;
    }
    return new IncidentPanel(deps, incidentId);
  }

  private readonly strings = incidentFormStrings();
  private readonly session: LoyalSession;
  /** What a new form starts with; kept so that a page reloaded after being hidden shows the same time. */
  private readonly newDefaults: IncidentFormValues;
  private lastKnown: Incident | undefined;
  private writing = false;

  private constructor(
    deps: PanelDeps,
    private incidentId: string | undefined,
    customerId?: string,
  ) {
    super(
      {
        extensionUri: deps.extensionUri,
        viewType: IncidentPanel.viewType,
        title: vscode.l10n.t('New incident'),
        page: 'incident',
      },
      IncidentWebviewMessage,
    );
    this.session = deps.session;
    this.newDefaults = incidentFormValuesOf({ customerId, openedAt: nowInstant(), staff: deps.session.user || undefined, severity: 'minor', cause: 'unknown' });
    this.lastKnown = incidentId ? this.incident() : undefined;
    this.updateTitle();
    IncidentPanel.open.add(this);
    this.disposables.push(
      { dispose: () => IncidentPanel.open.delete(this) },
      deps.session.onDidChange(() => {
        // While this tab writes, it posts the update itself once the id is known.
        if (!this.panel.visible || this.writing) return;
        this.updateTitle();
        this.post({ type: 'update', data: this.data() });
      }),
    );
  }

  get id(): string | undefined {
    return this.incidentId;
  }

  private incident(): Incident | undefined {
    if (!this.incidentId || this.session.state !== 'ok') return undefined;
    return getById(this.session.file, 'incidents', this.incidentId);
  }

  private customerName(customerId: string): string {
    if (!customerId || this.session.state !== 'ok') return '';
    return getById(this.session.file, 'customers', customerId)?.name ?? '';
  }

  private updateTitle(): void {
    const incident = this.incident();
    if (incident) this.lastKnown = incident;
    const name = this.lastKnown ? this.customerName(this.lastKnown.customerId) : '';
    this.panel.title = this.incidentId ? vscode.l10n.t('Incident: {0}', name || this.incidentId) : vscode.l10n.t('New incident');
  }

  /** The page's data for the book as it is now. */
  data(): IncidentFormData {
    const ok = this.session.state === 'ok';
    const incident = this.incident();
    if (incident) this.lastKnown = incident;
    const values = this.incidentId ? incidentFormValuesOf(incident ?? this.lastKnown ?? {}) : this.newDefaults;
    const file = ok ? this.session.file : undefined;
    let outlook: IncidentFormData['outlook'];
    if (incident && ok) {
      const o = this.session.figures.outlook(incident);
      outlook =
        o.outlook === 'at-risk'
          ? { atRisk: true, text: vscode.l10n.t('Outlook: at risk ({0})', o.reasons.map(outlookReasonWord).join(', ')) }
          : { atRisk: false, text: vscode.l10n.t('Outlook: favorable (a first, minor, unforeseeable problem, well recovered, can build loyalty)') };
    }
    const resolvedAt = incident?.resolvedAt;
    return {
      incidentId: this.incidentId,
      values,
      customerName: this.customerName(values.customerId),
      resolved: !!resolvedAt,
      resolvedText: resolvedAt ? vscode.l10n.t('Resolved on {0} by {1}.', new Date(resolvedAt).toLocaleString(vscode.env.language), incident?.resolvedBy || vscode.l10n.t('someone')) : undefined,
      outlook,
      suggestions: {
        components: file ? byUse(file.incidents.map((i) => i.component)) : [],
        staff: file ? byUse([...file.team.map((t) => t.name), ...file.incidents.map((i) => i.staff), this.session.user]) : [],
        tags: file ? byUse(file.incidents.flatMap((i) => i.tags)) : [],
      },
      currency: this.session.settings.currency,
      blocked: !ok
        ? vscode.l10n.t('The data file cannot be read now, so nothing can be saved. Fix the file, then reopen this form.')
        : this.incidentId && !incident
          ? vscode.l10n.t('This incident is no longer in the book.')
          : undefined,
    };
  }

  protected initMessage(): IncidentHostMessage {
    return { type: 'init', strings: this.strings, data: this.data() };
  }

  protected async handle(message: IncidentWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'pickCustomer': {
        if (this.session.state !== 'ok') return this.post({ type: 'picked', requestId: message.requestId, customer: null });
        const customer = await pickCustomer(this.session, vscode.l10n.t('Customer of the incident'));
        return this.post({ type: 'picked', requestId: message.requestId, customer: customer ? { id: customer.id, name: customer.name } : null });
      }
      case 'save':
        return this.save(message);
      case 'resolve':
        if (this.incidentId) void vscode.commands.executeCommand('loyal.incident.resolve', this.incidentId);
        return;
      case 'openCustomer': {
        const customerId = this.incident()?.customerId ?? this.newDefaults.customerId;
        if (customerId) void vscode.commands.executeCommand('loyal.customer.open', customerId);
        return;
      }
      case 'ready':
        return;
    }
  }

  private refuse(requestId: string, errors: Partial<Record<IncidentField, FieldErrorCode>>): void {
    this.post({ type: 'invalid', requestId, errors: translatedErrors(errors, this.strings), message: this.strings['form.fixErrors'] });
  }

  private async save(message: SaveMessage): Promise<void> {
    const { requestId } = message;
    const store = this.session.store;
    if (this.session.state !== 'ok' || !store) {
      return this.post({ type: 'failed', requestId, message: vscode.l10n.t('The data file cannot be read now, so nothing was saved.') });
    }
    const current = this.incident();
    if (this.incidentId && !current) return this.post({ type: 'failed', requestId, message: vscode.l10n.t('This incident is no longer in the book.') });
    // An edit changes only the fields the person touched, so a teammate's change to another field survives.
    const base = current ? incidentFormValuesOf(current) : this.newDefaults;
    const merged: IncidentFormValues = { ...base, ...stripUndefined(message.values) };
    const file = this.session.file;
    const check = checkIncidentForm(merged, { customerExists: (id) => !!getById(file, 'customers', id) });
    if (!check.ok) return this.refuse(requestId, check.errors);
    this.writing = true;
    try {
      let id: string;
      if (current) {
        const changes = changesOf(check.record, Object.keys(message.values) as IncidentField[]);
        await store.update((tx) => tx.patch('incidents', current.id, changes));
        id = current.id;
      } else {
        const inserted = await store.update((tx) => tx.insert('incidents', { ...check.record, reopenCount: 0 }));
        id = inserted.id;
        this.incidentId = id;
      }
      this.updateTitle();
      this.post({ type: 'saved', requestId, id, message: this.strings['form.saved'] });
      this.post({ type: 'update', data: this.data() });
      if (message.resolveAfter) void vscode.commands.executeCommand('loyal.incident.resolve', id);
    } catch (error) {
      if (error instanceof ValidationError) {
        const errors: Partial<Record<IncidentField, FieldErrorCode>> = {};
        for (const issue of error.issues) {
          const field = issue.path.split(/[.[]/)[0] as IncidentField;
          if (INCIDENT_FIELDS.includes(field)) errors[field] ??= field === 'customerId' ? 'unknownCustomer' : 'invalid';
        }
        if (Object.keys(errors).length) return this.refuse(requestId, errors);
      }
      const text = error instanceof Error ? error.message : String(error);
      this.post({ type: 'failed', requestId, message: vscode.l10n.t('Nothing was saved: {0}', text) });
    } finally {
      this.writing = false;
    }
  }
}

function stripUndefined<T extends object>(values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The record's values for the given form fields; a field left empty becomes undefined so the patch removes it. */
function changesOf(record: EditableIncident, fields: IncidentField[]): Partial<Incident> {
  const changes: Record<string, unknown> = {};
  for (const field of fields) changes[field] = (record as Record<string, unknown>)[field];
  return changes as Partial<Incident>;
}
