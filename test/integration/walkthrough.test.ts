// The walkthrough ticks its steps from what the book holds, and offers the demo only where
// there is no book.
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import { freshFixture, loyalApi, resetWorkspaceFile, waitFor } from './harness';

interface Step {
  id: string;
  when?: string;
  description: string;
  completionEvents: string[];
  media: { image?: string; altText?: string };
}

function lastContext(loyal: LoyalApi, key: string): unknown {
  return loyal.contextLog.filter((c) => c.key === key).at(-1)?.value;
}

describe('the walkthrough', () => {
  let loyal: LoyalApi;
  const steps = (): Step[] => (vscode.extensions.getExtension('loyal-crm.loyal')!.packageJSON as { contributes: { walkthroughs: Array<{ steps: Step[] }> } }).contributes.walkthroughs[0].steps;
  before(async () => {
    loyal = await loyalApi();
  });
  after(async () => {
    await freshFixture(loyal);
  });

  it('ticks each step from a context key Loyal sets from the book', async () => {
    const path = resetWorkspaceFile('loyal.json');
    rmSync(path);
    await loyal.session.reload();
    await waitFor('no book', () => loyal.session.state === 'missing');
    assert.equal(lastContext(loyal, 'loyal.hasCustomers'), false);
    await vscode.commands.executeCommand('loyal.createDataFile');
    await waitFor('the book', () => loyal.session.state === 'ok');
    assert.equal(lastContext(loyal, 'loyal.hasCustomers'), false, 'a new book has no customer yet');
    await loyal.session.store!.update((tx) => tx.insert('customers', { name: 'First Customer', tags: [] }));
    await waitFor('the customer step', () => lastContext(loyal, 'loyal.hasCustomers') === true);
    const customerId = loyal.session.file.customers[0].id;
    const incidentId = await vscode.commands.executeCommand<string>('loyal.incident.log', { customerId, summary: 'Late', category: 'timeliness' });
    await waitFor('the incident step', () => lastContext(loyal, 'loyal.hasIncidents') === true);
    assert.equal(lastContext(loyal, 'loyal.hasResolvedIncident'), false);
    await vscode.commands.executeCommand('loyal.incident.resolve', { incidentId });
    await waitFor('the resolve step', () => lastContext(loyal, 'loyal.hasResolvedIncident') === true);
    for (const step of steps().filter((s) => ['customer', 'incident', 'resolve'].includes(s.id))) {
      assert.ok(
        step.completionEvents.every((e) => e.startsWith('onContext:loyal.')),
        `${step.id} ticks from the book, not from a command being run`,
      );
    }
  });

  it('offers the demo book only where there is no book, and shows a picture in every step', () => {
    const offering = steps().filter((s) => /command:loyal\.openDemo/.test(s.description));
    assert.ok(offering.length > 0, 'a step offers the demo (the manifest is read translated)');
    for (const step of offering) assert.equal(step.when, 'loyal.state != ok', `${step.id} offers the demo only without a book`);
    for (const step of steps()) assert.ok(step.media.image?.endsWith('.png') && step.media.altText, `${step.id} has a picture with a text for screen readers`);
  });
});
