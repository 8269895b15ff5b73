// `loyal add KIND --flag value ...`: one flag per field of the record, checked with the
// record's schema before the book is opened, then inserted in one store update.
import type { z } from 'zod';
import { CustomerKeys } from '../../domain/csv';
import { Category, Cause, Channel, FollowUpKind, FollowUpStatus, NoteStatus, Outcome, RECORD_SCHEMAS, Severity, SubscriptionPeriod, type CollectionName } from '../../domain/records';
import { dayOf, instantOf } from '../../domain/time';
import type { CliCommand, CliContext, Flags } from '../command';
import { RefusedError, UsageError } from '../errors';
import { check, readAmountFlag, readEnumFlag, readInstantFlag, readNumberFlag, readYesNoFlag } from '../values';

type FieldKind = 'text' | 'day' | 'instant' | 'amount' | 'currency' | 'int' | 'number' | 'bool' | 'yesno' | 'list' | 'customer' | 'incident' | 'enum';

interface FieldFlag {
  flag: string;
  /** The record field; `outcome.x` for a follow-up's outcome. */
  field: string;
  kind: FieldKind;
  description: string;
  required?: boolean;
  values?: readonly string[];
}

interface RecordSpec {
  collection: CollectionName;
  fields: FieldFlag[];
  /** Fills what the flags left out (dates of today, the current user...). */
  defaults?: (record: Record<string, unknown>, ctx: CliContext) => void;
}

const f = (flag: string, field: string, kind: FieldKind, description: string, extra: Partial<FieldFlag> = {}): FieldFlag => ({ flag, field, kind, description, ...extra });

const customerFlag = f('customer', 'customerId', 'customer', 'the customer: its id or external id', { required: true });
const currencyFlag = f('currency', 'currency', 'currency', 'three-letter currency code (default $LOYAL_CURRENCY or EUR)');

export const ADD_SPECS: Record<string, RecordSpec> = {
  customer: {
    collection: 'customers',
    fields: [
      f('name', 'name', 'text', 'full name', { required: true }),
      f('external-id', 'externalId', 'text', 'its key in another system'),
      f('company', 'company', 'text', 'company'),
      f('email', 'email', 'text', 'email address'),
      f('phone', 'phone', 'text', 'phone number'),
      f('address', 'address', 'text', 'postal address (for handwritten notes)'),
      f('tag', 'tags', 'list', 'a tag'),
      f('owner', 'owner', 'text', 'team member in charge'),
      f('source', 'source', 'text', 'where the customer came from'),
      f('referred-by', 'referredBy', 'customer', 'the customer who referred them (id or external id)'),
      f('keep-in-touch-days', 'keepInTouchDays', 'int', 'keep-in-touch cadence in days'),
      f('on-time-hours', 'onTimeHours', 'number', 'what "on time" means to this customer, in hours'),
      f('notes', 'notes', 'text', 'free notes'),
      f('archived', 'archived', 'bool', 'add it archived'),
    ],
  },
  purchase: {
    collection: 'purchases',
    fields: [
      customerFlag,
      f('date', 'date', 'day', 'day of the purchase, YYYY-MM-DD (default today)'),
      f('amount', 'amount', 'amount', 'amount such as 129.90', { required: true }),
      currencyFlag,
      f('note', 'note', 'text', 'note'),
    ],
    defaults: (record, ctx) => {
      record.date ??= dayOf(ctx.clock.now());
      record.currency ??= defaultCurrency(ctx);
    },
  },
  subscription: {
    collection: 'subscriptions',
    fields: [
      customerFlag,
      f('amount', 'amount', 'amount', 'amount per period', { required: true }),
      currencyFlag,
      f('period', 'period', 'enum', 'billing period', { required: true, values: SubscriptionPeriod.options }),
      f('start', 'start', 'day', 'first day, YYYY-MM-DD (default today)'),
      f('end', 'end', 'day', 'day it was cancelled, YYYY-MM-DD'),
      f('gross-margin', 'grossMargin', 'number', 'gross margin from 0 to 1 (overrides the setting)'),
    ],
    defaults: (record, ctx) => {
      record.start ??= dayOf(ctx.clock.now());
      record.currency ??= defaultCurrency(ctx);
    },
  },
  contact: {
    collection: 'contacts',
    fields: [
      customerFlag,
      f('at', 'at', 'instant', 'when, e.g. 2026-03-02T09:15 (default now)'),
      f('channel', 'channel', 'enum', 'how', { required: true, values: Channel.options }),
      f('by', 'by', 'text', 'who made the contact (default the current user)'),
      f('summary', 'summary', 'text', 'what was said'),
    ],
    defaults: (record, ctx) => {
      record.at ??= instantOf(ctx.clock.now());
      record.by ??= ctx.user();
    },
  },
  incident: {
    collection: 'incidents',
    fields: [
      customerFlag,
      f('at', 'openedAt', 'instant', 'when it was opened, e.g. 2026-03-02T09:15 (default now)'),
      f('channel', 'channel', 'enum', 'how the complaint came in', { required: true, values: Channel.options }),
      f('category', 'category', 'enum', 'which factor of satisfaction failed', { required: true, values: Category.options }),
      f('component', 'component', 'text', 'the part of the business involved (website, delivery...)'),
      f('staff', 'staff', 'text', 'staff member on duty'),
      f('severity', 'severity', 'enum', 'how bad (default minor)', { values: Severity.options }),
      f('cause', 'cause', 'enum', 'could it have been prevented (default unknown)', { values: Cause.options }),
      f('summary', 'summary', 'text', 'what happened'),
      f('customer-words', 'customerWords', 'text', "the customer's own words"),
      f('tag', 'tags', 'list', 'a complaint type such as "late delivery"'),
      f('acknowledged-at', 'acknowledgedAt', 'instant', 'when it was acknowledged'),
      f('understood-at', 'understoodAt', 'instant', 'when the problem was understood'),
      f('fair-solution', 'fairSolution', 'text', 'what the customer considered fair'),
      f('extra-mile', 'extraMile', 'text', 'the extra mile given'),
      f('extra-mile-cost', 'extraMileCost', 'amount', 'what the extra mile cost'),
      f('resolution-note', 'resolutionNote', 'text', 'how it was resolved'),
      f('lessons-learned', 'lessonsLearned', 'text', 'lessons learned'),
      f('first-response-at', 'firstResponseAt', 'instant', 'first response to the customer'),
      f('resolved-at', 'resolvedAt', 'instant', 'when it was resolved (use "loyal resolve" to apply the follow-up rules)'),
      f('resolved-by', 'resolvedBy', 'text', 'who resolved it (default the current user when --resolved-at is given)'),
      f('reopen-count', 'reopenCount', 'int', 'how many times the recovery was reopened'),
    ],
    defaults: (record, ctx) => {
      record.openedAt ??= instantOf(ctx.clock.now());
      if (record.resolvedAt !== undefined) record.resolvedBy ??= ctx.user();
    },
  },
  followup: {
    collection: 'followUps',
    fields: [
      customerFlag,
      f('incident', 'incidentId', 'incident', 'the incident it follows up'),
      f('kind', 'kind', 'enum', 'kind of follow-up', { required: true, values: FollowUpKind.options }),
      f('title', 'title', 'text', 'what to do'),
      f('due', 'due', 'day', 'due day, YYYY-MM-DD', { required: true }),
      f('assignee', 'assignee', 'text', 'who does it (default the current user)'),
      f('status', 'status', 'enum', 'status (default pending)', { values: FollowUpStatus.options }),
      f('snoozed-until', 'snoozedUntil', 'day', 'hidden until this day'),
      f('satisfied', 'outcome.satisfied', 'yesno', 'outcome: was the customer satisfied (yes or no)'),
      f('rating', 'outcome.rating', 'int', 'outcome: rating from 1 to 5'),
      f('comment', 'outcome.comment', 'text', 'outcome: comment'),
      f('done-at', 'doneAt', 'instant', 'when it was done'),
      f('done-by', 'doneBy', 'text', 'who did it (default the current user when --done-at is given)'),
    ],
    defaults: (record, ctx) => {
      record.assignee ??= ctx.user();
      if (record.doneAt !== undefined) record.doneBy ??= ctx.user();
    },
  },
  note: {
    collection: 'notes',
    fields: [
      customerFlag,
      f('incident', 'incidentId', 'incident', 'the incident it is about'),
      f('due', 'due', 'day', 'due day, YYYY-MM-DD', { required: true }),
      f('status', 'status', 'enum', 'status (default to-write)', { values: NoteStatus.options }),
      f('text', 'text', 'text', 'suggested text'),
      f('address', 'address', 'text', "postal address (default the customer's)"),
      f('written-at', 'writtenAt', 'instant', 'when it was written'),
      f('written-by', 'writtenBy', 'text', 'who wrote it'),
      f('sent-at', 'sentAt', 'instant', 'when it was posted'),
      f('sent-by', 'sentBy', 'text', 'who posted it'),
    ],
  },
  release: {
    collection: 'releases',
    fields: [
      f('component', 'component', 'text', 'the component released (website, app...)', { required: true }),
      f('version', 'version', 'text', 'its version', { required: true }),
      f('date', 'date', 'day', 'day of the release, YYYY-MM-DD (default today)'),
      f('source', 'source', 'enum', 'where it was recorded (default manual)', { values: ['manual', 'git'] }),
    ],
    defaults: (record, ctx) => {
      record.date ??= dayOf(ctx.clock.now());
    },
  },
  member: {
    collection: 'team',
    fields: [f('name', 'name', 'text', 'full name', { required: true }), f('email', 'email', 'text', 'email address')],
  },
};

function defaultCurrency(ctx: CliContext): string {
  return ctx.io.env.LOYAL_CURRENCY?.trim().toUpperCase() || 'EUR';
}

function fieldSchema(collection: CollectionName, field: string): z.ZodType {
  if (field.startsWith('outcome.')) return (Outcome.shape as Record<string, z.ZodType>)[field.slice(8)];
  return ((RECORD_SCHEMAS[collection] as z.ZodObject).shape as Record<string, z.ZodType>)[field];
}

function flagsOf(spec: RecordSpec): Flags {
  const flags: Flags = {};
  for (const field of spec.fields) {
    flags[field.flag] = {
      type: field.kind === 'bool' ? 'boolean' : 'string',
      multiple: field.kind === 'list' ? true : undefined,
      required: field.required,
      value: field.kind === 'day' ? 'DATE' : field.kind === 'instant' ? 'DATETIME' : field.kind === 'enum' ? field.values!.join('|') : field.kind === 'customer' ? 'ID' : undefined,
      description: field.description,
    };
  }
  return flags;
}

/** Converts and checks one flag value; usage errors name the flag. */
function readField(collection: CollectionName, field: FieldFlag, raw: string | boolean | string[]): unknown {
  const command = 'add';
  const schema = fieldSchema(collection, field.field);
  switch (field.kind) {
    case 'bool':
      return raw === true;
    case 'list':
      return check(
        field.flag,
        schema,
        (raw as string[]).map((tag) => tag.trim()),
        command,
      );
    case 'yesno':
      return readYesNoFlag(field.flag, raw as string, command);
    case 'amount':
      return check(field.flag, schema, readAmountFlag(field.flag, raw as string, command), command);
    case 'instant':
      return readInstantFlag(field.flag, raw as string, command);
    case 'int':
    case 'number':
      return check(field.flag, schema, readNumberFlag(field.flag, raw as string, field.kind === 'int', command), command);
    case 'enum':
      return readEnumFlag(field.flag, raw as string, field.values!, command);
    case 'currency':
      return check(field.flag, schema, (raw as string).trim().toUpperCase(), command);
    case 'customer':
    case 'incident':
      return (raw as string).trim();
    default:
      return check(field.flag, schema, raw, command);
  }
}

export const addCommand: CliCommand = {
  name: 'add',
  summary: 'add a record: loyal add KIND with one flag per field; prints the new id',
  usage: `add ${Object.keys(ADD_SPECS).join('|')} [flags]`,
  subjects: Object.keys(ADD_SPECS),
  flags: (subject) => (subject && ADD_SPECS[subject] ? flagsOf(ADD_SPECS[subject]) : {}),
  async run(ctx) {
    const spec = ADD_SPECS[ctx.subject!];
    const record: Record<string, unknown> = {};
    const outcome: Record<string, unknown> = {};
    const references: Array<{ field: FieldFlag; value: string }> = [];
    for (const field of spec.fields) {
      const raw = ctx.values[field.flag];
      if (raw === undefined || (field.kind === 'bool' && raw === false)) continue;
      const value = readField(spec.collection, field, raw);
      if (field.kind === 'customer' || field.kind === 'incident') references.push({ field, value: value as string });
      if (field.field.startsWith('outcome.')) outcome[field.field.slice(8)] = value;
      else record[field.field] = value;
    }
    if (Object.keys(outcome).length) {
      if (outcome.satisfied === undefined) throw new UsageError('--satisfied is required when --rating or --comment is given', 'add');
      record.outcome = outcome;
    }
    spec.defaults?.(record, ctx);

    const store = await ctx.openBook();
    const keys = new CustomerKeys(store.file.customers);
    for (const { field, value } of references) {
      if (field.kind === 'customer') {
        const id = keys.find(value);
        if (!id) throw new RefusedError(`--${field.flag}: no customer has the id or external id "${value}"`);
        record[field.field] = id;
      } else if (!store.index.incidents.has(value)) {
        throw new RefusedError(`--${field.flag}: there is no incident ${value}`);
      }
    }
    if (ctx.subject === 'note' && record.address === undefined) {
      const customer = store.index.customers.get(record.customerId as string);
      if (customer?.address) record.address = customer.address;
    }
    const inserted = await store.update((tx) => tx.insert(spec.collection, record as never));
    if (ctx.json) ctx.printJson(inserted);
    else ctx.print(inserted.id);
  },
};
