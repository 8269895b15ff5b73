// `loyal demo`: writes a generated book (a coffee roaster with customers, purchases,
// incidents and follow-ups) to try Loyal or to benchmark it. Never replaces an existing
// file unless --force, and then atomically (a new file renamed over the old one).
import { access, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { generateDemoBook } from '../../domain/demo';
import { COLLECTION_NAMES, Day } from '../../domain/records';
import type { CliCommand } from '../command';
import { RefusedError } from '../errors';
import { check, readCountFlag } from '../values';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'write a generated example book (a specialty coffee roaster)',
  usage: 'demo [--customers N] [--incidents M] [--seed S] [--today DATE] [--force] --file PATH',
  flags: () => ({
    customers: { type: 'string', value: 'N', description: 'number of customers (default 1000: enough for the trend review to find the planted patterns)' },
    incidents: { type: 'string', value: 'M', description: 'number of incidents (default half the customers)' },
    seed: { type: 'string', value: 'S', description: 'the same seed gives the same book (default 1)' },
    today: { type: 'string', value: 'DATE', description: 'the day the book is as of, YYYY-MM-DD (default today)' },
    force: { type: 'boolean', description: 'replace an existing file' },
  }),
  async run(ctx) {
    const customers = readCountFlag('customers', ctx.values.customers as string | undefined, 1000, 1_000_000, 'demo');
    const incidents = ctx.values.incidents === undefined ? undefined : readCountFlag('incidents', ctx.values.incidents as string, 0, 10_000_000, 'demo');
    const today = ctx.values.today === undefined ? undefined : check('today', Day, (ctx.values.today as string).trim(), 'demo');
    const seed = (ctx.values.seed as string | undefined) ?? 1;
    const force = ctx.values.force === true;
    const target = ctx.filePath;
    const replacing = await exists(target);
    if (replacing && !force) throw new RefusedError(`${target} already exists: not replaced (use --force to replace it)`);

    // Demo people run the demo business: the owner is a made-up name unless --user or
    // LOYAL_USER names one (never the machine's git name: a made-up book with you on its staff).
    const named = typeof ctx.values.user === 'string' ? ctx.values.user : ctx.io.env.LOYAL_USER;
    const owner = named?.trim() || undefined;
    const book = generateDemoBook({ customers, incidents, seed, today, user: owner });
    const path = replacing ? join(dirname(target), `.${basename(target)}.demo-${process.pid}.tmp`) : target;
    const writer = await ctx.openStore(path);
    try {
      await writer.create(book);
      if (path !== target) await rename(path, target);
    } finally {
      if (path !== target) await rm(path, { force: true });
    }
    const counts = Object.fromEntries(COLLECTION_NAMES.map((name) => [name, book[name].length]));
    if (ctx.json) ctx.printJson({ file: target, counts });
    else
      ctx.print(
        `Wrote ${target}: ${COLLECTION_NAMES.filter((name) => counts[name] > 0)
          .map((name) => `${counts[name]} ${name}`)
          .join(', ')}`,
      );
  },
};
