// The suggested text of a handwritten note after a problem: short, warm, in the voice of a
// card written by hand (sorry for what happened, glad to have you as a customer). The
// phrases are functions so the extension can pass translated ones (vscode.l10n.t) and the
// CLI the English ones below; the order and the rules about what to say stay here.
import type { Category } from './records';

export interface NoteContext {
  customerName: string;
  /** The incident's summary; only a short one-line summary is quoted on a card. */
  incidentSummary?: string;
  category?: Category;
  /** Who signs the card (the customer's owner, else whoever resolved the incident). */
  ownerName?: string;
}

export interface NotePhrases {
  greeting(customerName: string): string;
  /** Thanks the customer for their patience with what went wrong; `detail` is the short summary, when there is one. */
  whatHappened(category: Category | undefined, detail: string | undefined): string;
  sorry(): string;
  glad(): string;
  signature(ownerName: string | undefined): string;
}

/** The longest summary quoted on a card: longer ones read like a report, not a note. */
export const MAX_QUOTED_SUMMARY = 80;

const ENGLISH_TOPICS: Record<Category, string> = {
  product: 'the problem with your order',
  people: 'the way you were treated',
  timeliness: 'the delay',
  process: 'the trouble you had with us',
  other: 'what happened',
};

export const ENGLISH_NOTE_PHRASES: NotePhrases = {
  greeting: (customerName) => `Dear ${customerName},`,
  whatHappened: (category, detail) => {
    const topic = ENGLISH_TOPICS[category ?? 'other'];
    return detail ? `Thank you for your patience with ${topic} (${detail}).` : `Thank you for your patience with ${topic}.`;
  },
  sorry: () => 'I am truly sorry for the trouble it caused you.',
  glad: () => 'We are so glad to have you as a customer.',
  signature: (ownerName) => (ownerName ? `Warmly,\n${ownerName}` : 'Warmly,'),
};

export function suggestNoteText(ctx: NoteContext, phrases: NotePhrases = ENGLISH_NOTE_PHRASES): string {
  const body = [phrases.whatHappened(ctx.category, quotableSummary(ctx.incidentSummary)), phrases.sorry(), phrases.glad()].join(' ');
  const owner = ctx.ownerName?.trim() || undefined;
  return [phrases.greeting(ctx.customerName.trim()), body, phrases.signature(owner)].join('\n');
}

/**
 * The summary as a clause for the card, or undefined when it would not read well there:
 * several lines or a long text are internal notes, not words for the customer.
 */
export function quotableSummary(summary: string | undefined): string | undefined {
  const text = summary?.trim().replace(/[.!;:,\s]+$/u, '');
  if (!text || /[\r\n]/.test(text) || text.length > MAX_QUOTED_SUMMARY) return undefined;
  // Kept as written: lower-casing the first letter would also lower-case a name ("Sam was rude").
  return text;
}
