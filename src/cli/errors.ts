// The two ways a command fails on purpose, mapped to the exit codes of the README
// section "The command line: `loyal`": 2 for wrong usage, 1 for invalid data or a refused operation.

/** Wrong usage: unknown command or flag, missing required flag, a flag value that cannot be read. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose usage line to print with the message. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** The input is well formed but the book refuses it (unknown customer, file exists, bad rows). */
export class RefusedError extends Error {
  override readonly name = 'RefusedError';
  constructor(
    message: string,
    /** Extra lines for stderr, e.g. every bad row of an import. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;
