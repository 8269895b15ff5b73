// Reads the `loyal.*` settings. The domain receives plain objects, never the editor API.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { restrictedDataFileSetting } from './store/confine';

export interface LoyalSettings {
  dataFile: string;
  user: string;
  currency: string;
  ltv: { margin: number; monthlyDiscountRate: number; horizonMonths: number; monthlyChurn: number; minRepeatBuyers: number };
  followUpAfterResolveDays: number;
  notesAfterResolveDays: number;
  notesOnSevere: boolean;
  notesOnTopValue: boolean;
  notesOnRepeat: boolean;
  repeatWindowDays: number;
  morningReviewEnabled: boolean;
  releaseTagPattern: string;
}

export function readSettings(): LoyalSettings {
  const c = vscode.workspace.getConfiguration('loyal');
  return {
    // Restricted mode: never a path from the workspace's own settings (see store/confine.ts).
    dataFile: vscode.workspace.isTrusted ? c.get<string>('dataFile', 'loyal.json') || 'loyal.json' : restrictedDataFileSetting(c.inspect<string>('dataFile')),
    user: c.get<string>('user', '').trim(),
    currency: /^[A-Z]{3}$/.test(c.get<string>('currency', 'EUR')) ? c.get<string>('currency', 'EUR') : 'EUR',
    ltv: {
      margin: c.get<number>('ltv.margin', 1),
      monthlyDiscountRate: c.get<number>('ltv.monthlyDiscountRate', 0.01),
      horizonMonths: c.get<number>('ltv.horizonMonths', 36),
      monthlyChurn: c.get<number>('ltv.monthlyChurn', 0.03),
      minRepeatBuyers: c.get<number>('ltv.minRepeatBuyers', 1),
    },
    followUpAfterResolveDays: c.get<number>('followUp.afterResolveDays', 3),
    notesAfterResolveDays: c.get<number>('notes.afterResolveDays', 2),
    notesOnSevere: c.get<boolean>('notes.onSevere', true),
    notesOnTopValue: c.get<boolean>('notes.onTopValue', true),
    notesOnRepeat: c.get<boolean>('notes.onRepeat', true),
    repeatWindowDays: c.get<number>('risk.repeatWindowDays', 365),
    morningReviewEnabled: c.get<boolean>('morningReview.enabled', true),
    releaseTagPattern: c.get<string>('releases.tagPattern', '*-v*'),
  };
}

/** The data file's absolute path, or undefined when no folder is open. */
export function dataFilePath(settings: LoyalSettings): string | undefined {
  if (isAbsolute(settings.dataFile)) return settings.dataFile;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  return join(folder.uri.fsPath, settings.dataFile);
}

let gitUserName: string | undefined;

/**
 * `loyal.user`, else git's user.name (looked up once), else the system account name. In
 * restricted mode git is not run at all (a cloned repository's git configuration can make
 * git run programs): the account name stands in until the workspace is trusted.
 */
export async function resolveCurrentUser(settings: LoyalSettings, cwd?: string): Promise<string> {
  if (settings.user) return settings.user;
  if (!vscode.workspace.isTrusted) return safeAccountName();
  if (gitUserName === undefined) {
    gitUserName = await new Promise<string>((resolve) => {
      execFile('git', ['config', 'user.name'], { cwd, timeout: 3000 }, (error, stdout) => resolve(error ? '' : stdout.trim()));
    });
  }
  return gitUserName || safeAccountName();
}

function safeAccountName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'me';
  }
}
