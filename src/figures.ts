// Derived figures of one version of the book: lifetime values, risk, quiet customers,
// recovery progress and the morning review. Built lazily, once per store version, so the
// views read them without recomputing. No editor API here: the session hands in the note
// phrases in the display language (src/notePhrases.ts).
import type { Incident, LoyalFile } from './domain/records';
import type { LoyalSettings } from './settings';
import { indexBook, type BookIndex } from './domain/book';
import type { Backtest, CustomerLtv, LtvBook } from './domain/ltv/types';
import { customerRisk, recoveryOutlook, recoveryProgress, topValueSet, type RecoveryOutlook, type RecoveryProgress } from './domain/recovery';
import { quietStatus, type QuietCustomer } from './domain/quiet';
import { buildFollowUpGroups, buildReview, type FollowUpGroups, type Review as MorningReview } from './domain/review';
import { ruleSettings, type RuleSettings } from './domain/settings';
import type { NotePhrases } from './domain/noteText';
import { addCalendarDays, daysBetween, today } from './domain/time';

export interface CustomerValue {
  ltvCents: number;
  historicalCents: number;
  model: CustomerLtv['model'];
  /** Only where it tells something: a one-time buyer's P(alive) is 1 by construction. */
  pAlive?: number;
  expectedPurchases12m?: number;
  /** Chance of at least one purchase in the next 12 months. */
  pPurchase12m?: number;
  explanation: CustomerLtv['explanation'];
  /** How the book's model did on its own past (the same for every customer). */
  backtest?: Backtest;
}

export class BookFigures {
  readonly asOf = today();
  readonly ruleSettings: RuleSettings;
  private indexCache: BookIndex | undefined;
  private topCache: Set<string> | undefined;
  private readonly reviews = new Map<boolean, MorningReview>();
  private readonly groups = new Map<boolean, FollowUpGroups>();
  private readonly risks = new Map<string, string[]>();
  private readonly quietCache = new Map<string, QuietCustomer | undefined>();

  constructor(
    readonly file: LoyalFile,
    readonly settings: LoyalSettings,
    readonly user: string,
    private readonly ltvBook: LtvBook | undefined,
    /** Note phrases in the display language, for the suggested text of handwritten notes. */
    readonly notePhrases: NotePhrases,
    /** The index of this same book, when figures for it were made before (with other values). */
    index?: BookIndex,
  ) {
    this.indexCache = index;
    this.ruleSettings = ruleSettings({
      followUpAfterResolveDays: settings.followUpAfterResolveDays,
      notesAfterResolveDays: settings.notesAfterResolveDays,
      notesOnSevere: settings.notesOnSevere,
      notesOnTopValue: settings.notesOnTopValue,
      notesOnRepeat: settings.notesOnRepeat,
      repeatWindowDays: settings.repeatWindowDays,
    });
  }

  get index(): BookIndex {
    return (this.indexCache ??= indexBook(this.file));
  }

  /** The newest lifetime values computed off the UI path; undefined while the first is running. */
  get ltv(): LtvBook | undefined {
    return this.ltvBook;
  }

  value(customerId: string): CustomerValue | undefined {
    const v = this.ltvBook?.customers.get(customerId);
    if (!v) return undefined;
    return {
      ltvCents: Math.round(v.ltv * 100),
      historicalCents: Math.round(v.historicalValue * 100),
      model: v.model,
      pAlive: v.explanation.inputs.x === 0 ? undefined : v.pAlive,
      expectedPurchases12m: v.expectedPurchases12m,
      pPurchase12m: v.pPurchase12m,
      explanation: v.explanation,
      backtest: this.ltvBook?.model.backtest,
    };
  }

  /** Lifetime value in cents, as the rules and the review expect it. */
  ltvOf = (customerId: string): number => Math.round((this.ltvBook?.customers.get(customerId)?.ltv ?? 0) * 100);

  isTopValue(customerId: string): boolean {
    this.topCache ??= topValueSet(
      this.file.customers.filter((c) => !c.archived).map((c) => c.id),
      this.ltvOf,
      this.ruleSettings.topValueShare,
    );
    return this.topCache.has(customerId);
  }

  riskReasons(customerId: string): string[] {
    let reasons = this.risks.get(customerId);
    if (!reasons) {
      reasons = customerRisk(this.index, customerId, this.asOf, this.ruleSettings).reasons;
      this.risks.set(customerId, reasons);
    }
    return reasons;
  }

  quiet(customerId: string): QuietCustomer | undefined {
    if (!this.quietCache.has(customerId)) {
      const customer = this.index.customersById.get(customerId);
      this.quietCache.set(customerId, customer ? quietStatus(this.index, customer, this.asOf, this.ruleSettings) : undefined);
    }
    return this.quietCache.get(customerId);
  }

  lastActivityDay(customerId: string): string | undefined {
    const days = this.index.activityDaysByCustomer.get(customerId);
    return days && days.length ? days[days.length - 1] : undefined;
  }

  customerName(customerId: string): string {
    return this.index.customersById.get(customerId)?.name ?? customerId;
  }

  outlook(incident: Incident): RecoveryOutlook {
    return recoveryOutlook(this.index, incident, this.ruleSettings);
  }

  recoveryProgress(incident: Incident): RecoveryProgress {
    return recoveryProgress(incident, this.index.followUpsByIncident.get(incident.id) ?? []);
  }

  daysBetween(from: string, to: string): number {
    return daysBetween(from, to);
  }

  addDays(day: string, days: number): string {
    return addCalendarDays(day, days);
  }

  review(mineOnly: boolean): MorningReview {
    let review = this.reviews.get(mineOnly);
    if (!review) {
      review = buildReview(this.index, { asOf: this.asOf, user: this.user, mineOnly, ltvOf: this.ltvOf, settings: this.ruleSettings });
      this.reviews.set(mineOnly, review);
    }
    return review;
  }

  /**
   * The follow-ups of the review grouped by when they are due, without the notes, the
   * customers at risk and the quiet ones: what the Today view and the status bar show, at
   * a fraction of the cost of `review` on a big book.
   */
  followUpGroups(mineOnly: boolean): FollowUpGroups {
    let groups = this.reviews.get(mineOnly) ?? this.groups.get(mineOnly);
    if (!groups) {
      groups = buildFollowUpGroups(this.index, { asOf: this.asOf, user: this.user, mineOnly, ltvOf: this.ltvOf, settings: this.ruleSettings });
      this.groups.set(mineOnly, groups);
    }
    return groups;
  }
}
