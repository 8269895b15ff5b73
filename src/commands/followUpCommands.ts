// Today's follow-ups: add, done (with the outcome), snooze, open the customer, mine only.
import * as vscode from 'vscode';
import type { LoyalSession } from '../session';
import type { LoyalViews } from '../views/loyalViews';
import { FollowUpNode } from '../views/todayView';
import type { FollowUp, FollowUpKind } from '../domain/records';
import { addCalendarDays, nowInstant, today } from '../domain/time';
import { applyCompleteFollowUp, snoozeFollowUp } from '../domain/recovery';
import { customerFrom } from './customerCommands';
import { askDay, askText, pick } from './inputs';
import { followUpKindLabel } from '../views/words';
import { asRuleTx, parsePreset, runCommand } from './run';
import { z } from 'zod';
import { Day } from '../domain/records';

/** Arguments that run the command without prompts (keybindings, other extensions, tests). */
const DonePreset = z.strictObject({
  followUpId: z.string(),
  satisfied: z.boolean(),
  rating: z.number().int().min(1).max(5).optional(),
  comment: z.string().optional(),
});
const SnoozePreset = z.strictObject({ followUpId: z.string(), until: Day });

function followUpFrom(session: LoyalSession, arg: unknown): FollowUp | undefined {
  const id = arg instanceof FollowUpNode ? arg.followUp.followUpId : typeof arg === 'string' ? arg : undefined;
  return id && session.state === 'ok' ? session.file.followUps.find((f) => f.id === id) : undefined;
}

export function registerFollowUpCommands(context: vscode.ExtensionContext, session: LoyalSession, views: LoyalViews): void {
  const register = (id: string, handler: (...args: unknown[]) => Promise<unknown> | unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(() => handler(...args))));
  };
  const pickFollowUp = async (title: string): Promise<FollowUp | undefined> => {
    const review = session.figures.followUpGroups(views.today.mineOnly);
    const items = [...review.overdue, ...review.today, ...review.thisWeek, ...review.later];
    const chosen = await vscode.window.showQuickPick(
      items.map((f) => ({ label: f.customerName, description: `${f.title || followUpKindLabel(f.kind)} · ${f.due}`, id: f.followUpId })),
      { title, ignoreFocusOut: true },
    );
    return chosen ? session.file.followUps.find((f) => f.id === chosen.id) : undefined;
  };

  register('loyal.followUp.add', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Add follow-up'));
    if (!customer) return;
    const title = vscode.l10n.t('Follow-up with {0}', customer.name);
    const kind = await pick<FollowUpKind>(title, [
      { value: 'keep-in-touch', label: followUpKindLabel('keep-in-touch') },
      { value: 'satisfaction-check', label: followUpKindLabel('satisfaction-check') },
      { value: 'handwritten-note', label: followUpKindLabel('handwritten-note') },
      { value: 'custom', label: vscode.l10n.t('Something else…') },
    ]);
    if (!kind) return;
    let label: string | undefined;
    if (kind === 'custom') {
      label = await askText({ title, prompt: vscode.l10n.t('What to do'), required: true });
      if (!label) return;
    }
    const due = await askDay(title, vscode.l10n.t('Due date'), addCalendarDays(today(), 1));
    if (!due) return;
    const team = [...new Set([session.user, ...session.file.team.map((m) => m.name)])];
    const assignee =
      team.length > 1
        ? await pick(
            title,
            team.map((name) => ({ value: name, label: name })),
            vscode.l10n.t('Who will do it?'),
          )
        : session.user;
    if (!assignee) return;
    await session.store!.update((tx) => tx.insert('followUps', { customerId: customer.id, kind, title: label, due, assignee, status: 'pending' }));
  });

  register('loyal.followUp.done', async (arg) => {
    const preset = parsePreset(DonePreset, arg);
    if (preset) {
      const { followUpId, ...outcome } = preset;
      return session.store!.update((tx) => applyCompleteFollowUp(asRuleTx(tx), followUpId, outcome, nowInstant(), session.user, session.figures.ruleSettings));
    }
    const followUp = followUpFrom(session, arg) ?? (await pickFollowUp(vscode.l10n.t('Which follow-up is done?')));
    if (!followUp) return;
    const customer = session.figures.customerName(followUp.customerId);
    const title = vscode.l10n.t('Done: {0}', customer);
    const satisfied = await pick<'yes' | 'no'>(title, [
      { value: 'yes', label: vscode.l10n.t('$(smiley) Satisfied'), description: vscode.l10n.t('the customer is happy with the solution') },
      { value: 'no', label: vscode.l10n.t('$(warning) Not satisfied'), description: followUp.incidentId ? vscode.l10n.t('reopens the recovery and plans a new follow-up') : undefined },
    ]);
    if (!satisfied) return;
    const rating = await pick<'1' | '2' | '3' | '4' | '5' | 'none'>(
      title,
      [
        { value: '5', label: '★★★★★ 5' },
        { value: '4', label: '★★★★☆ 4' },
        { value: '3', label: '★★★☆☆ 3' },
        { value: '2', label: '★★☆☆☆ 2' },
        { value: '1', label: '★☆☆☆☆ 1' },
        { value: 'none', label: vscode.l10n.t('No rating') },
      ],
      vscode.l10n.t('Rating from 1 to 5'),
    );
    if (!rating) return;
    const comment = await askText({ title, prompt: vscode.l10n.t('Comment (optional): what did the customer say?') });
    if (comment === undefined) return;
    const outcome = { satisfied: satisfied === 'yes', rating: rating === 'none' ? undefined : Number(rating), comment: comment || undefined };
    const result = await session.store!.update((tx) => applyCompleteFollowUp(asRuleTx(tx), followUp.id, outcome, nowInstant(), session.user, session.figures.ruleSettings));
    if (!outcome.satisfied && followUp.incidentId) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The recovery for {0} is reopened and a new follow-up is planned. It does not close until the customer is satisfied.', customer));
    }
    return result;
  });

  register('loyal.followUp.snooze', async (arg) => {
    const snooze = parsePreset(SnoozePreset, arg);
    if (snooze) {
      const target = session.file.followUps.find((f) => f.id === snooze.followUpId);
      if (!target) throw new Error(vscode.l10n.t('There is no follow-up {0} in this book.', snooze.followUpId));
      return session.store!.update((tx) => tx.patch('followUps', target.id, snoozeFollowUp(target, snooze.until, today())));
    }
    const followUp = followUpFrom(session, arg) ?? (await pickFollowUp(vscode.l10n.t('Which follow-up to snooze?')));
    if (!followUp) return;
    const start = today();
    const choice = await pick<'1' | '3' | '7' | 'date'>(vscode.l10n.t('Snooze until…'), [
      { value: '1', label: vscode.l10n.t('Tomorrow'), description: addCalendarDays(start, 1) },
      { value: '3', label: vscode.l10n.t('In 3 days'), description: addCalendarDays(start, 3) },
      { value: '7', label: vscode.l10n.t('Next week'), description: addCalendarDays(start, 7) },
      { value: 'date', label: vscode.l10n.t('Pick a date…') },
    ]);
    if (!choice) return;
    const until = choice === 'date' ? await askDay(vscode.l10n.t('Snooze until…'), vscode.l10n.t('Date'), addCalendarDays(start, 14)) : addCalendarDays(start, Number(choice));
    if (!until) return;
    await session.store!.update((tx) => tx.patch('followUps', followUp.id, snoozeFollowUp(followUp, until, start)));
  });

  register('loyal.followUp.openCustomer', async (arg) => {
    const customer = await customerFrom(session, arg, vscode.l10n.t('Open customer'));
    if (customer) await vscode.commands.executeCommand('loyal.customer.open', customer.id);
  });

  const setMine = (mine: boolean): void => {
    views.today.mineOnly = mine;
    void vscode.commands.executeCommand('setContext', 'loyal.today.mineOnly', mine);
    views.todayView.description = mine ? vscode.l10n.t('assigned to {0}', session.user) : undefined;
    views.today.refresh();
  };
  register('loyal.today.mineOnly', () => setMine(true));
  register('loyal.today.everyone', () => setMine(false));
}
