// The JSON Schema of the data file, from the zod records, for the editor's validation
// and completion of hand edits (the extension contributes it through jsonValidation).
// `io: 'input'` leaves fields with defaults optional, as the reader accepts them.
// Descriptions and VS Code's `patternErrorMessage` are added here so a hand edit gets
// the same words as the extension's own messages.
import { z } from 'zod';
import { Amount, COLLECTIONS, Currency, Day, ID_PREFIX, Instant, LoyalFile, SCHEMA_VERSION, type CollectionName } from '../domain/records';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; items?: JsonSchema; pattern?: string };

const COLLECTION_WORDS: Record<CollectionName, string> = {
  customers: 'Customers: contact details, tags, owner, keep-in-touch cadence.',
  purchases: 'Purchases: customer, day, amount (decimal string) and currency.',
  subscriptions: 'Subscriptions: amount per month or year, start, end when cancelled.',
  contacts: 'Logged contacts; each one resets the keep-in-touch clock.',
  incidents: 'Incidents (complaints and failures) with their service-recovery steps.',
  followUps: 'Follow-ups: satisfaction checks, keep-in-touch reminders, handwritten-note reminders, custom tasks.',
  notes: 'Handwritten notes to write, post and mark sent.',
  releases: 'Releases of components, to compare incidents before and after.',
  team: 'Team members.',
};

const FIELD_WORDS: Record<string, string> = {
  id: 'Record id: a prefix and letters and digits; never change it.',
  externalId: 'The key of this record in the system it was imported from (a customer id, an order, charge or ticket id): a second import matches it instead of adding it again.',
  customerId: 'Id of the customer (cus_...).',
  incidentId: 'Id of the incident (inc_...).',
  referredBy: 'Id of the customer who referred this one.',
  keepInTouchDays: 'Reach out again after this many days without contact.',
  onTimeHours: 'What "on time" means to this customer, in hours.',
  amount: 'Decimal string with a dot, e.g. "129.90".',
  currency: 'Three-letter code, e.g. "EUR".',
  date: 'Calendar day, YYYY-MM-DD.',
  due: 'Calendar day, YYYY-MM-DD.',
  openedAt: 'Date and time with offset, e.g. 2026-03-02T09:15:00+01:00: the hour of day counts in the trend review.',
  channel: 'How it came in: email, chat and social are written; phone and in-person are oral.',
  category: 'Which of the four factors of satisfaction failed (or other).',
  severity: 'minor, major or critical: a major or critical incident puts the customer at risk.',
  cause: 'A preventable failure puts the customer at risk; an unforeseeable one may be forgiven.',
  tags: 'Free words; for incidents, the complaint types the top 5 counts.',
  staff: 'Staff member on duty when it happened.',
  component: 'Part of the business involved (website, delivery, ...), compared with releases.',
  reopenCount: 'How many times a "not satisfied" follow-up reopened the recovery.',
  status: 'Where it stands.',
  createdAt: 'Set by Loyal.',
  createdBy: 'Set by Loyal.',
  updatedAt: 'Set by Loyal; the later change wins when two edits of one record are merged.',
  updatedBy: 'Set by Loyal.',
};

/** VS Code shows `patternErrorMessage` instead of a bare regular expression. */
function patternMessages(): Map<string, string> {
  const messages = new Map<string, string>();
  const add = (schema: z.ZodType, message: string) => {
    const pattern = (z.toJSONSchema(schema, { target: 'draft-7' }) as JsonSchema).pattern;
    if (pattern) messages.set(pattern, message);
  };
  add(Day, 'A date written YYYY-MM-DD, e.g. 2026-03-02.');
  add(Instant, 'A date and time with its offset, e.g. 2026-03-02T09:15:00+01:00.');
  add(Amount, 'An amount as a string with a dot and at most two decimals, e.g. "129.90".');
  add(Currency, 'A three-letter currency code such as EUR.');
  for (const [kind, prefix] of Object.entries(ID_PREFIX)) messages.set(`^${prefix}_[0-9a-z]{4,32}$`, `An id of a ${kind}: "${prefix}_" followed by lower-case letters and digits.`);
  return messages;
}

function decorate(node: JsonSchema, messages: Map<string, string>): void {
  if (typeof node.pattern === 'string' && messages.has(node.pattern)) node.patternErrorMessage = messages.get(node.pattern);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    if (FIELD_WORDS[name] && child.description === undefined) child.description = FIELD_WORDS[name];
    decorate(child, messages);
  }
  if (node.items) decorate(node.items, messages);
}

export function loyalJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(LoyalFile, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  schema.title = 'Loyal data file';
  schema.description = `The book of a Loyal CRM workspace (schemaVersion ${SCHEMA_VERSION}). Records are sorted by id, one field per line, so git merges changes to different records.`;
  const properties = schema.properties!;
  properties.$schema.description = 'Where the editor finds this schema.';
  properties.schemaVersion.description = 'Version of the file format; Loyal migrates older files.';
  const messages = patternMessages();
  for (const name of Object.keys(COLLECTIONS) as CollectionName[]) {
    properties[name].description = COLLECTION_WORDS[name];
    decorate(properties[name], messages);
  }
  return schema;
}
