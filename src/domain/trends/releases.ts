// Release effects: incidents per week of a component before and after each of its releases,
// tested for "more after" and adjusted over the releases (releaseEffects); releaseWindow is
// also what the drill-down of a release's bar uses.
import type { LoyalFile } from '../records';
import type { ScopeTally } from './aggregate';
import { dayNumberOf } from './calendar';
import type { BookColumns } from './columns';
import type { Scope, TrendSettings } from './scope';
import { benjaminiHochberg, binomialUpperTail, round } from './stats';
import type { ReleaseEffect } from './types';

export interface ReleaseWindow {
  beforeStart: number;
  beforeEnd: number;
  afterStart: number;
  afterEnd: number;
}

/**
 * The days counted before and after a release: `weeks` whole weeks on each side, the
 * release day itself on the "after" side (a release usually ships during the working day),
 * cut by the start of the range (or of the log) and by the end of the range (at most as-of).
 */
export function releaseWindow(releaseDn: number, weeks: number, lowerDn: number, upperDn: number): ReleaseWindow {
  return {
    beforeStart: Math.max(releaseDn - 7 * weeks, lowerDn),
    beforeEnd: Math.min(releaseDn - 1, upperDn),
    afterStart: Math.max(releaseDn, lowerDn),
    afterEnd: Math.min(releaseDn + 7 * weeks - 1, upperDn),
  };
}

/**
 * Incidents per week of each release's component before and after the release. The two
 * counts are Poisson with rates r_before and r_after; given their sum, the after count is
 * binomial with p = exposureAfter / (exposureBefore + exposureAfter) when the rates are
 * equal, so P(X >= after) is the one-sided p-value of "more incidents after". Exposures are
 * the days actually observed (windows cut by the range or the as-of day). p-values are
 * adjusted by Benjamini-Hochberg over the releases that have days on both sides.
 */
export interface ReleaseEffectsInput {
  releases: LoyalFile['releases'];
  scope: Scope;
  columns: BookColumns;
  tally: ScopeTally;
  /** First day of the range actually covered, and first day of the log (the windows' lower bound). */
  fromDn: number;
  logStartDn: number;
  settings: TrendSettings;
}

export function releaseEffects({ releases: allReleases, scope, columns, tally, fromDn, logStartDn, settings }: ReleaseEffectsInput): ReleaseEffect[] {
  const { day, component } = columns;
  const { noComponent, scopeIndex, size } = tally;
  const componentIds = columns.componentNames.index;
  const weeks = settings.releaseWindowWeeks;
  const releases = allReleases
    .map((release) => ({ release, dn: dayNumberOf(release.date) }))
    .filter(({ release, dn }) => dn >= logStartDn && dn <= scope.endDn && (scope.component === null || scope.component.has(release.component)));
  if (releases.length === 0) return [];

  // For each released component, how many of its incidents in scope were opened before each
  // day of the range (a count per day, then running totals): a window's count is then two
  // reads, where sorting the days cost more than the rest of the release effects together.
  const componentCount = componentIds.size;
  const slotOf = new Int32Array(componentCount).fill(-1);
  let slots = 0;
  for (const { release } of releases) {
    const c = componentIds.get(release.component);
    if (c !== undefined && slotOf[c] < 0) slotOf[c] = slots++;
  }
  // Every incident in scope was opened on a day in [fromDn, endDn].
  const span = scope.endDn - fromDn + 2;
  const before = new Int32Array(Math.max(0, slots * span));
  for (let at = 0; at < size; at++) {
    const i = scopeIndex[at];
    const c = component[i];
    if (c >= 0 && c !== noComponent && slotOf[c] >= 0) before[slotOf[c] * span + day[i] - fromDn + 1]++;
  }
  for (let slot = 0; slot < slots; slot++) {
    for (let k = slot * span + 1; k < (slot + 1) * span; k++) before[k] += before[k - 1];
  }
  /** Incidents of the component in scope opened on a day in [start, end]. */
  const countBetween = (c: number | undefined, start: number, end: number): number => {
    if (end < start || c === undefined || slotOf[c] < 0) return 0;
    const row = slotOf[c] * span;
    const openedBefore = (dn: number) => before[row + Math.min(span - 1, Math.max(0, dn - fromDn))];
    return openedBefore(end + 1) - openedBefore(start);
  };

  const effects = releases.map(({ release, dn }) => {
    const c = componentIds.get(release.component);
    const window = releaseWindow(dn, weeks, logStartDn, scope.endDn);
    const daysBefore = Math.max(0, window.beforeEnd - window.beforeStart + 1);
    const daysAfter = Math.max(0, window.afterEnd - window.afterStart + 1);
    const countBefore = countBetween(c, window.beforeStart, window.beforeEnd);
    const countAfter = countBetween(c, window.afterStart, window.afterEnd);
    const testable = daysBefore > 0 && daysAfter > 0;
    const pValue = testable ? binomialUpperTail(countAfter, countBefore + countAfter, daysAfter / (daysBefore + daysAfter)) : 1;
    return { release, daysBefore, daysAfter, countBefore, countAfter, testable, pValue };
  });
  const testedIndex = effects.flatMap((effect, index) => (effect.testable ? [index] : []));
  const adjustedTested = benjaminiHochberg(testedIndex.map((index) => effects[index].pValue));
  const adjusted = effects.map(() => 1);
  testedIndex.forEach((index, k) => (adjusted[index] = adjustedTested[k]));

  return effects
    .map((effect, index): ReleaseEffect => {
      const before = effect.daysBefore > 0 ? (effect.countBefore * 7) / effect.daysBefore : 0;
      const after = effect.daysAfter > 0 ? (effect.countAfter * 7) / effect.daysAfter : 0;
      return {
        component: effect.release.component,
        version: effect.release.version,
        date: effect.release.date,
        before: round(before, 2),
        after: round(after, 2),
        weeks,
        weeksBefore: round(effect.daysBefore / 7, 2),
        weeksAfter: round(effect.daysAfter / 7, 2),
        countBefore: effect.countBefore,
        countAfter: effect.countAfter,
        pValue: effect.pValue,
        adjustedPValue: adjusted[index],
        significant: effect.testable && adjusted[index] <= settings.falseDiscoveryRate && effect.countAfter >= settings.minReleaseCount && after > before,
      };
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
}
