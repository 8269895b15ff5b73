// Two teammates sharing a data file through real `git`: each changes different records of
// the same book on a branch, then git merges them, with or without the Loyal merge driver.
// Used by store/teamSharing.test.ts to measure how often a plain line merge conflicts or leaves
// a file `loyal check` refuses.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyCompleteFollowUp, applyResolve } from '../../../src/domain/recovery';
import type { LoyalFile } from '../../../src/domain/records';
import { checkFile } from '../../../src/domain/validate';
import { LoyalStore } from '../../../src/store/store';

export type SharingOp = 'add' | 'edit' | 'archive' | 'follow-up-done' | 'resolve';
export const SHARING_OPS: readonly SharingOp[] = ['add', 'edit', 'archive', 'follow-up-done', 'resolve'];

/** A small seeded generator, so a trial's choice of records is reproducible. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'core.autocrlf=false', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
}

/** Runs git and returns its exit status instead of throwing (for merges that may conflict). */
export function gitStatus(cwd: string, ...args: string[]): number {
  return spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' }).status ?? -1;
}

export interface Change {
  op: SharingOp;
  /** The collection and id whose new state must be in the merge. */
  collection: 'customers' | 'followUps' | 'incidents';
  id: string;
  /** What the merged record must show. */
  expect: Record<string, unknown>;
}

/**
 * Applies `op` through the real store (so the file is laid out exactly as Loyal writes
 * it), on a record of `side`'s half of the book (by the last character of its id), so the two
 * teammates never touch the same record.
 */
export async function applyOp(path: string, op: SharingOp, side: 0 | 1, random: () => number, user: string): Promise<Change> {
  const store = await LoyalStore.open(path, { user: () => user, backups: 0 });
  try {
    // The halves come from the ids, so they stay apart whatever each side adds.
    const mine = <T extends { id: string }>(records: readonly T[], keep: (r: T) => boolean): T => {
      const choices = records.filter((r) => r.id.charCodeAt(r.id.length - 1) % 2 === side && keep(r));
      if (!choices.length) throw new Error(`no record left for ${op}`);
      return choices[Math.floor(random() * choices.length)];
    };
    const at = new Date(Date.parse('2026-11-20T10:00:00Z') + Math.floor(random() * 3_600_000)).toISOString().replace(/\.\d+Z$/, 'Z');
    const file = store.file;
    const change = await store.update((tx): Change => {
      switch (op) {
        case 'add': {
          const customer = tx.insert('customers', { name: `New from ${user}` });
          tx.insert('purchases', { customerId: customer.id, date: '2026-11-20', amount: '42.50', currency: 'EUR' });
          return { op, collection: 'customers', id: customer.id, expect: { name: `New from ${user}` } };
        }
        case 'edit': {
          const customer = mine(file.customers, (c) => !c.archived);
          tx.patch('customers', customer.id, { email: `${user}@example.com` });
          return { op, collection: 'customers', id: customer.id, expect: { email: `${user}@example.com` } };
        }
        case 'archive': {
          const customer = mine(file.customers, (c) => !c.archived);
          tx.patch('customers', customer.id, { archived: true });
          return { op, collection: 'customers', id: customer.id, expect: { archived: true } };
        }
        case 'follow-up-done': {
          const followUp = mine(file.followUps, (f) => f.status === 'pending');
          applyCompleteFollowUp(tx, followUp.id, { satisfied: true, rating: 5 }, at, user);
          return { op, collection: 'followUps', id: followUp.id, expect: { status: 'done', doneBy: user } };
        }
        case 'resolve': {
          const incident = mine(file.incidents, (i) => i.resolvedAt === undefined);
          applyResolve(tx, incident.id, { at, by: user });
          return { op, collection: 'incidents', id: incident.id, expect: { resolvedBy: user } };
        }
      }
    });
    await store.flush();
    return change;
  } finally {
    store.dispose();
  }
}

export type TrialOutcome = 'clean' | 'conflict' | 'invalid' | 'lost';

/** Checks a merged file: valid for `loyal check`, and every change of both sides in it. */
export function judgeMerged(text: string, changes: readonly Change[]): { outcome: TrialOutcome; detail?: string; file?: LoyalFile } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { outcome: 'invalid', detail: (error as Error).message };
  }
  const checked = checkFile(raw);
  if (!checked.ok) return { outcome: 'invalid', detail: checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
  for (const change of changes) {
    const record = (checked.file[change.collection] as unknown as Array<Record<string, unknown>>).find((r) => r.id === change.id);
    const missing = Object.entries(change.expect).find(([key, value]) => record?.[key] !== value);
    if (missing) return { outcome: 'lost', detail: `${change.op} of ${change.id}: ${missing[0]} is ${String(record?.[missing[0]])}` };
  }
  return { outcome: 'clean', file: checked.file };
}

export interface TrialOptions {
  /** The book both start from, as Loyal writes it. */
  base: string;
  seed: number;
  /** Changes per teammate. */
  opsPerSide: number;
  /** Only these operations (default all). */
  ops?: readonly SharingOp[];
  /** A command line for merge.loyal.driver; without it git merges lines. */
  driver?: string;
}

/** One trial in a fresh repository: base commit, two branches, `git merge` of one into the other. */
export async function mergeTrial(folder: string, options: TrialOptions): Promise<{ outcome: TrialOutcome; detail?: string }> {
  const random = seeded(options.seed * 7919 + 17);
  const ops = options.ops ?? SHARING_OPS;
  const path = join(folder, 'loyal.json');
  git(folder, 'init', '-q', '-b', 'main');
  if (options.driver) {
    git(folder, 'config', 'merge.loyal.driver', options.driver);
    await writeFile(join(folder, '.gitattributes'), 'loyal.json merge=loyal\n');
  }
  await writeFile(path, options.base);
  git(folder, 'add', '-A');
  git(folder, 'commit', '-q', '-m', 'base');
  const changes: Change[] = [];
  git(folder, 'checkout', '-q', '-b', 'luca');
  for (let k = 0; k < options.opsPerSide; k++) changes.push(await applyOp(path, ops[Math.floor(random() * ops.length)], 1, random, 'luca'));
  git(folder, 'commit', '-q', '-am', 'luca');
  git(folder, 'checkout', '-q', 'main');
  for (let k = 0; k < options.opsPerSide; k++) changes.push(await applyOp(path, ops[Math.floor(random() * ops.length)], 0, random, 'ana'));
  git(folder, 'commit', '-q', '-am', 'ana');
  if (gitStatus(folder, 'merge', '-q', '--no-edit', 'luca') !== 0) return { outcome: 'conflict' };
  return judgeMerged(await readFile(path, 'utf8'), changes);
}
