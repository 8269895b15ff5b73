import { randomBytes } from 'node:crypto';
import { ID_PREFIX, type RecordKind } from './records';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A new record id: the kind's prefix and 14 random base-36 characters (about 72 bits),
 * so two teammates adding records on their own copies never pick the same id.
 */
export function newId(kind: RecordKind): string {
  const bytes = randomBytes(14);
  let suffix = '';
  for (const byte of bytes) suffix += ALPHABET[byte % 36];
  return `${ID_PREFIX[kind]}_${suffix}`;
}
