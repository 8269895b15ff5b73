// Test books made of valid records: every record gets a fresh id and fixed audit fields,
// and `build()` checks the result against the file schema so a test never runs on a book
// the app would refuse to open.
import { newId } from '../../../src/domain/ids';
import {
  LoyalFile,
  COLLECTIONS,
  emptyFile,
  type CollectionName,
  type Contact,
  type Customer,
  type FollowUp,
  type HandwrittenNote,
  type Incident,
  type Purchase,
  type RecordOf,
  type TeamMember,
} from '../../../src/domain/records';
import type { Draft, Patch, RuleTx } from '../../../src/domain/recovery';

export const AUDIT = {
  createdAt: '2026-01-01T09:00:00+01:00',
  createdBy: 'builder',
  updatedAt: '2026-01-01T09:00:00+01:00',
  updatedBy: 'builder',
} as const;

type Fields<T> = Partial<Omit<T, 'id'>>;

export class BookBuilder {
  readonly file: LoyalFile = emptyFile();

  customer(fields: Fields<Customer> = {}): Customer {
    const record: Customer = { id: newId('customer'), name: 'Ada Lovelace', tags: [], archived: false, ...AUDIT, ...fields };
    this.file.customers.push(record);
    return record;
  }

  purchase(customerId: string, date: string, fields: Fields<Purchase> = {}): Purchase {
    const record: Purchase = { id: newId('purchase'), customerId, date, amount: '100.00', currency: 'EUR', ...AUDIT, ...fields };
    this.file.purchases.push(record);
    return record;
  }

  contact(customerId: string, at: string, fields: Fields<Contact> = {}): Contact {
    const record: Contact = { id: newId('contact'), customerId, at, channel: 'email', by: 'sam', summary: '', ...AUDIT, ...fields };
    this.file.contacts.push(record);
    return record;
  }

  incident(customerId: string, openedAt: string, fields: Fields<Incident> = {}): Incident {
    const record: Incident = {
      id: newId('incident'),
      customerId,
      openedAt,
      channel: 'email',
      category: 'timeliness',
      severity: 'minor',
      cause: 'unforeseeable',
      summary: 'Parcel arrived late',
      tags: [],
      reopenCount: 0,
      ...AUDIT,
      ...fields,
    };
    this.file.incidents.push(record);
    return record;
  }

  followUp(customerId: string, due: string, fields: Fields<FollowUp> = {}): FollowUp {
    const record: FollowUp = { id: newId('followUp'), customerId, kind: 'custom', due, status: 'pending', ...AUDIT, ...fields };
    this.file.followUps.push(record);
    return record;
  }

  note(customerId: string, due: string, fields: Fields<HandwrittenNote> = {}): HandwrittenNote {
    const record: HandwrittenNote = { id: newId('note'), customerId, due, status: 'to-write', text: '', ...AUDIT, ...fields };
    this.file.notes.push(record);
    return record;
  }

  teamMember(name: string): TeamMember {
    const record: TeamMember = { id: newId('teamMember'), name, ...AUDIT };
    this.file.team.push(record);
    return record;
  }

  /** The book, checked against the file schema (throws on an invalid record). */
  build(): LoyalFile {
    return LoyalFile.parse(this.file);
  }
}

const KIND_OF: Record<CollectionName, Parameters<typeof newId>[0]> = COLLECTIONS;

/**
 * The smallest real transaction over an in-memory book: inserts get an id and audit
 * fields, patches apply in place and a field patched to undefined is removed (as the store
 * writes it). Each result is validated so a rule that produces a bad record fails the test.
 */
export function memoryTx(file: LoyalFile, user = 'tester', at = '2026-03-01T10:00:00+01:00'): RuleTx {
  return {
    file,
    insert<C extends CollectionName>(collection: C, draft: Draft<RecordOf<C>>): RecordOf<C> {
      const record = { ...draft, id: newId(KIND_OF[collection]), createdAt: at, createdBy: user, updatedAt: at, updatedBy: user } as RecordOf<C>;
      (file[collection] as RecordOf<C>[]).push(record);
      LoyalFile.parse(file);
      return record;
    },
    patch<C extends CollectionName>(collection: C, id: string, changes: Patch<RecordOf<C>>): RecordOf<C> {
      const list = file[collection] as RecordOf<C>[];
      const index = list.findIndex((r) => r.id === id);
      if (index < 0) throw new Error(`no ${collection} ${id}`);
      const next: Record<string, unknown> = { ...list[index], ...changes, updatedAt: at, updatedBy: user };
      for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
      list[index] = next as RecordOf<C>;
      LoyalFile.parse(file);
      return list[index];
    },
  };
}

/**
 * Runs the enclosing mocha suite in a time zone (calendar days depend on it), and restores
 * the previous one afterwards so other suites are not affected.
 */
export function inTimeZone(timeZone: string): void {
  let previous: string | undefined;
  before(() => {
    previous = process.env.TZ;
    process.env.TZ = timeZone;
  });
  after(() => {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  });
}
