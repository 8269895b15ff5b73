// The messages between the extension host and the webviews, as zod schemas used on both
// sides: whatever crosses the boundary is validated before it is acted on. The webview
// starts with `ready`; the host answers `init` with the page's data and every translated
// string (the webview has no vscode.l10n). Saves are requests with an id, answered by
// `saved`, `invalid` (with field errors) or `failed`. No `vscode` import: the webview bundles this.
import { z } from 'zod';
import { CustomerFormValues, FieldErrorCode, IncidentFormValues, PurchaseFormValues } from './forms';

export const RequestId = z.string().min(1).max(100);
export const Strings = z.record(z.string(), z.string());
export type Strings = z.infer<typeof Strings>;

const line = z.string().max(100_000);

// ---- Host to webview, common to every page ----

export const InvalidReply = z.strictObject({
  type: z.literal('invalid'),
  requestId: RequestId,
  /** Translated message per field; the codes are kept so tests and the webview can tell them apart. */
  errors: z.record(z.string(), z.strictObject({ code: FieldErrorCode, message: line })),
  message: line,
});
export const SavedReply = z.strictObject({ type: z.literal('saved'), requestId: RequestId, id: z.string().max(64), message: line });
export const FailedReply = z.strictObject({ type: z.literal('failed'), requestId: RequestId, message: line });
export const ErrorNotice = z.strictObject({ type: z.literal('error'), message: line });
export const PickedReply = z.strictObject({
  type: z.literal('picked'),
  requestId: RequestId,
  customer: z.strictObject({ id: z.string().max(64), name: line }).nullable(),
});

// ---- Webview to host, common ----

export const Ready = z.strictObject({ type: z.literal('ready') });
/** Asks the host to show its customer quick pick (it scales to tens of thousands; a select in the page does not). */
export const PickCustomer = z.strictObject({ type: z.literal('pickCustomer'), requestId: RequestId });

// ---- Incident form ----

export const Suggestions = z.strictObject({
  components: z.array(line).max(5000),
  staff: z.array(line).max(5000),
  tags: z.array(line).max(5000),
});

export const IncidentFormData = z.strictObject({
  /** Undefined for a new incident until it is saved. */
  incidentId: z.string().max(64).optional(),
  values: IncidentFormValues,
  customerName: line,
  resolved: z.boolean(),
  /** "Resolved on … by …", translated, when resolved. */
  resolvedText: line.optional(),
  outlook: z.strictObject({ atRisk: z.boolean(), text: line }).optional(),
  suggestions: Suggestions,
  currency: z.string().max(8),
  /** Set when the book cannot be written (unreadable file) or the incident is gone. */
  blocked: line.optional(),
});
export type IncidentFormData = z.infer<typeof IncidentFormData>;

export const IncidentHostMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('init'), strings: Strings, data: IncidentFormData }),
  z.strictObject({ type: z.literal('update'), data: IncidentFormData }),
  InvalidReply,
  SavedReply,
  FailedReply,
  ErrorNotice,
  PickedReply,
]);
export type IncidentHostMessage = z.infer<typeof IncidentHostMessage>;

export const SaveIncident = z.strictObject({
  type: z.literal('save'),
  requestId: RequestId,
  /** Every field for a new incident; for an edit, the fields the person changed (the rest is taken from the book). */
  values: IncidentFormValues.partial(),
  /** Run the resolve command once saved. */
  resolveAfter: z.boolean().default(false),
});

export const IncidentWebviewMessage = z.discriminatedUnion('type', [
  Ready,
  PickCustomer,
  SaveIncident,
  z.strictObject({ type: z.literal('resolve') }),
  z.strictObject({ type: z.literal('openCustomer') }),
]);
export type IncidentWebviewMessage = z.infer<typeof IncidentWebviewMessage>;

// ---- Customer page ----

export const TimelineEntry = z.strictObject({
  id: z.string().max(64),
  /** Sort key, ISO. */
  at: z.string().max(64),
  when: line,
  title: line,
  detail: line.optional(),
  badge: line.optional(),
  /** Shown with the warning colour (an open incident, an overdue follow-up). */
  attention: z.boolean().optional(),
  /** Who last changed the record and when ("Changed by Luca, …"), so a teammate's work shows after a pull. */
  changed: line.optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const TIMELINE_SECTIONS = ['purchases', 'subscriptions', 'incidents', 'followUps', 'notes', 'contacts'] as const;
export type TimelineSection = (typeof TIMELINE_SECTIONS)[number];

export const CustomerPageData = z.strictObject({
  customerId: z.string().max(64),
  values: CustomerFormValues,
  referredByName: line.optional(),
  archived: z.boolean(),
  currency: z.string().max(8),
  today: z.string().max(10),
  value: z
    .strictObject({
      ltv: line,
      historical: line,
      model: line,
      pPurchase12m: line.optional(),
      pAlive: line.optional(),
      expectedPurchases12m: line.optional(),
      explanation: z.array(line).max(100),
    })
    .optional(),
  flags: z.strictObject({
    atRisk: z.boolean(),
    riskReasons: z.array(line).max(50),
    quiet: z.boolean(),
    /** Why the customer counts as quiet, in words. */
    quietWhy: line.optional(),
    topValue: z.boolean(),
  }),
  timeline: z.strictObject({
    purchases: z.array(TimelineEntry),
    subscriptions: z.array(TimelineEntry),
    incidents: z.array(TimelineEntry),
    followUps: z.array(TimelineEntry),
    notes: z.array(TimelineEntry),
    contacts: z.array(TimelineEntry),
  }),
  suggestions: z.strictObject({ tags: z.array(line).max(5000), owners: z.array(line).max(5000), sources: z.array(line).max(5000) }),
  blocked: line.optional(),
});
export type CustomerPageData = z.infer<typeof CustomerPageData>;

export const CustomerHostMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('init'), strings: Strings, data: CustomerPageData }),
  z.strictObject({ type: z.literal('update'), data: CustomerPageData }),
  InvalidReply,
  SavedReply,
  FailedReply,
  ErrorNotice,
  PickedReply,
]);
export type CustomerHostMessage = z.infer<typeof CustomerHostMessage>;

export const CUSTOMER_ACTIONS = ['recordPurchase', 'recordSubscription', 'logContact', 'logIncident', 'addFollowUp', 'archive', 'unarchive'] as const;
export type CustomerAction = (typeof CUSTOMER_ACTIONS)[number];

export const CustomerWebviewMessage = z.discriminatedUnion('type', [
  Ready,
  PickCustomer,
  z.strictObject({ type: z.literal('saveCustomer'), requestId: RequestId, values: CustomerFormValues.partial() }),
  z.strictObject({ type: z.literal('recordPurchase'), requestId: RequestId, values: PurchaseFormValues }),
  z.strictObject({ type: z.literal('action'), action: z.enum(CUSTOMER_ACTIONS) }),
  z.strictObject({ type: z.literal('openIncident'), incidentId: z.string().max(64) }),
  z.strictObject({ type: z.literal('openCustomer'), customerId: z.string().max(64) }),
]);
export type CustomerWebviewMessage = z.infer<typeof CustomerWebviewMessage>;

/** A short, readable account of why a message was refused (first few zod issues with their paths). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ');
}
