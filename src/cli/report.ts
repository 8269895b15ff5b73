// How a broken data file is described on stderr: the store's message, then each problem
// with its line, column and record path, so a hand edit can be fixed at the spot.
import type { DataFileError } from '../store/errors';

export function describeDataFileError(error: DataFileError): string[] {
  const lines = [`loyal: ${error.filePath ? `${error.filePath}: ` : ''}${error.message}`];
  for (const problem of error.problems.slice(0, 50)) {
    const where = [problem.line !== undefined ? `line ${problem.line}` : '', problem.column !== undefined ? `column ${problem.column}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${where ? `${where}: ` : ''}${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
  }
  if (error.problems.length > 50) lines.push(`  ... and ${error.problems.length - 50} more`);
  return lines;
}
