// Resolving from the sidebar: one input box that walks through five steps, prefilled from
// the incident, with a way back; what was typed is what gets recorded.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { freshFixture, loyalApi, readWorkspaceJson, waitFor } from './harness';
import type { LoyalFile } from '../../src/domain/records';

describe('the resolve flow', () => {
  let loyal: LoyalApi;
  before(async () => {
    loyal = await loyalApi();
  });
  beforeEach(async () => {
    await freshFixture(loyal);
  });

  async function step(n: number): Promise<vscode.InputBox> {
    return waitFor(`step ${n} of the resolve flow`, () => loyal.activeStep.box?.step === n && loyal.activeStep.box);
  }

  async function answer(n: number, text: string | undefined): Promise<vscode.InputBox> {
    const box = await step(n);
    if (text !== undefined) box.value = text;
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    return box;
  }

  it('asks in five numbered steps, prefilled from the incident, and records the answers', async () => {
    const incidentId = 'inc_fix000001';
    await loyal.session.store!.update((tx) => tx.patch('incidents', incidentId, { fairSolution: 'A refund of the shipping', resolutionNote: 'Refunded the shipping' }));
    const resolving = vscode.commands.executeCommand('loyal.incident.resolve', incidentId);
    const first = await step(1);
    assert.equal(first.totalSteps, 5, 'the box says "step 1 of 5"');
    assert.match(first.title ?? '', /Bruno Esposito/);
    assert.equal(first.value, 'A refund of the shipping', 'prefilled from the incident');
    await answer(1, undefined);
    await answer(2, 'A free bag of the new roast');
    const cost = await step(3);
    assert.equal(cost.buttons.length, 1, 'a back button');
    cost.value = 'twelve';
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(loyal.activeStep.box?.step, 3, 'a bad amount keeps the step');
    assert.match(loyal.activeStep.box?.validationMessage?.toString() ?? '', /129\.90/, 'and says why, in place');
    await answer(3, '12.50');
    const note = await step(4);
    assert.equal(note.value, 'Refunded the shipping', 'prefilled from the incident');
    await answer(4, undefined);
    await answer(5, 'Check the courier’s pick-up time');
    await resolving;
    const incident = readWorkspaceJson<LoyalFile>('loyal.json').incidents.find((i) => i.id === incidentId)!;
    assert.ok(incident.resolvedAt, 'resolved');
    assert.equal(incident.fairSolution, 'A refund of the shipping');
    assert.equal(incident.extraMile, 'A free bag of the new roast');
    assert.equal(incident.extraMileCost, '12.50');
    assert.equal(incident.resolutionNote, 'Refunded the shipping');
    assert.equal(incident.lessonsLearned, 'Check the courier’s pick-up time');
  });

  it('skips the cost when there was no extra mile, and changes nothing when closed', async () => {
    const incidentId = 'inc_fix000001';
    const resolving = vscode.commands.executeCommand('loyal.incident.resolve', incidentId);
    await answer(1, 'Nothing');
    await answer(2, '');
    await step(4);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await resolving;
    const incident = readWorkspaceJson<LoyalFile>('loyal.json').incidents.find((i) => i.id === incidentId)!;
    assert.equal(incident.resolvedAt, undefined, 'closing the box resolves nothing');
    assert.equal(incident.fairSolution, undefined);
  });
});
