// The forms of the webviews as plain values, and their checks against the record schemas.
// Shared by the webview (immediate feedback) and the host (the authority before writing),
// so both say the same thing about the same input. No `vscode` import: this runs in the browser.
import { z } from 'zod';
import { Customer, Incident, Purchase } from '../domain/records';
import { normaliseAmount } from '../domain/money';

/** Why a field is refused; each side turns the code into a translated sentence. */
export const FieldErrorCode = z.enum([
  'required',
  'badDateTime',
  'badDay',
  'badAmount',
  'badNumber',
  'badEmail',
  'tooLong',
  'chooseOne',
  'unknownCustomer',
  'selfReference',
  'beforeOpened',
  'invalid',
]);
export type FieldErrorCode = z.infer<typeof FieldErrorCode>;

const text = z.string().max(20_000);
const instantOrEmpty = z.string().max(64);

/** What the incident form holds: instants are ISO with offset (the webview converts from local time), '' when empty. */
export const IncidentFormValues = z.strictObject({
  customerId: z.string().max(64),
  openedAt: instantOrEmpty,
  channel: z.string().max(40),
  category: z.string().max(40),
  component: text,
  staff: text,
  severity: z.string().max(40),
  cause: z.string().max(40),
  summary: text,
  customerWords: text,
  tags: z.array(text).max(200),
  acknowledgedAt: instantOrEmpty,
  understoodAt: instantOrEmpty,
  firstResponseAt: instantOrEmpty,
  fairSolution: text,
  extraMile: text,
  extraMileCost: z.string().max(64),
  resolutionNote: text,
  lessonsLearned: text,
});
export type IncidentFormValues = z.infer<typeof IncidentFormValues>;
export type IncidentField = keyof IncidentFormValues;
export const INCIDENT_FIELDS = Object.keys(IncidentFormValues.shape) as IncidentField[];

export const CustomerFormValues = z.strictObject({
  name: text,
  company: text,
  email: text,
  phone: text,
  address: text,
  tags: z.array(text).max(200),
  owner: text,
  source: text,
  referredBy: z.string().max(64),
  keepInTouchDays: z.string().max(32),
  onTimeHours: z.string().max(32),
  notes: text,
});
export type CustomerFormValues = z.infer<typeof CustomerFormValues>;
export type CustomerField = keyof CustomerFormValues;
export const CUSTOMER_FIELDS = Object.keys(CustomerFormValues.shape) as CustomerField[];

export const PurchaseFormValues = z.strictObject({
  amount: z.string().max(64),
  date: z.string().max(32),
  note: text,
});
export type PurchaseFormValues = z.infer<typeof PurchaseFormValues>;
export type PurchaseField = keyof PurchaseFormValues;

export type FieldErrors<F extends string> = Partial<Record<F, FieldErrorCode>>;
export type FormCheck<F extends string, R> = { ok: true; record: R } | { ok: false; errors: FieldErrors<F> };

const EditableIncident = Incident.pick({
  customerId: true,
  openedAt: true,
  channel: true,
  category: true,
  component: true,
  staff: true,
  severity: true,
  cause: true,
  summary: true,
  customerWords: true,
  tags: true,
  acknowledgedAt: true,
  understoodAt: true,
  firstResponseAt: true,
  fairSolution: true,
  extraMile: true,
  extraMileCost: true,
  resolutionNote: true,
  lessonsLearned: true,
});
export type EditableIncident = z.infer<typeof EditableIncident>;

const EditableCustomer = Customer.pick({
  name: true,
  company: true,
  email: true,
  phone: true,
  address: true,
  tags: true,
  owner: true,
  source: true,
  referredBy: true,
  keepInTouchDays: true,
  onTimeHours: true,
  notes: true,
});
export type EditableCustomer = z.infer<typeof EditableCustomer>;

const EditablePurchase = Purchase.pick({ date: true, amount: true, note: true });
export type EditablePurchase = z.infer<typeof EditablePurchase>;

const INSTANT_FIELDS = new Set(['openedAt', 'acknowledgedAt', 'understoodAt', 'firstResponseAt']);
const AMOUNT_FIELDS = new Set(['extraMileCost', 'amount']);
const DAY_FIELDS = new Set(['date']);
const CHOICE_FIELDS = new Set(['channel', 'category', 'severity', 'cause']);
const ID_FIELDS = new Set(['customerId', 'referredBy']);
const NUMBER_FIELDS = new Set(['keepInTouchDays', 'onTimeHours']);

/** The zod issue of a record schema, said as a form error on the field it is about. */
function codeOf(field: string, issue: z.core.$ZodIssue, given: unknown): FieldErrorCode {
  if (given === undefined || given === '') return 'required';
  if (issue.code === 'too_big') return 'tooLong';
  if (issue.code === 'too_small') return typeof given === 'number' ? 'badNumber' : 'required';
  if (INSTANT_FIELDS.has(field)) return 'badDateTime';
  if (DAY_FIELDS.has(field)) return 'badDay';
  if (AMOUNT_FIELDS.has(field)) return 'badAmount';
  if (CHOICE_FIELDS.has(field)) return 'chooseOne';
  if (ID_FIELDS.has(field)) return 'unknownCustomer';
  if (NUMBER_FIELDS.has(field)) return 'badNumber';
  return 'invalid';
}

function issuesToErrors<F extends string>(issues: readonly z.core.$ZodIssue[], candidate: Record<string, unknown>, fields: readonly F[]): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '') as F;
    if (!fields.includes(field) || errors[field]) continue;
    errors[field] = codeOf(field, issue, candidate[field]);
  }
  return errors;
}

const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
/** Free words, trimmed, without blanks or repeats (case-insensitively), first spelling kept. */
export function cleanTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}
/**
 * What the person typed as an amount. "12,50" is read as twelve fifty (a decimal comma,
 * as French and Italian write it), never as 1250; "1,234.50" keeps its thousands comma.
 */
const amountOf = (value: string): string | undefined => {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const decimalComma = /^-?\d+,\d{1,2}$/.test(trimmed) ? trimmed.replace(',', '.') : trimmed;
  return normaliseAmount(decimalComma) ?? trimmed;
};

export interface IncidentContext {
  /** Whether the id names a customer of the book; the webview, which does not hold the book, says yes to any well-formed id. */
  customerExists(id: string): boolean;
}

export function checkIncidentForm(values: IncidentFormValues, context: IncidentContext): FormCheck<IncidentField, EditableIncident> {
  const candidate: Record<string, unknown> = {
    customerId: values.customerId.trim() || undefined,
    openedAt: optional(values.openedAt),
    channel: values.channel || undefined,
    category: values.category || undefined,
    component: optional(values.component),
    staff: optional(values.staff),
    severity: values.severity || undefined,
    cause: values.cause || undefined,
    summary: values.summary.trim(),
    customerWords: optional(values.customerWords),
    tags: cleanTags(values.tags),
    acknowledgedAt: optional(values.acknowledgedAt),
    understoodAt: optional(values.understoodAt),
    firstResponseAt: optional(values.firstResponseAt),
    fairSolution: optional(values.fairSolution),
    extraMile: optional(values.extraMile),
    extraMileCost: amountOf(values.extraMileCost),
    resolutionNote: optional(values.resolutionNote),
    lessonsLearned: optional(values.lessonsLearned),
  };
  // Severity and cause have defaults in the record, but the form always shows a choice: an empty one is a forged message.
  const required: IncidentField[] = ['customerId', 'openedAt', 'channel', 'category', 'severity', 'cause'];
  const parsed = EditableIncident.safeParse(candidate);
  const errors: FieldErrors<IncidentField> = parsed.success ? {} : issuesToErrors(parsed.error.issues, candidate, INCIDENT_FIELDS);
  for (const field of required) if (candidate[field] === undefined) errors[field] = 'required';
  if (!errors.customerId && candidate.customerId && !context.customerExists(candidate.customerId as string)) errors.customerId = 'unknownCustomer';
  // Checked with the other fields, not after they are all valid: the form says everything
  // that is wrong in one round.
  const opened = typeof candidate.openedAt === 'string' && !errors.openedAt ? Date.parse(candidate.openedAt) : NaN;
  if (!Number.isNaN(opened)) {
    for (const field of ['acknowledgedAt', 'understoodAt', 'firstResponseAt'] as const) {
      const at = candidate[field];
      if (typeof at === 'string' && !errors[field] && Date.parse(at) < opened) errors[field] = 'beforeOpened';
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, record: parsed.data };
}

export interface CustomerContext {
  selfId: string;
  customerExists(id: string): boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkCustomerForm(values: CustomerFormValues, context: CustomerContext): FormCheck<CustomerField, EditableCustomer> {
  const numberOf = (value: string): number | string | undefined => {
    const trimmed = value.trim().replace(',', '.');
    if (trimmed === '') return undefined;
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : value;
  };
  const candidate: Record<string, unknown> = {
    name: values.name.trim(),
    company: optional(values.company),
    email: optional(values.email),
    phone: optional(values.phone),
    address: optional(values.address),
    tags: cleanTags(values.tags),
    owner: optional(values.owner),
    source: optional(values.source),
    referredBy: optional(values.referredBy),
    keepInTouchDays: numberOf(values.keepInTouchDays),
    onTimeHours: numberOf(values.onTimeHours),
    notes: values.notes.trim() === '' ? undefined : values.notes,
  };
  const parsed = EditableCustomer.safeParse(candidate);
  const errors: FieldErrors<CustomerField> = parsed.success ? {} : issuesToErrors(parsed.error.issues, candidate, CUSTOMER_FIELDS);
  if (candidate.name === '') errors.name = 'required';
  if (typeof candidate.email === 'string' && !errors.email && !EMAIL.test(candidate.email)) errors.email = 'badEmail';
  const referredBy = candidate.referredBy as string | undefined;
  if (referredBy && !errors.referredBy) {
    if (referredBy === context.selfId) errors.referredBy = 'selfReference';
    else if (!context.customerExists(referredBy)) errors.referredBy = 'unknownCustomer';
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, record: parsed.data };
}

export function checkPurchaseForm(values: PurchaseFormValues): FormCheck<PurchaseField, EditablePurchase> {
  const candidate: Record<string, unknown> = {
    amount: amountOf(values.amount),
    date: optional(values.date),
    note: optional(values.note),
  };
  const parsed = EditablePurchase.safeParse(candidate);
  const errors: FieldErrors<PurchaseField> = parsed.success ? {} : issuesToErrors(parsed.error.issues, candidate, ['amount', 'date', 'note']);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, record: parsed.data };
  return { ok: false, errors };
}

/** The form as it shows a stored incident. */
export function incidentFormValuesOf(incident: Partial<EditableIncident>): IncidentFormValues {
  return {
    customerId: incident.customerId ?? '',
    openedAt: incident.openedAt ?? '',
    channel: incident.channel ?? '',
    category: incident.category ?? '',
    component: incident.component ?? '',
    staff: incident.staff ?? '',
    severity: incident.severity ?? 'minor',
    cause: incident.cause ?? 'unknown',
    summary: incident.summary ?? '',
    customerWords: incident.customerWords ?? '',
    tags: [...(incident.tags ?? [])],
    acknowledgedAt: incident.acknowledgedAt ?? '',
    understoodAt: incident.understoodAt ?? '',
    firstResponseAt: incident.firstResponseAt ?? '',
    fairSolution: incident.fairSolution ?? '',
    extraMile: incident.extraMile ?? '',
    extraMileCost: incident.extraMileCost ?? '',
    resolutionNote: incident.resolutionNote ?? '',
    lessonsLearned: incident.lessonsLearned ?? '',
  };
}

export function customerFormValuesOf(customer: Partial<EditableCustomer>): CustomerFormValues {
  return {
    name: customer.name ?? '',
    company: customer.company ?? '',
    email: customer.email ?? '',
    phone: customer.phone ?? '',
    address: customer.address ?? '',
    tags: [...(customer.tags ?? [])],
    owner: customer.owner ?? '',
    source: customer.source ?? '',
    referredBy: customer.referredBy ?? '',
    keepInTouchDays: customer.keepInTouchDays?.toString() ?? '',
    onTimeHours: customer.onTimeHours?.toString() ?? '',
    notes: customer.notes ?? '',
  };
}
