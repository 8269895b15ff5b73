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

/** One step of a multi-step flow: a text with its prompt, prefilled value and check. */
export interface TextStep {
  prompt: string;
  value?: string;
  placeHolder?: string;
  /** A message when the text cannot be accepted (shown under the box, in place). */
  validate?: (text: string) => string | undefined;
  /** Skipped (left empty) when this says so, given the answers so far. */
  skip?: (answers: string[]) => boolean;
}

/** The input box of the flow on screen, for the integration tests (they fill and accept it). */
export const activeStep: { box: vscode.InputBox | undefined } = { box: undefined };

/**
 * Several texts in one input box that says "step n of N", keeps what was typed when going
 * back (the back button), and stays open when focus moves away. Returns the answers
 * trimmed, or undefined when the person closes it (Escape).
 */
export function askSteps(title: string, steps: TextStep[]): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const answers: string[] = steps.map((s) => s.value ?? '');
    let index = -1;
    let done = false;
    box.title = title;
    box.ignoreFocusOut = true;
    box.totalSteps = steps.length;
    const show = (to: number, direction: 1 | -1): void => {
      while (to >= 0 && to < steps.length && steps[to].skip?.(answers)) {
        answers[to] = '';
        to += direction;
      }
      if (to < 0) to = index;
      if (to >= steps.length) return finish(answers.map((a) => a.trim()));
      index = to;
      const step = steps[index];
      box.step = index + 1;
      box.prompt = step.prompt;
      box.placeholder = step.placeHolder;
      box.value = answers[index];
      box.validationMessage = undefined;
      box.buttons = index > 0 ? [vscode.QuickInputButtons.Back] : [];
    };
    const finish = (result: string[] | undefined): void => {
      if (done) return;
      done = true;
      activeStep.box = undefined;
      box.dispose();
      resolve(result);
    };
    box.onDidChangeValue((text) => {
      answers[index] = text;
      box.validationMessage = steps[index].validate?.(text);
    });
    box.onDidAccept(() => {
      const message = steps[index].validate?.(box.value);
      if (message) {
        box.validationMessage = message;
        return;
      }
      answers[index] = box.value;
      show(index + 1, 1);
    });
    box.onDidTriggerButton((button) => {
      if (button === vscode.QuickInputButtons.Back) show(index - 1, -1);
    });
    box.onDidHide(() => finish(undefined));
    show(0, 1);
    activeStep.box = box;
    box.show();
  });
}
