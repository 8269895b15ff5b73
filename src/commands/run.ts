import * as vscode from 'vscode';
import type { z } from 'zod';

/** A refused operation or bad input never fails silently: the person sees why. */
export async function runCommand<T>(action: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(vscode.l10n.t('Loyal: {0}', message));
    return undefined;
  }
}

import type { Transaction } from '../store/transaction';
import type { RuleTx } from '../domain/recovery';

/**
 * The store's transaction seen as the rules' narrower interface. Both take the same
 * records; TypeScript cannot relate zod's input and output types across the generic
 * collection parameter, hence the one cast here.
 */
export function asRuleTx(tx: Transaction): RuleTx {
  return tx as RuleTx;
}

/**
 * A plain-object argument meant to skip the prompts. Anything that is not a plain object
 * (a tree node, an id, nothing) returns undefined; a plain object that does not fit the
 * schema is refused with the fields that are wrong, and nothing is written.
 */
export function parsePreset<T extends z.ZodType>(schema: T, arg: unknown): z.infer<T> | undefined {
  if (typeof arg !== 'object' || arg === null || Object.getPrototypeOf(arg) !== Object.prototype) return undefined;
  const parsed = schema.safeParse(arg);
  if (!parsed.success) {
    throw new Error(vscode.l10n.t('Invalid arguments: {0}', parsed.error.issues.map((i) => `${i.path.join('.') || '(argument)'}: ${i.message}`).join('; ')));
  }
  return parsed.data;
}
