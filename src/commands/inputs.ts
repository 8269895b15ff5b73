// Small quick-input helpers: each validates in place and returns undefined when cancelled.
import * as vscode from 'vscode';
import { isMatch } from 'date-fns';
import { normaliseAmount } from '../domain/money';
import type { LoyalSession } from '../session';
import type { Customer } from '../domain/records';

export async function askText(options: { title: string; prompt: string; value?: string; required?: boolean; placeHolder?: string }): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    value: options.value,
    placeHolder: options.placeHolder,
    ignoreFocusOut: true,
    validateInput: (text) => (options.required && !text.trim() ? vscode.l10n.t('This field is required.') : undefined),
  });
  return value === undefined ? undefined : value.trim();
}

export async function askAmount(title: string, prompt: string, value?: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    placeHolder: '129.90',
    ignoreFocusOut: true,
    validateInput: (t) => (normaliseAmount(t) === undefined ? vscode.l10n.t('Enter an amount such as 129.90, with a dot for decimals.') : undefined),
  });
  return text === undefined ? undefined : normaliseAmount(text);
}

export function isValidDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && isMatch(text, 'yyyy-MM-dd');
}

export async function askDay(title: string, prompt: string, value: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    placeHolder: 'YYYY-MM-DD',
    ignoreFocusOut: true,
    validateInput: (t) => (isValidDay(t.trim()) ? undefined : vscode.l10n.t('Enter a date written YYYY-MM-DD, for example 2026-03-02.')),
  });
  return text?.trim();
}

export async function askNumber(title: string, prompt: string, options: { value?: number; min: number; max: number; integer?: boolean; optional?: boolean }): Promise<number | null | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: options.value === undefined ? '' : String(options.value),
    ignoreFocusOut: true,
    validateInput: (t) => {
      if (!t.trim() && options.optional) return undefined;
      const n = Number(t);
      if (!t.trim() || !Number.isFinite(n) || n < options.min || n > options.max || (options.integer && !Number.isInteger(n))) {
        return vscode.l10n.t('Enter a number from {0} to {1}.', options.min, options.max);
      }
      return undefined;
    },
  });
  if (text === undefined) return undefined;
  return text.trim() ? Number(text) : null;
}

export async function pick<T extends string>(title: string, items: Array<{ value: T; label: string; description?: string }>, placeHolder?: string): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(
    items.map((i) => ({ label: i.label, description: i.description, value: i.value })),
    { title, placeHolder, ignoreFocusOut: true },
  );
  return chosen?.value;
}

/** Picks a customer: most valuable first, searchable by name, company, email. */
export async function pickCustomer(session: LoyalSession, title: string): Promise<Customer | undefined> {
  const figures = session.figures;
  const customers = session.file.customers.filter((c) => !c.archived);
  customers.sort((a, b) => (figures.value(b.id)?.ltvCents ?? 0) - (figures.value(a.id)?.ltvCents ?? 0));
  const chosen = await vscode.window.showQuickPick(
    customers.map((c) => ({ label: c.name, description: [c.company, c.email].filter(Boolean).join(' · '), id: c.id })),
    { title, placeHolder: vscode.l10n.t('Type a name, company or email'), matchOnDescription: true, ignoreFocusOut: true },
  );
  return chosen ? session.file.customers.find((c) => c.id === chosen.id) : undefined;
}
