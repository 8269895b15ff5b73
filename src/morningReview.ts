// The morning review: once a day, in the first window of the day only. The day is kept in
// globalState, which all windows share, and claimed before the notification shows.
import * as vscode from 'vscode';
import type { LoyalSession } from './session';
import { today } from './domain/time';
import { displayLocale, plural } from './views/words';

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
  const message = morningMessage({ overdue: review.overdue.length, today: review.today.length, notes, atRisk: review.atRisk.length }, new Date().getHours());
  void vscode.window.showInformationMessage(message, open).then((answer) => {
    if (answer === open) void vscode.commands.executeCommand('loyal.showToday');
  });
  return true;
}

/** The greeting for the hour of the day (0-23): the first window of the day may open at 20:00. */
export function greeting(hour: number): string {
  if (hour >= 5 && hour < 12) return vscode.l10n.t('Good morning.');
  if (hour >= 12 && hour < 18) return vscode.l10n.t('Good afternoon.');
  return vscode.l10n.t('Good evening.');
}

/** "Good evening. 3 follow-ups overdue, 1 due today and 1 note to write.": what is zero is left out. */
export function morningMessage(counts: { overdue: number; today: number; notes: number; atRisk: number }, hour: number): string {
  const parts: string[] = [];
  if (counts.overdue) parts.push(plural(counts.overdue, vscode.l10n.t('{0} follow-up overdue', counts.overdue), vscode.l10n.t('{0} follow-ups overdue', counts.overdue)));
  if (counts.today) parts.push(plural(counts.today, vscode.l10n.t('{0} follow-up due today', counts.today), vscode.l10n.t('{0} follow-ups due today', counts.today)));
  if (counts.notes) parts.push(plural(counts.notes, vscode.l10n.t('{0} note to write', counts.notes), vscode.l10n.t('{0} notes to write', counts.notes)));
  if (counts.atRisk) parts.push(plural(counts.atRisk, vscode.l10n.t('{0} customer at risk', counts.atRisk), vscode.l10n.t('{0} customers at risk', counts.atRisk)));
  const list = new Intl.ListFormat(displayLocale(), { style: 'long', type: 'conjunction' }).format(parts);
  return `${greeting(hour)} ${list.charAt(0).toLocaleUpperCase(displayLocale())}${list.slice(1)}.`;
}

/** Forgets that today's review was shown (used by the integration tests). */
export async function forgetMorningReview(context: vscode.ExtensionContext): Promise<void> {
  await context.globalState.update(LAST_SHOWN_KEY, undefined);
}
