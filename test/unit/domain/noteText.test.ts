import assert from 'node:assert/strict';
import { ENGLISH_NOTE_PHRASES, suggestNoteText, type NotePhrases } from '../../../src/domain/noteText';

describe('suggested handwritten note text', () => {
  it('reads as a short card: greeting, what happened, sorry, glad to have you, signature', () => {
    const text = suggestNoteText({ customerName: 'Grace Hopper', incidentSummary: 'Parcel arrived two weeks late.', category: 'timeliness', ownerName: 'Sam' }, ENGLISH_NOTE_PHRASES);
    assert.equal(
      text,
      'Dear Grace Hopper,\nThank you for your patience with the delay (Parcel arrived two weeks late). I am truly sorry for the trouble it caused you. We are so glad to have you as a customer.\nWarmly,\nSam',
    );
  });

  it('speaks of the kind of problem and leaves out a long or several-line summary', () => {
    const long = suggestNoteText({ customerName: 'Ada', incidentSummary: 'x'.repeat(81), category: 'product' });
    assert.match(long, /^Dear Ada,\nThank you for your patience with the problem with your order\. /);
    const internal = suggestNoteText({ customerName: 'Ada', incidentSummary: 'Called twice\nrefund pending', category: 'people' });
    assert.match(internal, /with the way you were treated\. /);
    assert.doesNotMatch(internal, /refund pending/);
  });

  it('without a category or a signer, still says something true and ends with a closing', () => {
    const text = suggestNoteText({ customerName: ' Ada ' });
    assert.match(text, /^Dear Ada,\nThank you for your patience with what happened\. /);
    assert.match(text, /\nWarmly,$/);
  });

  it('uses the phrases given, so the extension can pass translated ones', () => {
    const italian: NotePhrases = {
      greeting: (name) => `Caro ${name},`,
      whatHappened: (_category, detail) => `grazie per la pazienza${detail ? ` (${detail})` : ''}.`,
      sorry: () => 'Ci dispiace davvero.',
      glad: () => 'Siamo felici di averti come cliente.',
      signature: (owner) => `Un caro saluto,\n${owner ?? ''}`.trim(),
    };
    assert.equal(
      suggestNoteText({ customerName: 'Lucia', incidentSummary: 'Pacco in ritardo', ownerName: 'Marco' }, italian),
      'Caro Lucia,\ngrazie per la pazienza (Pacco in ritardo). Ci dispiace davvero. Siamo felici di averti come cliente.\nUn caro saluto,\nMarco',
    );
  });
});
