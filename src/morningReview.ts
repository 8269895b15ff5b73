// The morning review: once a day, in the first window of the day only. The day is kept in
// globalState, which all windows share, and claimed before the notification shows.
import * as vscode from 'vscode';
import type { LoyalSession } from './session';
import { today } from './domain/time';

const LAST_SHOWN_KEY = 'loyal.morningReview.lastShownDay';

export async function maybeShowMorningReview(context: vscode.ExtensionContext, session: LoyalSession): Promise<boolean> {
  if (!session.settings.morningReviewEnabled || session.state !== 'ok') return false;
  const day = today();
  if (context.globalState.get<string>(LAST_SHOWN_KEY) === day) return false;
  await context.globalState.update(LAST_SHOWN_KEY, day);
  const review = session.figures.review(false);
  const due = review.overdue.length + review.today.length;
  const notes = review.notes.filter((n) => n.status === 'to-write').length;
  if (due === 0 && notes === 0 && review.atRisk.length === 0) return false;
  const open = vscode.l10n.t('Open Today');
  const message =
    review.overdue.length > 0
      ? vscode.l10n.t('Good morning. {0} follow-ups overdue, {1} due today, {2} notes to write, {3} customers at risk.', review.overdue.length, review.today.length, notes, review.atRisk.length)
      : vscode.l10n.t('Good morning. {0} follow-ups due today, {1} notes to write, {2} customers at risk.', review.today.length, notes, review.atRisk.length);
  void vscode.window.showInformationMessage(message, open).then((answer) => {
    if (answer === open) void vscode.commands.executeCommand('loyal.showToday');
  });
  return true;
}

/** Forgets that today's review was shown (used by the integration tests). */
export async function forgetMorningReview(context: vscode.ExtensionContext): Promise<void> {
  await context.globalState.update(LAST_SHOWN_KEY, undefined);
}
