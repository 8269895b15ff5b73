// Customers: create, edit, archive; record purchases, subscriptions and contacts.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { LoyalViews } from '../views/loyalViews';
import type { Customer } from '../domain/records';
import { CustomerNode, type CustomerSort } from '../views/customersView';
import { FollowUpNode } from '../views/todayView';
import { IncidentNode } from '../views/incidentsView';
import { NoteNode } from '../views/notesView';
import { nowInstant, today } from '../domain/time';
import { askAmount, askDay, askNumber, askText, pick, pickCustomer } from './inputs';
import { runCommand } from './run';

/** The customer a command is about: from the clicked node, an id, or a picker. */
export async function customerFrom(session: LoyalSession, arg: unknown, title: string): Promise<Customer | undefined> {
  if (session.state !== 'ok') {
    void vscode.window.showWarningMessage(vscode.l10n.t('There is no readable Loyal data file yet.'));
    return undefined;
  }
  const id =
    arg instanceof CustomerNode
      ? arg.customer.id
      : arg instanceof FollowUpNode
        ? arg.followUp.customerId
        : arg instanceof IncidentNode
          ? arg.incident.customerId
          : arg instanceof NoteNode
            ? arg.note.customerId
            : typeof arg === 'string'
              ? arg
              : undefined;
  if (id) return session.file.customers.find((c) => c.id === id);
  return pickCustomer(session, title);
}

export function registerCustomerCommands(context: vscode.ExtensionContext, session: LoyalSession, views: LoyalViews): void {
  const register = (id: string, handler: (...args: unknown[]) => Promise<unknown> | unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(() => handler(...args))));
  };

  register('loyal.customer.add', async () => {
    if (session.state !== 'ok') return void vscode.window.showWarningMessage(vscode.l10n.t('There is no readable Loyal data file yet.'));
    const title = vscode.l10n.t('Add customer');
    const name = await askText({ title, prompt: vscode.l10n.t('Name of the customer'), required: true });
    if (!name) return;
    const email = await askText({ title, prompt: vscode.l10n.t('Email (optional)') });
    if (email === undefined) return;
    const company = await askText({ title, prompt: vscode.l10n.t('Company (optional)') });
    if (company === undefined) return;
    const customer = await session.store!.update((tx) => tx.insert('customers', { name, email: email || undefined, company: company || undefined, tags: [], archived: false, owner: session.user }));
    void vscode.window.showInformationMessage(vscode.l10n.t('Added {0}.', customer.name));
    return customer.id;
  });

  register('loyal.customer.edit', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Edit customer'));
    if (!customer) return;
    const title = vscode.l10n.t('Edit {0}', customer.name);
    type Field = 'name' | 'company' | 'email' | 'phone' | 'address' | 'tags' | 'keepInTouchDays' | 'onTimeHours' | 'notes' | 'page';
    const field = await pick<Field>(title, [
      { value: 'page', label: vscode.l10n.t('Open the customer page to edit everything') },
      { value: 'name', label: vscode.l10n.t('Name'), description: customer.name },
      { value: 'company', label: vscode.l10n.t('Company'), description: customer.company },
      { value: 'email', label: vscode.l10n.t('Email'), description: customer.email },
      { value: 'phone', label: vscode.l10n.t('Phone'), description: customer.phone },
      { value: 'address', label: vscode.l10n.t('Postal address'), description: customer.address },
      { value: 'tags', label: vscode.l10n.t('Tags'), description: customer.tags.join(', ') },
      { value: 'keepInTouchDays', label: vscode.l10n.t('Keep in touch every (days)'), description: customer.keepInTouchDays?.toString() },
      { value: 'onTimeHours', label: vscode.l10n.t('On time for this customer (hours)'), description: customer.onTimeHours?.toString() },
      { value: 'notes', label: vscode.l10n.t('Notes'), description: customer.notes },
    ]);
    if (!field) return;
    if (field === 'page') return vscode.commands.executeCommand('loyal.customer.open', customer.id);
    let changes: Partial<Customer>;
    if (field === 'keepInTouchDays' || field === 'onTimeHours') {
      const n = await askNumber(
        title,
        field === 'keepInTouchDays' ? vscode.l10n.t('Days between contacts (empty: no cadence)') : vscode.l10n.t('Hours within which this customer considers an answer on time (empty: not set)'),
        {
          value: customer[field],
          min: field === 'keepInTouchDays' ? 1 : 0,
          max: field === 'keepInTouchDays' ? 3650 : 8760,
          integer: field === 'keepInTouchDays',
          optional: true,
        },
      );
      if (n === undefined) return;
      changes = { [field]: n ?? undefined };
    } else if (field === 'tags') {
      const text = await askText({ title, prompt: vscode.l10n.t('Tags, separated by commas'), value: customer.tags.join(', ') });
      if (text === undefined) return;
      changes = {
        tags: [
          ...new Set(
            text
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          ),
        ],
      };
    } else {
      const text = await askText({ title, prompt: vscode.l10n.t('New value'), value: customer[field] ?? '', required: field === 'name' });
      if (text === undefined) return;
      changes = { [field]: text || undefined };
    }
    await session.store!.update((tx) => tx.patch('customers', customer.id, changes));
  });

  register('loyal.customer.archive', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Archive customer'));
    if (!customer) return;
    const archive = vscode.l10n.t('Archive');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Archive {0}? The customer is hidden from the lists but kept in the file, with all history.', customer.name),
      { modal: true },
      archive,
    );
    if (answer !== archive) return;
    await session.store!.update((tx) => tx.patch('customers', customer.id, { archived: true }));
  });

  register('loyal.customer.unarchive', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Restore customer'));
    if (!customer) return;
    await session.store!.update((tx) => tx.patch('customers', customer.id, { archived: false }));
  });

  register('loyal.purchase.record', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Record purchase'));
    if (!customer) return;
    const title = vscode.l10n.t('Record a purchase by {0}', customer.name);
    const amount = await askAmount(title, vscode.l10n.t('Amount in {0}', session.settings.currency));
    if (!amount) return;
    const date = await askDay(title, vscode.l10n.t('Date of the purchase'), today());
    if (!date) return;
    const note = await askText({ title, prompt: vscode.l10n.t('Note (optional)') });
    if (note === undefined) return;
    await session.store!.update((tx) => tx.insert('purchases', { customerId: customer.id, date, amount, currency: session.settings.currency, note: note || undefined }));
  });

  register('loyal.subscription.record', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Record subscription'));
    if (!customer) return;
    const title = vscode.l10n.t('Record a subscription for {0}', customer.name);
    const period = await pick<'month' | 'year'>(title, [
      { value: 'month', label: vscode.l10n.t('Monthly') },
      { value: 'year', label: vscode.l10n.t('Yearly') },
    ]);
    if (!period) return;
    const amount = await askAmount(
      title,
      period === 'month' ? vscode.l10n.t('Amount per month in {0}', session.settings.currency) : vscode.l10n.t('Amount per year in {0}', session.settings.currency),
    );
    if (!amount) return;
    const start = await askDay(title, vscode.l10n.t('Start date'), today());
    if (!start) return;
    await session.store!.update((tx) => tx.insert('subscriptions', { customerId: customer.id, amount, currency: session.settings.currency, period, start }));
  });

  register('loyal.contact.log', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Log contact'));
    if (!customer) return;
    const title = vscode.l10n.t('Log a contact with {0}', customer.name);
    const channel = await pick(title, [
      { value: 'phone', label: vscode.l10n.t('Phone') },
      { value: 'email', label: vscode.l10n.t('Email') },
      { value: 'in-person', label: vscode.l10n.t('In person') },
      { value: 'chat', label: vscode.l10n.t('Chat') },
      { value: 'social', label: vscode.l10n.t('Social media') },
      { value: 'other', label: vscode.l10n.t('Other') },
    ] as const);
    if (!channel) return;
    const summary = await askText({ title, prompt: vscode.l10n.t('What was said (optional)') });
    if (summary === undefined) return;
    await session.store!.update((tx) => tx.insert('contacts', { customerId: customer.id, at: nowInstant(), channel, by: session.user, summary }));
  });

  register('loyal.customers.sort', async () => {
    const sort = await pick<CustomerSort>(vscode.l10n.t('Sort customers'), [
      { value: 'value', label: vscode.l10n.t('By lifetime value'), description: views.customers.sort === 'value' ? vscode.l10n.t('current') : undefined },
      { value: 'name', label: vscode.l10n.t('By name'), description: views.customers.sort === 'name' ? vscode.l10n.t('current') : undefined },
      { value: 'lastContact', label: vscode.l10n.t('By last contact, longest silence first'), description: views.customers.sort === 'lastContact' ? vscode.l10n.t('current') : undefined },
      { value: 'risk', label: vscode.l10n.t('By risk'), description: views.customers.sort === 'risk' ? vscode.l10n.t('current') : undefined },
    ]);
    if (sort) views.customers.setSort(sort);
  });

  register('loyal.customers.filter', async () => {
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter customers'),
      prompt: vscode.l10n.t('Text in the name, company, email or tags; #tag for one tag exactly'),
      value: views.customers.filter,
    });
    if (text === undefined) return;
    views.customers.setFilter(text);
    views.customersView.description = text ? vscode.l10n.t('filtered: {0}', text) : undefined;
  });

  register('loyal.customers.clearFilter', () => {
    views.customers.setFilter('');
    views.customersView.description = undefined;
  });

  register('loyal.customers.toggleArchived', () => {
    views.customers.showArchived = !views.customers.showArchived;
    views.customers.refresh();
  });
}
