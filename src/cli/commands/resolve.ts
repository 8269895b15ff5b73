// `loyal resolve INCIDENT_ID`: resolves an incident with the rules of src/domain/recovery.ts (the
// satisfaction check, and the handwritten note when warranted) in one store update. A
// refused resolution (already resolved, unknown incident) writes nothing and exits 1.
import { applyResolve, RuleError, topValueSet, type ResolveResult, type RuleTx, type TopValue } from '../../domain/recovery';
import { DEFAULT_RULE_SETTINGS } from '../../domain/settings';
import { daysBetween, dayOfInstant, instantOf } from '../../domain/time';
import type { CliCommand } from '../command';
import { RefusedError } from '../errors';
import { readAmountFlag, readInstantFlag } from '../values';
import { CLI_LTV_DEFAULTS, estimateFile, ltvCentsOf } from './ltv';

const REASON_WORDS: Record<string, string> = { severe: 'major or critical incident', 'top-value': 'top customer by lifetime value', 'repeat-failure': 'repeat failure' };

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function afterResolution(days: number): string {
  return days === 0 ? 'the day of the resolution' : `${days} day${days === 1 ? '' : 's'} after the resolution`;
}

/** What `loyal resolve` (and the MCP tool resolve_incident) says it did. */
export function describeResolution(result: ResolveResult, resolvedDay: string): string {
  const lines = [`Resolved ${result.incident.id} at ${result.incident.resolvedAt}${result.incident.resolvedBy ? ` by ${result.incident.resolvedBy}` : ''}.`];
  for (const f of result.followUps) lines.push(`Follow-up ${f.id}: satisfaction check due ${f.due} (${afterResolution(daysBetween(resolvedDay, f.due))})${f.assignee ? `, for ${f.assignee}` : ''}.`);
  if (!result.followUps.length) lines.push('No new satisfaction check: one is already pending for this incident.');
  for (const n of result.notes)
    lines.push(`Handwritten note ${n.id}: due ${n.due} (${afterResolution(daysBetween(resolvedDay, n.due))}), because: ${result.reasons.map((r) => REASON_WORDS[r]).join(', ')}.`);
  if (!result.notes.length && result.reasons.length) lines.push('No new handwritten note: this incident already has one.');
  if (result.switchedOff.length) lines.push(`Not asking for a note (switched off): ${result.switchedOff.map((r) => REASON_WORDS[r]).join(', ')}.`);
  return lines.join('\n');
}

export const resolveCommand: CliCommand = {
  name: 'resolve',
  summary: 'resolve an incident: creates the satisfaction check and, when warranted, the handwritten note',
  usage: 'resolve INCIDENT_ID [--at DATETIME] [--fair-solution TEXT] [--extra-mile TEXT] [--extra-mile-cost AMOUNT] [--note TEXT] [--lessons TEXT]',
  positionals: { min: 1, max: 1, names: 'INCIDENT_ID' },
  flags: () => ({
    at: { type: 'string', value: 'DATETIME', description: 'when it was resolved, e.g. 2026-03-02T09:15 (default now)' },
    'fair-solution': { type: 'string', value: 'TEXT', description: 'what the customer considered fair' },
    'extra-mile': { type: 'string', value: 'TEXT', description: 'the extra mile given beyond that' },
    'extra-mile-cost': { type: 'string', value: 'AMOUNT', description: 'what the extra mile cost, e.g. 15.00' },
    note: { type: 'string', value: 'TEXT', description: 'how it was resolved (the resolution note)' },
    lessons: { type: 'string', value: 'TEXT', description: 'lessons learned' },
  }),
  async run(ctx) {
    const incidentId = ctx.positionals[0].trim();
    const at = typeof ctx.values.at === 'string' ? readInstantFlag('at', ctx.values.at, 'resolve') : instantOf(ctx.clock.now());
    const extraMileCost = typeof ctx.values['extra-mile-cost'] === 'string' ? readAmountFlag('extra-mile-cost', ctx.values['extra-mile-cost'], 'resolve') : undefined;
    const input = {
      at,
      by: ctx.user(),
      fairSolution: text(ctx.values['fair-solution']),
      extraMile: text(ctx.values['extra-mile']),
      extraMileCost,
      resolutionNote: text(ctx.values.note),
      lessonsLearned: text(ctx.values.lessons),
    };
    const store = await ctx.openBook();
    const result = await store.update((tx) => {
      // Lifetime values only when the rules ask whether the customer is a top one: a refused
      // resolution (already resolved, unknown incident) answers at once even on a big book.
      let top: Set<string> | undefined;
      const topValue: TopValue = (customerId) => {
        if (!top) {
          const file = tx.file;
          const ltvOf = ltvCentsOf(estimateFile(file, CLI_LTV_DEFAULTS, dayOfInstant(at), { backtest: false }));
          top = topValueSet(
            file.customers.filter((c) => !c.archived).map((c) => c.id),
            ltvOf,
            DEFAULT_RULE_SETTINGS.topValueShare,
          );
        }
        return top.has(customerId);
      };
      try {
        // The store's transaction is the RuleTx the rules expect (insert with audit fields, patch removing undefined).
        return applyResolve(tx as RuleTx, incidentId, input, DEFAULT_RULE_SETTINGS, topValue);
      } catch (error) {
        if (error instanceof RuleError) throw new RefusedError(error.message);
        throw error;
      }
    });
    if (ctx.json) ctx.printJson(result);
    else ctx.print(describeResolution(result, dayOfInstant(at)));
  },
};
