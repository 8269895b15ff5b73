// Errors the store raises. Both carry structured problems so the extension can point at
// the exact line (a Problems-panel diagnostic, a form field) instead of a bare message.

export type DataFileErrorKind = 'conflict-markers' | 'invalid-json' | 'schema' | 'newer-version' | 'io';

export interface DataFileProblem {
  /** 1-based line in the file's text, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** Record path such as `incidents[3].severity`. */
  path?: string;
  message: string;
  recordId?: string;
}

/** The data file cannot be read, so it must not be written over until it is fixed. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(
    readonly kind: DataFileErrorKind,
    message: string,
    readonly problems: DataFileProblem[] = [],
    readonly filePath?: string,
  ) {
    super(message);
  }

  /** The same error, naming the file it came from. */
  withFile(filePath: string): DataFileError {
    return new DataFileError(this.kind, this.message, this.problems, filePath);
  }
}

/** A file that parses but does not match the format: the first problem, where it is, and how many more. */
export function schemaError(problems: DataFileProblem[], filePath?: string): DataFileError {
  const first = problems[0];
  const where = first.line ? ` (line ${first.line})` : '';
  const more = problems.length > 1 ? ` and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'}` : '';
  return new DataFileError('schema', `the file does not match the Loyal format: ${first.path}: ${first.message}${where}${more}`, problems, filePath);
}

export interface ValidationIssue {
  /** Field path within the record, e.g. `outcome.rating`; the collection for whole-record issues. */
  path: string;
  message: string;
}

/** Input that would make an invalid record: nothing was changed. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: ValidationIssue[],
  ) {
    super(message);
  }
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}
