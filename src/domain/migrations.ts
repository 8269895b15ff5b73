// Each step takes a file of version n to n + 1. Version 0 is a file written before
// schemaVersion existed (an early hand-made file): it gains the field. To move to
// version 2, add `1: (file) => ...` here, bump SCHEMA_VERSION and add a test.
import { SCHEMA_VERSION } from './records';

type RawFile = Record<string, unknown>;
type Migration = (file: RawFile) => RawFile;

export const MIGRATIONS: Record<number, Migration> = {
  0: (file) => ({ ...file, schemaVersion: 1 }),
};

export class NewerFileError extends Error {
  constructor(readonly version: number) {
    super(`the file was written by a newer Loyal (schemaVersion ${version}; this one reads up to ${SCHEMA_VERSION}): update Loyal`);
  }
}

/** Brings a parsed file up to the current schema version; returns it unchanged when current. */
export function migrate(raw: unknown, steps: Record<number, Migration> = MIGRATIONS, target = SCHEMA_VERSION): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let file = raw as RawFile;
  let version = file.schemaVersion === undefined ? 0 : file.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) return raw;
  if (version > target) throw new NewerFileError(version);
  while (version < target) {
    const step = steps[version];
    if (!step) throw new Error(`no migration from schemaVersion ${version}`);
    file = step(file);
    version += 1;
  }
  return file;
}
