// Where the data file is broken, in the Problems panel and in the editor.
import * as vscode from 'vscode';
import type { DataFileError, DataFileProblem } from '../store/errors';

export class BrokenFileDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('loyal');

  /** One diagnostic per problem of the broken file at `path`; none when the file is not broken. */
  show(path: string | undefined, broken: DataFileError | undefined): void {
    this.collection.clear();
    if (broken && path) this.collection.set(vscode.Uri.file(path), broken.problems.map(diagnosticOf));
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function diagnosticOf(p: DataFileProblem): vscode.Diagnostic {
  const line = Math.max(0, (p.line ?? 1) - 1);
  const column = Math.max(0, (p.column ?? 1) - 1);
  const where = p.path ? `${p.path}: ` : '';
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, column, line, column + 1), `${where}${p.message}`, vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'Loyal';
  return diagnostic;
}
