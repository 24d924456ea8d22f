import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appForTests } from '../support/app';
import { DesignerPage } from '../pages/designerPage';
import { writeLargeParquet } from '../bench/largeFiles';

/**
 * Files of any size: a Parquet file well past the 100k rows that used to fail ("Maximum call
 * stack size exceeded") is sampled by row ranges and previewed; a CSV of zip codes keeps its
 * leading zeros; a parse_date step over "Jun 12 1998"-style text suggests the format that reads it.
 */
const PARQUET_ROWS = 3_000_000; // the size: ~20 MB, about 25 row groups
const dir = mkdtempSync(join(tmpdir(), 'bb-large-'));
const fixture = appForTests({}, () => rmSync(dir, { recursive: true, force: true }));
let ui: DesignerPage;
const app = () => fixture.app;

beforeAll(async () => {
  await writeLargeParquet(join(dir, 'big_orders.parquet'), PARQUET_ROWS);
  ui = new DesignerPage(fixture.app.page);
});

async function closeProject(): Promise<void> {
  fixture.app.page.once('dialog', (d) => void d.accept().catch(() => undefined));
  await ui.page.keyboard.press('Control+k');
  await ui.id('palette-input').fill('close project');
  await ui.page.keyboard.press('Enter');
  await ui.id('start-screen').waitFor();
}

/** The grid's visible rows, as {column: text}. */
async function gridRows(stage: string): Promise<Record<string, string>[]> {
  return ui.id(`grid-${stage}`).evaluate((grid) => {
    const names = [...grid.querySelectorAll('[role="columnheader"]')].map((h) => h.getAttribute('title')!.split(' · ')[0]!);
    return [...grid.querySelectorAll('.grid-row')].map((r) => Object.fromEntries([...r.querySelectorAll('[role="cell"]')].map((c, i) => [names[i]!, c.textContent ?? ''])));
  });
}

describe('a large Parquet file', () => {
  it('previews a sample of a 3,000,000-row file, reading only row ranges of it', async () => {
    await ui.id('file-input').setInputFiles(join(dir, 'big_orders.parquet'));
    await ui.id('confirm-schema').waitFor();
    expect(await ui.id('schema-type-zip').inputValue()).toBe('string');
    await ui.id('confirm-schema-create').click();
    await ui.waitIdle();
    expect(await ui.status('raw_big_orders')).toBe('fresh');
    // sample mode: about the default 10,000 rows, drawn from row ranges spread over the file
    const sampled = await ui.counts('raw_big_orders');
    expect(sampled.rows).toBeGreaterThan(5_000);
    expect(sampled.rows).toBeLessThan(20_000);
    // every sampled row decoded as written (the generator's formulas, re-derived here from each row's id)
    const page = await ui.page.evaluate(async (n) => {
      const client = (window as unknown as { __batchbook: { preview: { client: { rows(s: string, o: number, l: number): Promise<{ columns: { name: string }[]; rows: unknown[][] }> } } } }).__batchbook.preview.client;
      return client.rows('raw_big_orders', 0, n);
    }, sampled.rows);
    const col = (name: string) => page.columns.findIndex((c) => c.name === name);
    const [id, zip, status] = [col('id'), col('zip'), col('status')];
    expect(page.rows.length).toBe(sampled.rows);
    for (const r of page.rows) {
      const n = Number(r[id]);
      expect(r[zip]).toBe(String(n % 100_000).padStart(5, '0'));
      expect(r[status]).toBe(n % 7 === 0 ? 'CANCELLED' : 'PAID');
    }
    // the windows are spread over the file: rows from its second row group (DuckDB writes 122,880 rows a group) too
    expect(page.rows.reduce((m, r) => Math.max(m, Number(r[id])), 0)).toBeGreaterThan(122_880);
    expect((await gridRows('raw_big_orders')).length).toBeGreaterThan(5);
    // the row count comes from the file's footer, not from decoding it
    expect(await ui.id('sample-info').getAttribute('title')).toContain(`big_orders: ${PARQUET_ROWS.toLocaleString('en-US')} rows`);
    expect(fixture.app.pageErrors).toEqual([]);
    await closeProject();
  });
});

describe('a CSV of zip codes', () => {
  it('keeps zero-padded ids as text', async () => {
    writeFileSync(join(dir, 'zips.csv'), 'zip,city,population\n00501,Holtsville,1\n10001,New York,21102\n94105,San Francisco,32000\n');
    await ui.id('file-input').setInputFiles(join(dir, 'zips.csv'));
    await ui.id('confirm-schema').waitFor();
    expect(await ui.id('schema-type-zip').inputValue()).toBe('string');
    expect(await ui.id('schema-type-population').inputValue()).toBe('integer');
    await ui.id('confirm-schema-create').click();
    await ui.waitIdle();
    await expect.poll(async () => (await gridRows('raw_zips')).map((r) => r['zip'])).toEqual(['00501', '10001', '94105']);
    await closeProject();
  });
});

describe('parse_date on "Jun 12 1998"-style values', () => {
  it('suggests %b %d %Y, with how many values it reads, and parses them once used', async () => {
    writeFileSync(join(dir, 'events.csv'), 'id,happened\n1,Jun 12 1998\n2,Dec 31 2001\n3, Jan 5 2020\n4,Feb 28 1999\n');
    await ui.id('file-input').setInputFiles(join(dir, 'events.csv'));
    await ui.id('confirm-schema').waitFor();
    expect(await ui.id('schema-type-happened').inputValue()).toBe('string');
    await ui.id('confirm-schema-create').click();
    await ui.waitIdle();
    await ui.id('add-cell-button-1').click();
    await ui.id('add-cleanse-1').click();
    await ui.id('cell-clean').waitFor();
    await ui.id('add-step-clean').selectOption('parse_date');
    await ui.id('clean-0-column').selectOption('happened');
    await ui.waitIdle();
    // the default format reads none of the four values; the suggestion reads all four
    await expect.poll(() => ui.id('clean-0-format-reads').innerText()).toContain('%Y-%m-%d %H:%M:%S reads 0 of 4');
    const suggestion = ui.id('clean-0-format-suggestion-0');
    expect(await suggestion.innerText()).toContain('%b %d %Y');
    expect(await suggestion.locator('xpath=..').innerText()).toContain('reads 4 of 4');
    // the format codes are listed, the one for a month's short name among them
    await ui.id('clean-0-format-help').locator('summary').click();
    expect(await ui.id('clean-0-format-help').innerText()).toMatch(/%b\s+month, abbreviated name\s+Jun/);
    await suggestion.click();
    await ui.waitIdle();
    expect(await ui.counts('clean')).toEqual({ rows: 4, rejected: 0 });
    await ui.id('grid-clean').scrollIntoViewIfNeeded();
    const days = async () => (await gridRows('clean')).map((r) => [r['id'], r['happened']?.slice(0, 10)]);
    await expect.poll(days).toEqual([['1', '1998-06-12'], ['2', '2001-12-31'], ['3', '2020-01-05'], ['4', '1999-02-28']]);
    // parsed times are UTC, and the grid says so
    expect(await ui.id('grid-clean').locator('[role="columnheader"]').nth(1).innerText()).toContain('timestamp (UTC)');
    await closeProject();
  });
});

describe('a run date with no files', () => {
  it('says so once, listing the dates that have files, and one click previews one of them', async () => {
    await ui.openSample('nightly-reconciliation');
    await ui.waitIdle();
    await ui.id('param-run_date').fill('2026-11-30');
    await ui.waitIdle();
    const banner = ui.id('missing-files');
    // the sample's data folder holds the nights of 2026-11-24 and 2026-11-25 for all three sources
    expect(await banner.innerText()).toContain('No files for run_date 2026-11-30');
    expect(await banner.locator('button').allInnerTexts()).toEqual(['2026-11-24', '2026-11-25']);
    // no red errors: the ingest cells and what reads them wait for files
    expect(await ui.page.locator('[data-testid^="error-"]').count()).toBe(0);
    expect(await ui.status('raw_orders')).toBe('blocked');
    await app().screenshot('30-missing-files');
    await ui.id('missing-files-use-2026-11-25').click();
    await ui.waitIdle();
    expect(await banner.count()).toBe(0);
    expect(await ui.status('raw_orders')).toBe('fresh');
  });
});
