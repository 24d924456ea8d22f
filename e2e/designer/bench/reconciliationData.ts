import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeDuckdbEngine } from '@batchbook/pipeline-core/node';
import { quoteString } from '@batchbook/pipeline-core';

/**
 * A nightly-reconciliation project at benchmark scale: the sample's pipeline over one business
 * day of `orders` POS orders (with the sample's messes: mixed id casing, '1,234.50' amounts,
 * 'eur'/'€' currencies, local and offset times, ~2% re-exported duplicates), a settlement per paid
 * order (spaced, lower-cased refs, 'EUR 12,50' amounts) and ~1% refunds. Seeded: the same
 * arguments give the same bytes.
 */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export async function writeReconciliationProject(dir: string, sampleDir: string, orders: number, day = '2026-11-24', seed = 7): Promise<{ orders: number; settlements: number; refunds: number }> {
  const rnd = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  mkdirSync(join(dir, 'data/pos'), { recursive: true });
  mkdirSync(join(dir, 'data/psp'), { recursive: true });
  mkdirSync(join(dir, 'data/erp'), { recursive: true });
  copyFileSync(join(sampleDir, 'pipeline.yaml'), join(dir, 'pipeline.yaml'));
  const csv: string[] = ['order_id,merchant_id,ordered_at,amount,currency,status,updated_at'];
  const ndjson: string[] = [];
  const refunds: string[] = [];
  const tag = day.slice(5).replace('-', '');
  let settlements = 0;
  for (let i = 1; i <= orders; i++) {
    const id = `ORD-${tag}-${pad(i, 6)}`;
    const merchant = pick(['M001', 'M002', 'M003', 'M004', 'm001', 'm003']);
    const secs = Math.floor(rnd() * 86_000);
    const hh = pad(Math.floor(secs / 3600), 2);
    const mm = pad(Math.floor((secs % 3600) / 60), 2);
    const ss = pad(secs % 60, 2);
    const local = rnd() < 0.5 ? `${day} ${hh}:${mm}:${ss}` : `${day}T${hh}:${mm}:${ss}+01:00`;
    const cents = 100 + Math.floor(rnd() * 300_000);
    const amount = cents >= 100_000 ? `"${Math.floor(cents / 100_000)},${pad(Math.floor(cents / 100) % 1000, 3)}.${pad(cents % 100, 2)}"` : `${Math.floor(cents / 100)}.${pad(cents % 100, 2)}`;
    const status = rnd() < 0.85 ? 'PAID' : pick(['CANCELLED', 'paid']);
    const row = `${id},${merchant},${local},${amount},${pick(['EUR', 'EUR', 'eur', '€'])},${status},${day}T${hh}:${mm}:${ss}+01:00`;
    csv.push(row);
    if (rnd() < 0.02) csv.push(row.replace(/T(\d\d):(\d\d):(\d\d)\+01:00$/, 'T$1:$2:59+01:00'));
    if (status.toUpperCase() === 'PAID') {
      settlements++;
      const eur = `EUR ${Math.floor(cents / 100)},${pad(cents % 100, 2)}`;
      const ref = rnd() < 0.1 ? ` ${id.toLowerCase()} ` : id;
      ndjson.push(JSON.stringify({ settlement_id: `STL-${day.replace(/-/g, '')}-${pad(settlements, 6)}`, order_ref: ref, merchant: merchant.toLowerCase(), amount: eur, fee: Math.round(cents * 0.018) / 100, settled_at: `${day}T${hh}:${mm}:${ss}Z` }));
      if (rnd() < 0.01) refunds.push(`('RF-${pad(refunds.length + 1, 6)}', '${id}', ${(cents / 200).toFixed(2)}, TIMESTAMP '${day} 18:00:00', 'customer return')`);
    }
  }
  writeFileSync(join(dir, `data/pos/orders_${day}.csv`), csv.join('\n') + '\n');
  writeFileSync(join(dir, `data/psp/settlements_${day}.ndjson`), ndjson.join('\n') + '\n');
  const engine = await NodeDuckdbEngine.open();
  try {
    await engine.exec(`CREATE TABLE r (refund_id VARCHAR, order_id VARCHAR, amount DECIMAL(12,2), refunded_at TIMESTAMP, reason VARCHAR)`);
    if (refunds.length) await engine.exec(`INSERT INTO r VALUES ${refunds.join(', ')}`);
    await engine.exec(`COPY r TO ${quoteString(join(dir, `data/erp/refunds_${day}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    engine.close();
  }
  return { orders: csv.length - 1, settlements, refunds: refunds.length };
}
