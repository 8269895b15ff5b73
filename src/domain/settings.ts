// The settings the rules read, as plain numbers and switches: the extension maps `loyal.*`
// onto this, the CLI uses the defaults, and tests pass exactly what they exercise.

export interface RuleSettings {
  /** Calendar days from resolution to the satisfaction check (`loyal.followUp.afterResolveDays`). */
  followUpAfterResolveDays: number;
  /** Calendar days from resolution to the handwritten note's due day (`loyal.notes.afterResolveDays`). */
  notesAfterResolveDays: number;
  /** A major or critical incident earns a handwritten note. */
  notesOnSevere: boolean;
  /** A customer in the top `topValueShare` by lifetime value earns a handwritten note. */
  notesOnTopValue: boolean;
  /** A repeat failure (another incident within `repeatWindowDays`) earns a handwritten note. */
  notesOnRepeat: boolean;
  /** How far back (calendar days) an earlier incident makes a new one a repeat failure. */
  repeatWindowDays: number;
  /** A customer is quiet when the days since their last purchase or contact exceed this many times their usual gap. */
  quietFactor: number;
  /**
   * Value at stake of an at-risk customer's follow-up = LTV x this factor. 1.5 puts an at-risk
   * customer ahead of a safe one worth up to half as much again, without letting a small
   * at-risk account jump over a customer who is worth several times more.
   */
  atRiskValueFactor: number;
  /** Share of customers, by lifetime value, that counts as "top value" (0.2 = the top 20%). */
  topValueShare: number;
}

export const DEFAULT_RULE_SETTINGS: Readonly<RuleSettings> = Object.freeze({
  followUpAfterResolveDays: 3,
  notesAfterResolveDays: 2,
  notesOnSevere: true,
  notesOnTopValue: true,
  notesOnRepeat: true,
  repeatWindowDays: 365,
  quietFactor: 2.5,
  atRiskValueFactor: 1.5,
  topValueShare: 0.2,
});

/** The defaults with some settings replaced (what a caller knows, the rest stays standard). */
export function ruleSettings(overrides: Partial<RuleSettings> = {}): RuleSettings {
  return { ...DEFAULT_RULE_SETTINGS, ...overrides };
}
