// `loyal review`: the morning digest (what is overdue, due today, the notes to write, the
// customers at risk or gone quiet), readable in a cron mail or as JSON. The same
// `buildReview` as the Today view, so the terminal and the sidebar always agree.
import { indexBook } from '../../domain/book';
import { fromCents } from '../../domain/money';
import type { FollowUpKind } from '../../domain/records';
import { buildReview, type Review, type ReviewFollowUp } from '../../domain/review';
import type { CliCommand } from '../command';
import { AS_OF_FLAG, estimateFile, LTV_FLAGS, ltvCentsOf, readAsOf, readLtvSettings } from './ltv';

const KIND_WORDS: Record<FollowUpKind, string> = {
  'satisfaction-check': 'Satisfaction check',
  'handwritten-note': 'Handwritten note',
  'keep-in-touch': 'Keep in touch',
  custom: 'Follow-up',
};

const REASON_WORDS: Record<string, string> = {
  'repeat-failure': 'repeat failure',
  severe: 'severe incident',
  preventable: 'preventable failure',
  'beyond-usual-gap': 'well beyond their usual gap',
  'beyond-keep-in-touch': 'past their keep-in-touch cadence',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "3 days overdue", "due today", "due tomorrow", "due in 4 days". */
export function relativeDue(days: number): string {
  if (days < -1) return `${-days} days overdue`;
  if (days === -1) return '1 day overdue';
  if (days === 0) return 'due today';
  if (days === 1) return 'due tomorrow';
  return `due in ${days} days`;
}

function followUpLine(item: ReviewFollowUp): string {
  const parts = [`${KIND_WORDS[item.kind]}${item.title ? ` "${item.title}"` : ''}: ${item.customerName}, ${relativeDue(item.daysUntilDue)} (${item.due})`];
  if (item.assignee) parts.push(`for ${item.assignee}`);
  if (item.valueAtStakeCents > 0) parts.push(`value at stake ${fromCents(item.valueAtStakeCents)}`);
  if (item.customerAtRisk) parts.push('customer at risk');
  return `  - ${parts.join(', ')}`;
}

function section(title: string, lines: string[], empty = 'nothing'): string[] {
  return [`${title} (${lines.length})`, ...(lines.length ? lines : [`  ${empty}`]), ''];
}

export function reviewToText(review: Review): string {
  const out = [`Morning review for ${review.asOf}`, ''];
  out.push(...section('Overdue', review.overdue.map(followUpLine)));
  out.push(...section('Due today', review.today.map(followUpLine)));
  out.push(
    ...section(
      'Handwritten notes',
      review.notes.map(
        (n) => `  - ${n.status === 'to-write' ? 'To write' : 'To post'}: ${n.customerName}, ${relativeDue(n.daysUntilDue)} (${n.due})${n.address ? `, ${n.address.replace(/\s*\n\s*/g, ', ')}` : ''}`,
      ),
    ),
  );
  out.push(
    ...section(
      'Customers at risk',
      review.atRisk.map((c) => `  - ${c.customerName}: ${c.reasons.map((r) => REASON_WORDS[r] ?? r).join(', ')}${c.ltvCents > 0 ? `; LTV ${fromCents(c.ltvCents)}` : ''}`),
    ),
  );
  out.push(
    ...section(
      'Gone quiet',
      review.quiet.map((q) => {
        const habit =
          q.usualGapDays !== undefined ? `, usually every ${plural(q.usualGapDays, 'day')}` : q.keepInTouchDays !== undefined ? `, keep in touch every ${plural(q.keepInTouchDays, 'day')}` : '';
        const since = q.lastActivity ? `last activity ${q.daysSince === 1 ? 'yesterday' : `${q.daysSince} days ago`} (${q.lastActivity})` : `no activity in ${plural(q.daysSince, 'day')}`;
        return `  - ${q.customerName}: ${since}${habit}${q.ltvCents > 0 ? `; LTV ${fromCents(q.ltvCents)}` : ''}`;
      }),
    ),
  );
  out.push(`Later: ${plural(review.counts.thisWeek, 'follow-up')} due this week, ${review.counts.later} after that.`);
  return out.join('\n');
}

export const reviewCommand: CliCommand = {
  name: 'review',
  summary: 'the morning digest: overdue, due today, notes to write, customers at risk or gone quiet',
  usage: 'review [--as-of DATE] [--mine] [--user NAME] [--json]',
  flags: () => ({
    ...AS_OF_FLAG,
    mine: { type: 'boolean', description: 'only the follow-ups of the current user (--user, $LOYAL_USER or git user.name)' },
    ...LTV_FLAGS,
  }),
  async run(ctx) {
    const asOf = readAsOf(ctx, 'review');
    const settings = readLtvSettings(ctx, 'review');
    const mine = ctx.values.mine === true;
    const store = await ctx.openBook();
    const file = store.file;
    const ltv = estimateFile(file, settings, asOf, { backtest: false });
    const review = buildReview(indexBook(file), { asOf, ltvOf: ltvCentsOf(ltv), ...(mine ? { user: ctx.user(), mineOnly: true } : {}) });
    if (ctx.json) ctx.printJson(mine ? { ...review, user: ctx.user() } : review);
    else ctx.print(reviewToText(review));
  },
};
