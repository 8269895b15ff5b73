// The input schemas of the tools of `loyal mcp`, built from the record schemas the CLI
// checks its flags with (records.ts): a value the CLI refuses, a tool refuses too, with
// the same words. Objects are strict, so a misspelt argument is an error naming it rather
// than a field silently left out of what is written.
import { z } from 'zod';
import { INSTANT_HINT, readInstant } from '../../domain/csv';
import { Amount, Category, Cause, Channel, Currency, Customer, Day, FollowUp, FollowUpKind, Incident, Outcome, Purchase, Severity, Contact } from '../../domain/records';

/** A customer by its id (cus_...) or its external id, exactly: never a guess by name. */
const CustomerRef = z.string().trim().min(1, 'must be a customer id (cus_...) or external id').describe("The customer's id (cus_...) or its external id, exactly as find_customers returns it.");
const IncidentRef = z.string().trim().min(1, 'must be an incident id (inc_...)').describe('The incident id (inc_...), as customer or morning_review returns it.');
const FollowUpRef = z.string().trim().min(1, 'must be a follow-up id (fol_...)').describe('The follow-up id (fol_...), as morning_review or customer returns it.');

/** As the CLI's --at: local time without an offset, or with one. */
const InstantInput = z.string().refine((value) => readInstant(value) !== undefined, INSTANT_HINT);
const AsOf = Day.describe('The day the report is made as of, YYYY-MM-DD (default today): later records are ignored.').optional();
const AmountInput = Amount.describe('An amount as a decimal string with a dot, such as "129.90".');
const Limit = (fallback: number, max: number, what: string) => z.number().int().min(1).max(max).default(fallback).describe(`At most this many ${what} (default ${fallback}, up to ${max}).`);

const incident = Incident.shape;
const followUp = FollowUp.shape;

export const MorningReviewInput = z.strictObject({
  asOf: AsOf,
  mine: z.boolean().default(false).describe('Only the follow-ups of the current user (assigned to them, or unassigned on customers they own).'),
  limit: Limit(50, 1000, 'entries in each section'),
});

export const CUSTOMER_SORTS = ['value', 'name', 'last-contact', 'risk'] as const;

export const FindCustomersInput = z.strictObject({
  text: z.string().trim().max(500).optional().describe('Words found in the name, company, email or a tag (case does not matter).'),
  tag: Customer.shape.tags.unwrap().element.optional().describe('Only customers with exactly this tag.'),
  atRisk: z.boolean().optional().describe('true: only customers at risk (an at-risk incident in the repeat window); false: only the others.'),
  quiet: z.boolean().optional().describe('true: only customers gone quiet; false: only the others.'),
  includeArchived: z.boolean().default(false).describe('Include archived customers.'),
  sort: z.enum(CUSTOMER_SORTS).default('value').describe('value: highest lifetime value first; name; last-contact: longest silence first; risk: at risk, then quiet, then by value.'),
  limit: Limit(20, 500, 'customers'),
  asOf: AsOf,
});

export const CustomerInput = z.strictObject({
  customer: CustomerRef,
  asOf: AsOf,
  timelineLimit: Limit(20, 300, 'timeline entries, newest first'),
});

export const TrendsInput = z.strictObject({
  from: Day.optional().describe('First day included, YYYY-MM-DD (default the earliest incident).'),
  to: Day.optional().describe('Last day included, YYYY-MM-DD (default the as-of day).'),
  asOf: AsOf,
  bucket: z.enum(['week', 'month']).default('week').describe('Time series by week or by month.'),
  category: z.array(Category).optional().describe('Only incidents of these categories.'),
  component: z.array(z.string().trim().min(1)).optional().describe('Only incidents of these components.'),
  staff: z.array(z.string().trim().min(1)).optional().describe('Only incidents with one of these staff members on duty.'),
  tag: z.array(z.string().trim().min(1)).optional().describe('Only incidents with one of these tags.'),
});

export const LogIncidentInput = z.strictObject({
  customer: CustomerRef,
  channel: Channel.describe('How the complaint came in: email, chat and social are written; phone and in-person are oral.'),
  category: Category.describe('Which factor of satisfaction failed: product, people, timeliness, process, or other.'),
  openedAt: InstantInput.optional().describe('When it was opened, e.g. 2026-03-02T09:15 (local time) (default now).'),
  severity: Severity.optional().describe('minor (default), major or critical.'),
  cause: Cause.optional().describe('preventable, unforeseeable or unknown (default).'),
  component: incident.component.describe('The part of the business involved (website, delivery...).'),
  staff: incident.staff.describe('The staff member on duty.'),
  summary: incident.summary.unwrap().optional().describe('What happened.'),
  customerWords: incident.customerWords.describe("The customer's own words."),
  tags: incident.tags.unwrap().optional().describe('Complaint types such as "late delivery" (what the top 5 complaints count).'),
});

export const ResolveIncidentInput = z.strictObject({
  incident: IncidentRef,
  at: InstantInput.optional().describe('When it was resolved, e.g. 2026-03-02T17:30 (local time) (default now).'),
  fairSolution: incident.fairSolution.describe('What the customer considered fair.'),
  extraMile: incident.extraMile.describe('The extra mile given beyond that.'),
  extraMileCost: AmountInput.optional().describe('What the extra mile cost, such as "15.00".'),
  resolutionNote: incident.resolutionNote.describe('How it was resolved.'),
  lessonsLearned: incident.lessonsLearned.describe('Lessons learned.'),
});

export const CompleteFollowUpInput = z.strictObject({
  followUp: FollowUpRef,
  satisfied: Outcome.shape.satisfied.describe('Was the customer satisfied? false reopens the recovery of its incident and plans a new satisfaction check.'),
  rating: Outcome.shape.rating.describe('A rating from 1 to 5.'),
  comment: Outcome.shape.comment.describe("The customer's comment."),
  at: InstantInput.optional().describe('When it was done (default now).'),
});

export const AddFollowUpInput = z.strictObject({
  customer: CustomerRef,
  kind: FollowUpKind.describe('satisfaction-check, handwritten-note, keep-in-touch or custom.'),
  due: followUp.due.describe('The due day, YYYY-MM-DD.'),
  title: followUp.title.describe('What to do.'),
  incident: IncidentRef.optional().describe('The incident it follows up (inc_...), if any.'),
  assignee: followUp.assignee.describe('Who does it (default the current user).'),
});

export const RecordPurchaseInput = z.strictObject({
  customer: CustomerRef,
  amount: AmountInput,
  date: Purchase.shape.date.optional().describe('The day of the purchase, YYYY-MM-DD (default today).'),
  currency: Currency.optional().describe('Three-letter currency code (default $LOYAL_CURRENCY or EUR).'),
  note: Purchase.shape.note.describe('A note.'),
});

export const LogContactInput = z.strictObject({
  customer: CustomerRef,
  channel: Channel.describe('How: email, phone, in-person, chat, social or other.'),
  at: InstantInput.optional().describe('When, e.g. 2026-03-02T09:15 (local time) (default now).'),
  summary: Contact.shape.summary.unwrap().optional().describe('What was said.'),
  by: Contact.shape.by.optional().describe('Who made the contact (default the current user).'),
});

/** A checked instant in the stored form (with its offset); the schema has accepted it. */
export function instantInput(value: string): string {
  return readInstant(value)!;
}
