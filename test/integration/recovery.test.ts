// Service recovery through the commands: log, resolve, the follow-up in Today, the note.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { addCalendarDays, today } from '../../src/domain/time';
import { freshFixture, loyalApi, readWorkspaceJson, treeGroup, treeLabels } from './harness';
import type { LoyalFile } from '../../src/domain/records';

describe('service recovery', () => {
  let loyal: LoyalApi;
  before(async () => {
    loyal = await loyalApi();
  });
  beforeEach(async () => {
    await freshFixture(loyal);
  });

  async function logAndResolveMajor(): Promise<{ incidentId: string; followUpId: string }> {
    const incidentId = await vscode.commands.executeCommand<string>('loyal.incident.log', {
      customerId: 'cus_chloe0003',
      summary: 'Wrong grind in the wholesale order',
      category: 'product',
      severity: 'major',
      channel: 'phone',
      tags: ['wrong grind'],
    });
    assert.match(incidentId ?? '', /^inc_/);
    await vscode.commands.executeCommand('loyal.incident.resolve', { incidentId, resolutionNote: 'Sent the right grind by courier', extraMile: 'A free bag of the new roast', extraMileCost: '14.00' });
    const file = readWorkspaceJson<LoyalFile>('loyal.json');
    const followUp = file.followUps.find((f) => f.incidentId === incidentId && f.kind === 'satisfaction-check');
    assert.ok(followUp, 'the satisfaction check is written to the file');
    return { incidentId: incidentId!, followUpId: followUp.id };
  }

  it('resolving a major incident plans the satisfaction check in 3 days and a handwritten note', async () => {
    const { incidentId } = await logAndResolveMajor();
    const file = readWorkspaceJson<LoyalFile>('loyal.json');
    const check = file.followUps.find((f) => f.incidentId === incidentId)!;
    assert.equal(check.due, addCalendarDays(today(), 3));
    assert.equal(check.assignee, loyal.session.user);
    const thisWeek = await treeGroup(loyal.views.today, 'This week');
    assert.ok(thisWeek, 'Today has a This week group');
    assert.ok((await treeLabels(loyal.views.today, thisWeek)).includes('Chloé Dubois'));
    const toWrite = await treeGroup(loyal.views.notes, 'To write');
    const notes = (await loyal.views.notes.getChildren(toWrite)) ?? [];
    const items = await Promise.all(notes.map((n) => loyal.views.notes.getTreeItem(n)));
    assert.equal(items.filter((i) => i.label === 'Chloé Dubois').length, 2, 'the fixture note and the new reminder');
    const note = file.notes.find((n) => n.incidentId === incidentId)!;
    assert.equal(note.due, addCalendarDays(today(), 2));
    assert.match(note.text, /Chloé/);
    assert.equal(note.address, '4 Quai Perrache\n69002 Lyon');
  });

  it('"not satisfied" reopens the recovery and plans a new follow-up', async () => {
    const { incidentId, followUpId } = await logAndResolveMajor();
    await vscode.commands.executeCommand('loyal.followUp.done', { followUpId, satisfied: false, rating: 2, comment: 'Still the wrong grind' });
    const file = readWorkspaceJson<LoyalFile>('loyal.json');
    const incident = file.incidents.find((i) => i.id === incidentId)!;
    assert.equal(incident.resolvedAt, undefined, 'the incident is open again');
    assert.equal(incident.reopenCount, 1);
    const pending = file.followUps.filter((f) => f.incidentId === incidentId && f.status === 'pending');
    assert.equal(pending.length, 1, 'a new follow-up is planned');
    const open = await treeGroup(loyal.views.incidents, 'Open');
    const rows = await Promise.all(((await loyal.views.incidents.getChildren(open)) ?? []).map((n) => loyal.views.incidents.getTreeItem(n)));
    assert.ok(
      rows.some((r) => r.label === 'Chloé Dubois' && String(r.description).includes('Wrong grind')),
      'listed as open again',
    );
  });

  it('snooze moves the follow-up to its new day', async () => {
    await vscode.commands.executeCommand('loyal.followUp.snooze', { followUpId: 'fol_fix000001', until: addCalendarDays(today(), 10) });
    assert.equal(await treeGroup(loyal.views.today, 'Overdue'), undefined, 'no longer overdue');
    const later = await treeGroup(loyal.views.today, 'Later');
    assert.deepEqual(await treeLabels(loyal.views.today, later), ['Alice Martin']);
    assert.equal(readWorkspaceJson<LoyalFile>('loyal.json').followUps[0].snoozedUntil, addCalendarDays(today(), 10));
  });

  it('the morning review shows once per day', async () => {
    const first = await vscode.commands.executeCommand<boolean>('loyal.morningReview.check', { forgetToday: true });
    const second = await vscode.commands.executeCommand<boolean>('loyal.morningReview.check');
    assert.equal(first, true, 'the first window of the day shows it (the fixture has an overdue follow-up)');
    assert.equal(second, false, 'never twice on the same day');
  });
});
