// The phrases of a handwritten note's suggested text, in the display language: the domain
// (src/domain/noteText.ts) writes the note from them and never sees the editor API.
import * as vscode from 'vscode';
import type { NotePhrases } from './domain/noteText';

export function translatedNotePhrases(): NotePhrases {
  const topics = {
    product: vscode.l10n.t('the problem with your order'),
    people: vscode.l10n.t('the way you were treated'),
    timeliness: vscode.l10n.t('the delay'),
    process: vscode.l10n.t('the trouble you had with us'),
    other: vscode.l10n.t('what happened'),
  };
  return {
    greeting: (name) => vscode.l10n.t('Dear {0},', name),
    whatHappened: (category, detail) =>
      detail ? vscode.l10n.t('Thank you for your patience with {0} ({1}).', topics[category ?? 'other'], detail) : vscode.l10n.t('Thank you for your patience with {0}.', topics[category ?? 'other']),
    sorry: () => vscode.l10n.t('I am truly sorry for the trouble it caused you.'),
    glad: () => vscode.l10n.t('We are so glad to have you as a customer.'),
    signature: (owner) => (owner ? vscode.l10n.t('Warmly,\n{0}', owner) : vscode.l10n.t('Warmly,')),
  };
}
