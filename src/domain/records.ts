// The records of the data file (README "The data file") as zod schemas.
// Objects are strict so that a typo in a hand edit is reported with its path instead
// of being dropped silently; a format change bumps SCHEMA_VERSION (see migrations.ts).
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

export const ID_PREFIX = {
  customer: 'cus',
  purchase: 'pur',
  subscription: 'sub',
  contact: 'con',
  incident: 'inc',
  followUp: 'fol',
  note: 'not',
  release: 'rel',
  teamMember: 'tm',
} as const;
export type RecordKind = keyof typeof ID_PREFIX;

const idOf = (kind: RecordKind) => z.string().regex(new RegExp(`^${ID_PREFIX[kind]}_[0-9a-z]{4,32}$`), `must look like "${ID_PREFIX[kind]}_" followed by letters and digits`);

/** A calendar day, YYYY-MM-DD, in the user's time zone. */
export const Day = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });
/** An instant with its UTC offset, so the local hour of day is kept (trend review). */
export const Instant = z.iso.datetime({ offset: true, local: false, error: 'must be a date and time such as 2026-03-02T09:15:00+01:00' });
/** Money as a decimal string with at most two decimals: never a float, never loses a cent. */
export const Amount = z.string().regex(/^-?\d{1,13}(\.\d{1,2})?$/, 'must be an amount such as 129.90 (dot as decimal separator)');
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR');
const Text = z.string().max(10_000);
const Name = z.string().trim().min(1, 'must not be empty').max(500);
const Tag = z.string().trim().min(1).max(100);

const audit = {
  createdAt: Instant,
  createdBy: z.string().max(200),
  updatedAt: Instant,
  updatedBy: z.string().max(200),
};

export const Customer = z.strictObject({
  id: idOf('customer'),
  externalId: z.string().max(200).optional(),
  name: Name,
  company: z.string().max(500).optional(),
  email: z.string().max(500).optional(),
  phone: z.string().max(100).optional(),
  address: z.string().max(2000).optional(),
  tags: z.array(Tag).default([]),
  owner: z.string().max(200).optional(),
  source: z.string().max(200).optional(),
  referredBy: idOf('customer').optional(),
  keepInTouchDays: z.number().int().min(1).max(3650).optional(),
  onTimeHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .optional(),
  notes: Text.optional(),
  archived: z.boolean().default(false),
  ...audit,
});

export const Purchase = z.strictObject({
  id: idOf('purchase'),
  customerId: idOf('customer'),
  /** The order or charge this purchase was imported from (e.g. "shopify:#1001"), so a second import adds nothing. */
  externalId: z.string().max(200).optional(),
  date: Day,
  amount: Amount,
  currency: Currency,
  note: Text.optional(),
  ...audit,
});

export const SubscriptionPeriod = z.enum(['month', 'year']);
export const Subscription = z.strictObject({
  id: idOf('subscription'),
  customerId: idOf('customer'),
  amount: Amount,
  currency: Currency,
  period: SubscriptionPeriod,
  start: Day,
  end: Day.optional(),
  grossMargin: z.number().min(0).max(1).optional(),
  ...audit,
});

export const Channel = z.enum(['email', 'phone', 'in-person', 'chat', 'social', 'other']);
/** Written complaints arrive by email, chat or social; oral ones by phone or in person. */
export const WRITTEN_CHANNELS: ReadonlySet<z.infer<typeof Channel>> = new Set(['email', 'chat', 'social']);

export const Contact = z.strictObject({
  id: idOf('contact'),
  customerId: idOf('customer'),
  at: Instant,
  channel: Channel,
  by: z.string().max(200),
  summary: Text.default(''),
  ...audit,
});

export const Category = z.enum(['product', 'people', 'timeliness', 'process', 'other']);
export const Severity = z.enum(['minor', 'major', 'critical']);
export const Cause = z.enum(['preventable', 'unforeseeable', 'unknown']);

export const Incident = z.strictObject({
  id: idOf('incident'),
  customerId: idOf('customer'),
  /** The help-desk ticket this incident was imported from (e.g. "zendesk:4521"), so a second import adds nothing. */
  externalId: z.string().max(200).optional(),
  openedAt: Instant,
  channel: Channel,
  category: Category,
  component: z.string().max(200).optional(),
  staff: z.string().max(200).optional(),
  severity: Severity.default('minor'),
  cause: Cause.default('unknown'),
  summary: Text.default(''),
  customerWords: Text.optional(),
  tags: z.array(Tag).default([]),
  acknowledgedAt: Instant.optional(),
  understoodAt: Instant.optional(),
  fairSolution: Text.optional(),
  extraMile: Text.optional(),
  extraMileCost: Amount.optional(),
  resolutionNote: Text.optional(),
  lessonsLearned: Text.optional(),
  firstResponseAt: Instant.optional(),
  resolvedAt: Instant.optional(),
  resolvedBy: z.string().max(200).optional(),
  /** How many times a "not satisfied" follow-up reopened the recovery (rework). */
  reopenCount: z.number().int().min(0).default(0),
  ...audit,
});

export const FollowUpKind = z.enum(['satisfaction-check', 'handwritten-note', 'keep-in-touch', 'custom']);
export const FollowUpStatus = z.enum(['pending', 'done', 'skipped']);
export const Outcome = z.strictObject({
  satisfied: z.boolean(),
  rating: z.number().int().min(1).max(5).optional(),
  comment: Text.optional(),
});

export const FollowUp = z.strictObject({
  id: idOf('followUp'),
  customerId: idOf('customer'),
  incidentId: idOf('incident').optional(),
  kind: FollowUpKind,
  title: z.string().max(500).optional(),
  due: Day,
  assignee: z.string().max(200).optional(),
  status: FollowUpStatus.default('pending'),
  snoozedUntil: Day.optional(),
  outcome: Outcome.optional(),
  doneAt: Instant.optional(),
  doneBy: z.string().max(200).optional(),
  ...audit,
});

export const NoteStatus = z.enum(['to-write', 'to-post', 'sent']);
export const HandwrittenNote = z.strictObject({
  id: idOf('note'),
  customerId: idOf('customer'),
  incidentId: idOf('incident').optional(),
  due: Day,
  status: NoteStatus.default('to-write'),
  text: Text.default(''),
  address: z.string().max(2000).optional(),
  writtenAt: Instant.optional(),
  writtenBy: z.string().max(200).optional(),
  sentAt: Instant.optional(),
  sentBy: z.string().max(200).optional(),
  ...audit,
});

export const Release = z.strictObject({
  id: idOf('release'),
  component: z.string().trim().min(1).max(200),
  version: z.string().trim().min(1).max(100),
  date: Day,
  source: z.enum(['manual', 'git']).default('manual'),
  ...audit,
});

export const TeamMember = z.strictObject({
  id: idOf('teamMember'),
  name: Name,
  email: z.string().max(500).optional(),
  ...audit,
});

export const LoyalFile = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(SCHEMA_VERSION),
  customers: z.array(Customer).default([]),
  purchases: z.array(Purchase).default([]),
  subscriptions: z.array(Subscription).default([]),
  contacts: z.array(Contact).default([]),
  incidents: z.array(Incident).default([]),
  followUps: z.array(FollowUp).default([]),
  notes: z.array(HandwrittenNote).default([]),
  releases: z.array(Release).default([]),
  team: z.array(TeamMember).default([]),
});

export type Customer = z.infer<typeof Customer>;
export type Purchase = z.infer<typeof Purchase>;
export type Subscription = z.infer<typeof Subscription>;
export type Contact = z.infer<typeof Contact>;
export type Incident = z.infer<typeof Incident>;
export type FollowUp = z.infer<typeof FollowUp>;
export type HandwrittenNote = z.infer<typeof HandwrittenNote>;
export type Release = z.infer<typeof Release>;
export type TeamMember = z.infer<typeof TeamMember>;
export type LoyalFile = z.infer<typeof LoyalFile>;
export type Channel = z.infer<typeof Channel>;
export type Category = z.infer<typeof Category>;
export type Severity = z.infer<typeof Severity>;
export type Cause = z.infer<typeof Cause>;
export type FollowUpKind = z.infer<typeof FollowUpKind>;
export type FollowUpStatus = z.infer<typeof FollowUpStatus>;
export type NoteStatus = z.infer<typeof NoteStatus>;
export type Outcome = z.infer<typeof Outcome>;

/** The record arrays of the file, by key, with the kind of record each holds. */
export const COLLECTIONS = {
  customers: 'customer',
  purchases: 'purchase',
  subscriptions: 'subscription',
  contacts: 'contact',
  incidents: 'incident',
  followUps: 'followUp',
  notes: 'note',
  releases: 'release',
  team: 'teamMember',
} as const satisfies Record<string, RecordKind>;
export type CollectionName = keyof typeof COLLECTIONS;
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as CollectionName[];
export type RecordOf<C extends CollectionName> = LoyalFile[C][number];
export type AnyRecord = RecordOf<CollectionName>;

export const RECORD_SCHEMAS = {
  customers: Customer,
  purchases: Purchase,
  subscriptions: Subscription,
  contacts: Contact,
  incidents: Incident,
  followUps: FollowUp,
  notes: HandwrittenNote,
  releases: Release,
  team: TeamMember,
} as const;

export function emptyFile(): LoyalFile {
  return {
    schemaVersion: SCHEMA_VERSION,
    customers: [],
    purchases: [],
    subscriptions: [],
    contacts: [],
    incidents: [],
    followUps: [],
    notes: [],
    releases: [],
    team: [],
  };
}
