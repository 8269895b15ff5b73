import { readFileSync } from 'node:fs';
import { instantMs, dayNumber } from '../../src/domain/book';
const file = JSON.parse(readFileSync('/tmp/book.json', 'utf8'));
const res: Record<string, number[]> = {};
const time = (name: string, f: () => void): void => { const t = performance.now(); f(); (res[name] ??= []).push(performance.now() - t); };
let c = 0;
for (let k = 0; k < 8; k++) {
  time('calibrate', () => { const m = new Map<number, number>(); for (let i = 0; i < 1e6; i++) m.set(i & 0xffff, i); c += m.size; });
  time('instantMs 100k', () => { for (const i of file.incidents) c += instantMs(i.openedAt); });
  time('Date.parse 100k', () => { for (const i of file.incidents) c += Date.parse(i.openedAt); });
  time('map get 100k', () => { const m = new Map<string, number>(); for (const cu of file.customers) m.set(cu.id, 1); for (const i of file.incidents) c += m.get(i.customerId) ?? 0; });
  time('group push 100k', () => { const m = new Map<string, unknown[]>(); for (const i of file.incidents) { const l = m.get(i.customerId); if (l) l.push(i); else m.set(i.customerId, [i]); } c += m.size; });
  time('dayNumber 100k', () => { for (const p of file.purchases) c += dayNumber(p.date); });
  time('iterate 100k', () => { for (const i of file.incidents) c += i.severity.length; });
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(22), 'min', Math.min(...v).toFixed(1), 'median', v.sort((a, b) => a - b)[v.length >> 1].toFixed(1));
