// Registers the commands that open Loyal's editor tabs (webviews).
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { LoyalViews } from '../views/loyalViews';
import { IncidentNode } from '../views/incidentsView';
import { CustomerNode } from '../views/customersView';
import { customerFrom } from '../commands/customerCommands';
import { IncidentPanel, type PanelDeps } from './incidentPanel';
import { CustomerPanel } from './customerPanel';
import { panelLog } from './webviewBase';
import { registerTrendsPanel } from './trendsPanel';
import { registerPrintCards } from './printCards';

/** Open incidents first, then the most recent: the ones a person comes back to edit. */
async function pickIncident(session: LoyalSession): Promise<string | undefined> {
  const incidents = [...session.file.incidents].sort((a, b) => Number(!!a.resolvedAt) - Number(!!b.resolvedAt) || b.openedAt.localeCompare(a.openedAt)).slice(0, 1000);
  const chosen = await vscode.window.showQuickPick(
    incidents.map((i) => ({
      label: session.figures.customerName(i.customerId),
      description: i.summary,
      detail: `${new Date(i.openedAt).toLocaleString(vscode.env.language)} · ${i.resolvedAt ? vscode.l10n.t('Resolved') : vscode.l10n.t('Open')}`,
      id: i.id,
    })),
    { title: vscode.l10n.t('Edit which incident?'), matchOnDescription: true, ignoreFocusOut: true },
  );
  return chosen?.id;
}

/**
 * Commands return the panel they opened, so tests (which bundle their own copy of these
 * classes) can drive the very instance the extension made.
 */
export function registerPanels(context: vscode.ExtensionContext, session: LoyalSession, _views: LoyalViews): void {
  const deps: PanelDeps = { extensionUri: context.extensionUri, session };
  const register = (id: string, handler: (...args: unknown[]) => Promise<unknown> | unknown): void => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          // A page filled in for the user (the staff member of a new incident) waits for git's name.
          await session.whenUserKnown();
          return await handler(...args);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          panelLog().error(`${id}: ${message}`);
          void vscode.window.showErrorMessage(vscode.l10n.t('Loyal: {0}', message));
          return undefined;
        }
      }),
    );
  };
  const noBook = (): boolean => {
    if (session.state === 'ok') return false;
    void vscode.window.showWarningMessage(vscode.l10n.t('There is no readable Loyal data file yet.'));
    return true;
  };

  register('loyal.customer.open', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Open customer'));
    if (!customer) {
      if (typeof arg === 'string' && session.state === 'ok') void vscode.window.showWarningMessage(vscode.l10n.t('There is no customer {0} in the book.', arg));
      return undefined;
    }
    return CustomerPanel.show(deps, customer.id);
  });

  register('loyal.incident.openForm', async (arg) => {
    if (noBook()) return undefined;
    const customerId =
      arg instanceof CustomerNode
        ? arg.customer.id
        : typeof arg === 'string'
          ? arg
          : typeof arg === 'object' && arg !== null && typeof (arg as { customerId?: unknown }).customerId === 'string'
            ? (arg as { customerId: string }).customerId
            : undefined;
    return IncidentPanel.createNew(deps, customerId);
  });

  register('loyal.incident.edit', async (arg) => {
    if (noBook()) return undefined;
    const incidentId =
      arg instanceof IncidentNode
        ? arg.incident.id
        : typeof arg === 'string'
          ? arg
          : typeof arg === 'object' && arg !== null && typeof (arg as { incidentId?: unknown }).incidentId === 'string'
            ? (arg as { incidentId: string }).incidentId
            : undefined;
    if (!incidentId) {
      const picked = await pickIncident(session);
      return picked ? IncidentPanel.showExisting(deps, picked) : undefined;
    }
    if (!session.file.incidents.some((i) => i.id === incidentId)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('There is no incident {0} in the book.', incidentId));
      return undefined;
    }
    return IncidentPanel.showExisting(deps, incidentId);
  });

  // ---- Trend review and printable cards (trend-review engineer): register them here. ----
  registerTrendsPanel(context, session, deps);
  registerPrintCards(context, session, deps);
  // ---- end of the trend-review spot ----
}
