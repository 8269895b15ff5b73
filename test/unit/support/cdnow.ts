/**
 * Test/bench helper: reads the CDNOW files from test/fixtures/cdnow (the project's own copy,
 * see its README) into the LTV engine's LtvPurchase shape.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LtvPurchase } from '../../../src/domain/ltv/types';

const here = typeof __dirname === 'string' ? __dirname : path.join(process.cwd(), 'test', 'unit', 'support');
export const repoRoot = path.resolve(here, '..', '..', '..');
export const cdnowDir = path.resolve(repoRoot, 'test', 'fixtures', 'cdnow');

export interface CdnowData {
  purchases: LtvPurchase[];
  customerIds: string[];
}

function isoDate(yyyymmdd: string): string {
  if (!/^\d{8}$/.test(yyyymmdd)) throw new Error(`Bad CDNOW date ${yyyymmdd}`);
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/**
 * Parses CDNOW rows. `idColumn` and the date/amount columns differ between files:
 * sample: master_id sample_id date cds dollars (no header);
 * master: customer_id date cds dollars (header line).
 */
function parseRows(text: string, idColumn: number, dateColumn: number, amountColumn: number): CdnowData {
  const purchases: LtvPurchase[] = [];
  const ids = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length <= amountColumn || !/^\d/.test(cols[0])) continue; // blank or header
    const customerId = cols[idColumn];
    ids.add(customerId);
    purchases.push({ customerId, date: isoDate(cols[dateColumn]), amount: Number(cols[amountColumn]) });
  }
  return { purchases, customerIds: [...ids] };
}

export function parseCdnowSample(text: string): CdnowData {
  return parseRows(text, 1, 2, 4);
}

export function parseCdnowMaster(text: string): CdnowData {
  return parseRows(text, 0, 1, 3);
}

export function readCdnowSample(): CdnowData {
  return parseCdnowSample(fs.readFileSync(path.join(cdnowDir, 'CDNOW_sample.txt'), 'utf8'));
}

export function readCdnowMaster(): CdnowData {
  return parseCdnowMaster(fs.readFileSync(path.join(cdnowDir, 'CDNOW_master.txt'), 'utf8'));
}
