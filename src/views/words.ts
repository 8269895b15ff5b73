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
