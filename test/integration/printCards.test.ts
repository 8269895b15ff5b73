// Print cards in a real host: the tab shows one card per note still to write, and the
// printable page written to .loyal/cards.html has one escaped card per sheet.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { LoyalApi } from '../../src/extension';
import type { HandwrittenNote, LoyalFile } from '../../src/domain/records';
import type { PrintCardsPanel, PrintHostMessage } from '../../src/panels/printCards';
import { writeCardsFile } from '../../src/panels/printCards';
import { bookOf, customerOf } from '../unit/support/trendsBuilders';
import { activateLoyal, closeAllEditors, resetWorkspaceFile, testWorkspace, waitFor } from './harness';

const AT = '2026-01-05T09:00:00+01:00';

function note(id: string, customerId: string, status: HandwrittenNote['status'], text: string, address?: string): HandwrittenNote {
  return { id, customerId, due: '2026-01-10', status, text, address, createdAt: AT, createdBy: 'test', updatedAt: AT, updatedBy: 'test' };
}

function fixtureBook(): LoyalFile {
  const ada = customerOf({ id: 'cus_ada0', name: 'Ada <b>Lovelace</b>', address: '12 St James’s Square\nLondon SW1Y 4JH', owner: 'Sam' });
  const bea = customerOf({ id: 'cus_bea0', name: 'Béatrice Roux', owner: 'Sam' });
  const cyr = customerOf({ id: 'cus_cyr0', name: 'Cyril Sent' });
  const dan = customerOf({ id: 'cus_dan0', name: 'Dan Other', owner: 'Sam' });
  return bookOf({
    customers: [ada, bea, cyr, dan],
    notes: [
      note('not_ada0', ada.id, 'to-write', 'Dear Ada,\nsorry <script>alert(1)</script> & thank you.'),
      note('not_bea0', bea.id, 'to-write', 'Chère Béatrice,\nmerci.\nWarmly,\nSam', '3 rue des Lilas\n69001 Lyon'),
      note('not_cyr0', cyr.id, 'sent', 'Already posted.'),
      // Suggested by a teammate who resolved the incident, then edited onto one line.
      note('not_dan0', dan.id, 'to-write', 'Dear Dan, thank you. Warmly, Giulia'),
    ],
  });
}

describe('print cards', function () {
  this.timeout(60_000);
  let loyal: LoyalApi;

  before(async () => {
    const extension = await activateLoyal<LoyalApi>();
    await extension.exports.ready;
    loyal = extension.exports;
    writeFileSync(join(testWorkspace(), 'loyal.json'), JSON.stringify(fixtureBook(), null, 2));
    await loyal.session.reload();
    await waitFor('the print fixture book', () => loyal.session.state === 'ok' && loyal.session.file.notes.length === 4);
  });

  after(async () => {
    await closeAllEditors();
    resetWorkspaceFile('loyal.json');
    await loyal.session.reload();
  });

  it('shows one card per note still to write, with address and signature', async () => {
    const panel = (await vscode.commands.executeCommand<PrintCardsPanel>('loyal.notes.print'))!;
    assert.ok(panel, 'loyal.notes.print returns its tab');
    const [init] = (await panel.receive({ type: 'ready' })) as PrintHostMessage[];
    assert.ok(init?.type === 'init');
    const cards = init.data.cards;
    assert.deepEqual(
      cards.map((c) => c.noteId),
      ['not_ada0', 'not_bea0', 'not_dan0'],
      'the sent note is not printed',
    );
    assert.equal(cards[0].address, '12 St James’s Square\nLondon SW1Y 4JH', 'the customer’s address when the note has none');
    assert.equal(cards[0].signature, 'Sam', 'signed by the customer’s owner');
    assert.equal(cards[1].address, '3 rue des Lilas\n69001 Lyon', 'the address kept on the note');
    assert.equal(cards[1].signature, '', 'a text that already ends with the signature is not signed twice');
    assert.equal(cards[2].signature, '', 'a text signed off by someone else (on one line) is not signed a second time');
  });

  it('writes a printable page with one escaped card per sheet', async () => {
    const path = await writeCardsFile(loyal.session);
    assert.ok(path && existsSync(path));
    assert.equal(path, join(testWorkspace(), '.loyal', 'cards.html'));
    assert.equal(readFileSync(join(testWorkspace(), '.loyal', '.gitignore'), 'utf8').trim(), '*', 'the cards (addresses) are never committed');
    const html = readFileSync(path, 'utf8');
    assert.equal(html.match(/<article class="card"/g)?.length, 3);
    assert.ok(html.includes('Ada &lt;b&gt;Lovelace&lt;/b&gt;'));
    assert.ok(html.includes('sorry &lt;script&gt;alert(1)&lt;/script&gt; &amp; thank you.'));
    assert.ok(!html.includes('<script>alert'), 'user text never becomes markup');
    assert.match(html, /break-after: page/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'"/);
  });
});
