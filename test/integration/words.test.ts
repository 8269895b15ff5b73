// The words a person reads: the greeting for the hour, counts with their plural, nothing
// said about what is zero.
import { strict as assert } from 'node:assert';
import type { LoyalApi } from '../../src/extension';
import { greeting, morningMessage } from '../../src/morningReview';
import { freshFixture, loyalApi, waitFor } from './harness';

describe('the words of the morning review and the status bar', () => {
  let loyal: LoyalApi;
  before(async () => {
    loyal = await loyalApi();
    await freshFixture(loyal);
  });

  it('greets for the hour of the day', () => {
    assert.equal(greeting(8), 'Good morning.');
    assert.equal(greeting(14), 'Good afternoon.');
    assert.equal(greeting(20), 'Good evening.', 'a first window at 20:07 is not greeted "Good morning"');
    assert.equal(greeting(2), 'Good evening.');
  });

  it('says one and many in the language’s plural forms, and leaves out what is zero', () => {
    assert.equal(morningMessage({ overdue: 3, today: 1, notes: 1, atRisk: 0 }, 20), 'Good evening. 3 follow-ups overdue, 1 follow-up due today, and 1 note to write.');
    assert.equal(morningMessage({ overdue: 0, today: 2, notes: 0, atRisk: 1 }, 9), 'Good morning. 2 follow-ups due today and 1 customer at risk.');
  });

  it('counts the one follow-up due in the singular on the Today badge and the status item', async () => {
    await waitFor('the badge', () => loyal.views.todayView.badge?.value === 1);
    assert.equal(loyal.views.todayView.badge?.tooltip, '1 follow-up due today or overdue');
    assert.equal(loyal.status.tooltip, 'Loyal: 1 follow-up due today or overdue. Click to open Today.');
  });
});
