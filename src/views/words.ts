// Shared wording of the views: relative days, kinds, money in the display language.
import * as vscode from 'vscode';
import type { FollowUpKind, NoteStatus } from '../domain/records';
import { formatMoney } from '../domain/money';

export function displayLocale(): string {
  return vscode.env.language || 'en';
}

export function money(cents: number, currency: string): string {
  return formatMoney(cents, currency, displayLocale());
}

/**
 * Money rounded to whole units, for a glance (the sidebar, a tooltip's sum): two amounts side
 * by side read alike ("EUR 25,725 · paid EUR 0", not "EUR 25,725 · paid EUR 0.00").
 */
export function wholeMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(displayLocale(), { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(Math.round(cents / 100));
  } catch {
    return money(Math.round(cents / 100) * 100, currency);
  }
}

/**
 * The form of a counted phrase that the display language uses for `count` ("1 note",
 * "2 notes"; French says "0 carte", "1 carte"): both forms go through l10n at the call site.
 */
export function plural(count: number, one: string, other: string): string {
  return new Intl.PluralRules(displayLocale()).select(count) === 'one' ? one : other;
}

/** How urgent, in as few characters as it takes, for the start of a sidebar row: "17 d overdue". */
export function shortDue(days: number): string {
  if (days === 0) return vscode.l10n.t('due today');
  if (days === 1) return vscode.l10n.t('due tomorrow');
  if (days < 0) return vscode.l10n.t('{0} d overdue', -days);
  return vscode.l10n.t('in {0} d', days);
}

/** "today", "tomorrow", "in 3 days", "yesterday", "4 days overdue". */
export function relativeDue(days: number): string {
  if (days === 0) return vscode.l10n.t('due today');
  if (days === 1) return vscode.l10n.t('due tomorrow');
  if (days === -1) return vscode.l10n.t('1 day overdue');
  if (days < 0) return vscode.l10n.t('{0} days overdue', -days);
  return vscode.l10n.t('due in {0} days', days);
}

export function relativePast(days: number): string {
  if (days <= 0) return vscode.l10n.t('today');
  if (days === 1) return vscode.l10n.t('yesterday');
  return vscode.l10n.t('{0} days ago', days);
}

export function followUpKindLabel(kind: FollowUpKind): string {
  switch (kind) {
    case 'satisfaction-check':
      return vscode.l10n.t('Satisfaction check');
    case 'handwritten-note':
      return vscode.l10n.t('Handwritten note');
    case 'keep-in-touch':
      return vscode.l10n.t('Keep in touch');
    case 'custom':
      return vscode.l10n.t('Follow-up');
  }
}

export function noteStatusLabel(status: NoteStatus): string {
  switch (status) {
    case 'to-write':
      return vscode.l10n.t('To write');
    case 'to-post':
      return vscode.l10n.t('To post');
    case 'sent':
      return vscode.l10n.t('Sent');
  }
}
