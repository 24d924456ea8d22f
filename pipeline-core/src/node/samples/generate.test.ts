import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SEED, defaultSamplesDir, generateSample, main, SampleUsageError } from './generate.js';

// ---------------------------------------------------------------------------------------------
// Helpers: an independent reader of the raw files (plain TypeScript, no DuckDB, no generator code)
// ---------------------------------------------------------------------------------------------

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'bb-samples-'));
  tempDirs.push(d);
  return d;
}
afterAll(async () => { await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true }))); });

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...await listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

/** relative path -> bytes */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const m = new Map<string, Buffer>();
  for (const f of await listFiles(dir)) m.set(relative(dir, f), await readFile(f));
  return m;
}

function sameBytes(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) { const w = b.get(k); if (!w || !v.equals(w)) return false; }
  return true;
}

/** RFC 4180 CSV: returns records with their 1-based physical line number. */
function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const out: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; field += ch; }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { fields.push(field); field = ''; }
    else if (ch === '\n') { fields.push(field); out.push({ line: recordLine, fields }); fields = []; field = ''; line++; recordLine = line; }
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || fields.length > 0) { fields.push(field); out.push({ line: recordLine, fields }); }
  return out;
}

/** `1,234.50` / `€ 9.90` / `12.00` -> cents */
function posCents(s: string): number {
  const m = /^(?:€\s*)?(\d{1,3}(?:,\d{3})*|\d+)\.(\d{2})$/.exec(s.trim());
  if (!m) throw new Error(`bad POS amount ${JSON.stringify(s)}`);
  return Number((m[1] as string).replace(/,/g, '')) * 100 + Number(m[2]);
}

/** `EUR 1234,50` -> cents */
function pspCents(s: string): number {
  const m = /^EUR (\d+),(\d{2})$/.exec(s);
  if (!m) throw new Error(`bad PSP amount ${JSON.stringify(s)}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

/** ISO with offset or Z, or naive `YYYY-MM-DD HH:MM:SS` meaning Europe/Berlin (UTC+01:00 in November). */
function instant(s: string): number {
  const t = s.trim();
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(t) ? `${t.replace(' ', 'T')}+01:00` : t;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad timestamp ${JSON.stringify(s)}`);
  return ms;
}

interface PosRow { line: number; orderId: string; merchant: string; orderedAt: number; cents: number; status: string; updated: number; updatedRaw: string }

interface DayStats {
  dataLines: number;
  raggedLines: number[];
  nullKeyRows: number;
  duplicatesRemoved: number;
  distinctOrders: number;
  paidOrders: number;
  /** merchant -> [PAID order cents, settled cents (orphans excluded)] */
  merchants: Record<string, [number, number]>;
  orphanSettlements: string[];
  latest: Map<string, PosRow>;
}

type Dedupe = 'latest-instant' | 'latest-string' | 'last-in-file';

function analyseDay(csvText: string, ndjsonText: string, dedupe: Dedupe = 'latest-instant'): DayStats {
  const records = parseCsv(csvText);
  const header = records[0]?.fields ?? [];
  expect(header.join(',')).toBe('order_id,merchant_id,ordered_at,amount,currency,status,updated_at');
  const data = records.slice(1);
  const raggedLines = data.filter((r) => r.fields.length !== header.length).map((r) => r.line);
  const rows: PosRow[] = data.filter((r) => r.fields.length === header.length).map(({ line, fields }) => {
    const [orderId, merchant, orderedAt, amount, currency, status, updated] = fields as [string, string, string, string, string, string, string];
    expect(['EUR', 'eur', '€']).toContain(currency.trim());
    return { line, orderId: orderId.trim().toUpperCase(), merchant: merchant.trim().toUpperCase(), orderedAt: instant(orderedAt), cents: posCents(amount), status: status.trim().toUpperCase(), updated: instant(updated), updatedRaw: updated };
  });
  const keyed = rows.filter((r) => r.orderId !== '');
  const latest = new Map<string, PosRow>();
  for (const r of keyed) {
    const prev = latest.get(r.orderId);
    const newer = !prev || (dedupe === 'latest-instant' ? r.updated > prev.updated : dedupe === 'latest-string' ? r.updatedRaw > prev.updatedRaw : true);
    if (newer) latest.set(r.orderId, r);
  }
  const paid = [...latest.values()].filter((r) => r.status === 'PAID');
  const merchants: Record<string, [number, number]> = {};
  const entry = (m: string): [number, number] => (merchants[m] ??= [0, 0]);
  for (const r of paid) entry(r.merchant)[0] += r.cents;
  const orphanSettlements: string[] = [];
  for (const line of ndjsonText.split('\n').filter((l) => l !== '')) {
    const s = JSON.parse(line) as { settlement_id: string; order_ref: string; merchant: string; amount: string; fee: number; settled_at: string };
    expect(typeof s.fee).toBe('number');
    expect(s.settled_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const ref = s.order_ref.trim().toUpperCase();
    if (!latest.has(ref)) { orphanSettlements.push(`${s.settlement_id} ${ref} ${s.merchant.toUpperCase()} ${pspCents(s.amount)}`); continue; }
    entry(s.merchant.trim().toUpperCase())[1] += pspCents(s.amount);
  }
  return {
    dataLines: data.length, raggedLines, nullKeyRows: rows.length - keyed.length,
    duplicatesRemoved: keyed.length - latest.size, distinctOrders: latest.size, paidOrders: paid.length,
    merchants, orphanSettlements, latest,
  };
}

const SAMPLES = defaultSamplesDir();
const NIGHTLY = join(SAMPLES, 'nightly-reconciliation', 'data');
const PEAK = join(SAMPLES, 'peak-sales', 'data');

async function nightlyDay(date: string, dedupe?: Dedupe): Promise<DayStats> {
  return analyseDay(
    await readFile(join(NIGHTLY, 'pos', `orders_${date}.csv`), 'utf8'),
    await readFile(join(NIGHTLY, 'psp', `settlements_${date}.ndjson`), 'utf8'),
    dedupe,
  );
}

// ---------------------------------------------------------------------------------------------
// nightly-reconciliation: the README's hand-derived numbers, re-derived from the raw files
// ---------------------------------------------------------------------------------------------

describe('nightly-reconciliation sample', () => {
  it('the committed files are exactly what the generator writes', async () => {
    const out = await tempDir();
    await generateSample('nightly-reconciliation', { outDir: out });
    expect(sameBytes(await snapshot(join(out, 'nightly-reconciliation', 'data')), await snapshot(NIGHTLY))).toBe(true);
  });

  it('day 1 (2026-11-24) matches the hand derivation', async () => {
    const d = await nightlyDay('2026-11-24');
    expect(d.dataLines).toBe(45);
    expect(d.raggedLines).toEqual([46]);
    expect(d.nullKeyRows).toBe(1);
    expect(d.duplicatesRemoved).toBe(3);
    expect(d.distinctOrders).toBe(40);
    expect(d.paidOrders).toBe(35);
    expect(d.merchants).toEqual({
      M001: [152008, 152008],
      M002: [48175, 48175],
      M003: [128144, 128144],
      M004: [29043, 29043],
    });
    expect(d.orphanSettlements).toEqual(['STL-20261124-0023 ORD-1124-047 M002 2780']);
    // the order just after local midnight has its UTC instant on the previous day
    expect(new Date(d.latest.get('ORD-1124-001')?.orderedAt ?? 0).toISOString()).toBe('2026-11-23T23:07:12.000Z');
  });

  it('day 2 (2026-11-25) matches the hand derivation: M003 is 3 cents short, nothing else differs', async () => {
    const d = await nightlyDay('2026-11-25');
    expect(d.dataLines).toBe(41);
    expect(d.raggedLines).toEqual([]);
    expect(d.nullKeyRows).toBe(1);
    expect(d.duplicatesRemoved).toBe(2);
    expect(d.distinctOrders).toBe(38);
    expect(d.paidOrders).toBe(35);
    expect(d.merchants).toEqual({
      M001: [14439, 14439],
      M002: [203554, 203554],
      M003: [46297, 46294],
      M004: [11653, 11653],
    });
    expect(d.orphanSettlements).toEqual([]);
    expect(new Date(d.latest.get('ORD-1125-001')?.orderedAt ?? 0).toISOString()).toBe('2026-11-24T23:21:40.000Z');
  });

  it('the documented traps change the totals (so a pipeline that falls into one is caught)', async () => {
    // comparing updated_at as text keeps ORD-1124-018's stale 32.60 instead of 23.60
    expect((await nightlyDay('2026-11-24', 'latest-string')).merchants.M002).toEqual([49075, 48175]);
    // keeping the last row in file order resurrects ORD-1124-027 (PAID 41.00) and ORD-1125-030's 24.09
    expect((await nightlyDay('2026-11-24', 'last-in-file')).merchants.M003).toEqual([132244, 128144]);
    expect((await nightlyDay('2026-11-25', 'last-in-file')).merchants.M004).toEqual([12013, 11653]);
  });

  it('refunds parquet: schema, rows, and the refund without an order', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    try {
      const glob = join(NIGHTLY, 'erp', 'refunds_*.parquet').replace(/'/g, "''");
      const schema = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${glob}')`)).getRowObjectsJson()
        .map((r) => `${String(r.column_name)} ${String(r.column_type)}`);
      expect(schema).toEqual(['refund_id VARCHAR', 'order_id VARCHAR', 'amount DECIMAL(12,2)', 'refunded_at TIMESTAMP', 'reason VARCHAR']);
      const rows = (await con.runAndReadAll(`SELECT refund_id, order_id, amount::VARCHAR AS amount, strftime(refunded_at, '%Y-%m-%d %H:%M:%S') AS at FROM read_parquet('${glob}') ORDER BY refund_id`)).getRowObjectsJson();
      expect(rows.map((r) => `${String(r.refund_id)} ${String(r.order_id)} ${String(r.amount)}`)).toEqual([
        'RF-20261124-001 ORD-1124-006 20.00',
        'RF-20261124-002 ORD-1124-033 11.69',
        'RF-20261125-001 ORD-1125-014 33.35',
        'RF-20261125-002 ORD-1125-017 100.00',
        'RF-20261125-003 ORD-1125-041 15.00',
      ]);
      const known = new Set([...(await nightlyDay('2026-11-24')).latest.keys(), ...(await nightlyDay('2026-11-25')).latest.keys()]);
      expect(rows.filter((r) => !known.has(String(r.order_id))).map((r) => r.refund_id)).toEqual(['RF-20261125-003']);
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// peak-sales
// ---------------------------------------------------------------------------------------------

/** Orders per day as stated in samples/peak-sales/README.md (scale 1). */
const PEAK_ORDERS: Record<string, number> = {
  '2026-11-16': 279, '2026-11-17': 291, '2026-11-18': 300, '2026-11-19': 309, '2026-11-20': 330,
  '2026-11-21': 351, '2026-11-22': 249, '2026-11-23': 279, '2026-11-24': 291, '2026-11-25': 300,
  '2026-11-26': 309, '2026-11-27': 900, '2026-11-28': 351, '2026-11-29': 249,
};

describe('peak-sales sample', () => {
  it('same seed -> byte-identical files; different seed -> different files', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await generateSample('peak-sales', { seed: 7, outDir: a });
    await generateSample('peak-sales', { seed: 7, outDir: b });
    await generateSample('peak-sales', { seed: 8, outDir: c });
    const [sa, sb, sc] = [await snapshot(a), await snapshot(b), await snapshot(c)];
    expect(sa.size).toBe(42);
    expect(sameBytes(sa, sb)).toBe(true);
    for (const [k, v] of sa) if (k.endsWith('.csv')) expect(v.equals(sc.get(k) as Buffer)).toBe(false);
  });

  it('the committed files are the default-seed output', async () => {
    const out = await tempDir();
    await generateSample('peak-sales', { seed: DEFAULT_SEED, outDir: out });
    expect(sameBytes(await snapshot(join(out, 'peak-sales', 'data')), await snapshot(PEAK))).toBe(true);
  });

  it('per-day counts match the README and the peak day has 3x the median normal day', async () => {
    const counts: Record<string, number> = {};
    for (const date of Object.keys(PEAK_ORDERS)) {
      const d = analyseDay(
        await readFile(join(PEAK, 'pos', `orders_${date}.csv`), 'utf8'),
        await readFile(join(PEAK, 'psp', `settlements_${date}.ndjson`), 'utf8'),
      );
      counts[date] = d.distinctOrders;
      expect(d.paidOrders).toBe(d.distinctOrders - Math.floor(d.distinctOrders / 16));
      expect(d.duplicatesRemoved).toBe(Math.floor(d.distinctOrders / 50));
      expect(d.raggedLines.length).toBe(date === '2026-11-23' ? 1 : 0);
      const mismatched = Object.entries(d.merchants).filter(([, [o, s]]) => o !== s).map(([m, [o, s]]) => `${m} ${s - o}`);
      expect(mismatched.length).toBe(date === '2026-11-27' ? 1 : 0);
      if (date === '2026-11-27') expect(mismatched[0]).toMatch(/ -10$/);
      expect(d.orphanSettlements.length).toBe({ '2026-11-19': 1, '2026-11-27': 2 }[date] ?? 0);
    }
    expect(counts).toEqual(PEAK_ORDERS);
    const normal = Object.entries(counts).filter(([d]) => d !== '2026-11-27').map(([, n]) => n).sort((x, y) => x - y);
    const median = normal[Math.floor(normal.length / 2)] as number;
    const ratio = (counts['2026-11-27'] as number) / median;
    expect(ratio).toBeGreaterThanOrEqual(2.7);
    expect(ratio).toBeLessThanOrEqual(3.3);
  });

  it('committed samples stay under 3 MB', async () => {
    let total = 0;
    for (const f of [...await listFiles(NIGHTLY), ...await listFiles(PEAK)]) total += (await readFile(f)).length;
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });
});

// ---------------------------------------------------------------------------------------------
// ml-history
// ---------------------------------------------------------------------------------------------

/** Independent re-implementation of the README formula: rows per month for a scale. */
function mlRowsPerMonth(scale: number): Map<string, number> {
  const DOW = [90, 92, 95, 100, 118, 135, 70];        // Mon..Sun
  const MONTH = [80, 82, 92, 95, 100, 98, 96, 94, 97, 102, 125, 160];
  const YEAR = [100, 112, 125, 140, 157];             // 2021..2025
  const n = BigInt(20_000 * scale);
  const weights: Array<[string, bigint]> = [];
  for (let t = Date.UTC(2021, 0, 1); t <= Date.UTC(2025, 11, 31); t += 86_400_000) {
    const d = new Date(t);
    weights.push([d.toISOString().slice(0, 7), BigInt((DOW[(d.getUTCDay() + 6) % 7] as number) * (MONTH[d.getUTCMonth()] as number) * (YEAR[d.getUTCFullYear() - 2021] as number))]);
  }
  const total = weights.reduce((a, [, w]) => a + w, 0n);
  const out = new Map<string, number>();
  let c = 0n;
  for (const [month, w] of weights) {
    const rows = (n * (c + w)) / total - (n * c) / total;
    c += w;
    out.set(month, (out.get(month) ?? 0) + Number(rows));
  }
  return out;
}

describe('ml-history generator', () => {
  it('writes 60 monthly files whose row counts follow the formula (20,000 x scale in total)', async () => {
    const out = await tempDir();
    const files = await generateSample('ml-history', { outDir: out, seed: 1 });
    expect(files.length).toBe(60);
    const expected = mlRowsPerMonth(1);
    let total = 0;
    let emptyStore = 0;
    let returns = 0;
    let paddedPrice = 0;
    for (const [month, rows] of expected) {
      const text = await readFile(join(out, 'ml-history', 'data', 'sales', `sales_${month}.csv`), 'utf8');
      const lines = text.split('\n').filter((l) => l !== '');
      expect(lines[0]).toBe('sale_id,sale_date,store_id,product_id,units,unit_price,discount,channel');
      expect(lines.length - 1).toBe(rows);
      for (const l of lines.slice(1)) {
        const f = l.split(',');
        expect(f.length).toBe(8);
        expect(f[1]?.startsWith(month)).toBe(true);
        if (f[2] === '') emptyStore++;
        if ((f[4] ?? '').startsWith('-')) returns++;
        if (f[5] !== f[5]?.trim()) paddedPrice++;
      }
      total += rows;
    }
    expect(total).toBe(20_000);
    expect(emptyStore).toBeGreaterThan(0);
    expect(returns).toBeGreaterThan(100);
    expect(paddedPrice).toBeGreaterThan(50);
  });

  it('same seed -> byte-identical files; different seed -> different files', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await generateSample('ml-history', { outDir: a, seed: 5 });
    await generateSample('ml-history', { outDir: b, seed: 5 });
    await generateSample('ml-history', { outDir: c, seed: 6 });
    const [sa, sb, sc] = [await snapshot(a), await snapshot(b), await snapshot(c)];
    expect(sameBytes(sa, sb)).toBe(true);
    expect(sameBytes(sa, sc)).toBe(false);
    expect([...sa.keys()]).toEqual([...sc.keys()]);
  });

  it('scale 2 doubles the rows exactly', () => {
    const one = [...mlRowsPerMonth(1).values()].reduce((a, b) => a + b, 0);
    const two = [...mlRowsPerMonth(2).values()].reduce((a, b) => a + b, 0);
    expect([one, two]).toEqual([20_000, 40_000]);
  });
});

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

describe('generate CLI', () => {
  async function run(args: string[]): Promise<{ code: number; err: string }> {
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      return { code: await main(['node', 'generate.js', ...args]), err };
    } finally {
      spy.mockRestore();
      out.mockRestore();
    }
  }

  it('rejects bad arguments with a clear message and exit code 2, no stack trace', async () => {
    for (const [args, msg] of [
      [['--sample', 'nope'], /Allowed choices are ml-history, peak-sales, nightly-reconciliation, all/],
      [['--scale', '0'], /scale must be an integer from 1 to/],
      [['--scale', '1.5'], /--scale must be a whole number/],
      [['--seed', '-3'], /--seed must be a whole number/],
      [['--seed', '99999999999'], /seed must be an integer from 0 to 4294967295/],
      [['--bogus'], /unknown option '--bogus'/],
    ] as Array<[string[], RegExp]>) {
      const { code, err } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toMatch(msg);
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  it('generates into --out', async () => {
    const out = await tempDir();
    const { code } = await run(['--sample', 'nightly-reconciliation', '--out', out]);
    expect(code).toBe(0);
    expect((await listFiles(out)).length).toBe(6);
  });

  it('generateSample refuses unknown names and bad options', async () => {
    await expect(generateSample('nope' as 'ml-history')).rejects.toBeInstanceOf(SampleUsageError);
    await expect(generateSample('peak-sales', { scale: -1 })).rejects.toThrow(/scale must be/);
  });
});
