import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planImport } from '../../../../src/domain/csv';
import { DEFAULT_LTV_SETTINGS, estimateBook } from '../../../../src/domain/ltv/estimate';
import { ltvInputFromFile } from '../../../../src/domain/ltv/fromBook';
import { emptyFile } from '../../../../src/domain/records';
import { LoyalStore } from '../../../../src/store/store';

describe('ltv: refunds imported from CSV', () => {
  let folder: string;
  let store: LoyalStore;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'loyal-refunds-'));
    store = await LoyalStore.open(join(folder, 'loyal.json'), { user: () => 'importer', backups: 0 });
    await store.create(emptyFile());
  });
  after(async () => {
    store?.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  it('imports a negative amount as a refund: paid, purchases and lifetime value agree', async () => {
    const csv = 'customer_id,date,amount\nR-1,2026-01-05,500.00\nR-1,2026-01-12,-500.00\nR-2,2026-01-05,120.00\nR-2,2026-02-05,-20.00\nR-3,2026-01-05,100.00\n';
    const plan = planImport('purchases', csv, store.file, { createCustomers: true });
    assert.deepEqual(plan.errors, []);
    await store.update((tx) => plan.apply!(tx));
    assert.deepEqual(store.file.purchases.map((p) => p.amount).sort(), ['-20.00', '-500.00', '100.00', '120.00', '500.00']);
    const book = estimateBook(ltvInputFromFile(store.file, DEFAULT_LTV_SETTINGS, '2026-03-01'));
    const byExternal = (ext: string) => book.customers.get(store.file.customers.find((c) => c.externalId === ext)!.id)!;
    const refunded = byExternal('R-1');
    assert.equal(refunded.historicalValue, 0);
    assert.equal(refunded.ltv, 0);
    const partly = byExternal('R-2');
    const plain = byExternal('R-3');
    assert.equal(partly.historicalValue, 100);
    // 120 less a 20 refund is worth what a plain 100 order is worth.
    assert.equal(partly.ltv, plain.ltv);
  });
});
