import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '@batchbook/pipeline-core';
import { startApp, type App } from '../support/app';
import { runBatchbook } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';

/**
 * Starting from nothing but a data file: drop a CSV, confirm the schema read from it, preview,
 * add a cell, save a project the runner accepts. And a malformed CSV: its bad lines are rejects
 * with readable reasons, a source that cannot be read is a readable error in its cell, and the
 * app stays usable throughout.
 */
const GOOD = 'order_id,customer,amount,ordered_on\nA-1, ann ,12.50,2026-11-01\nA-2,bob,7,2026-11-02\nA-3, cy,3.25,2026-11-02\nA-4,dee,100,2026-11-03\n';
const GOOD_ROWS = GOOD.trim().split('\n').length - 1; // counted here: four data lines
const MALFORMED = 'id,name,amount\n1,ann,2.5\n2,bob\n3,cy,4,extra\n4,"dee,5\n5,eve,6\n';

let app: App;
let ui: DesignerPage;

async function drop(name: string, text: string): Promise<void> {
  const dt = await app.page.evaluateHandle(([n, t]) => {
    const d = new DataTransfer();
    d.items.add(new File([t!], n!, { type: 'text/csv' }));
    return d;
  }, [name, text]);
  await ui.id('dropzone').dispatchEvent('dragover', { dataTransfer: dt });
  await ui.id('dropzone').dispatchEvent('drop', { dataTransfer: dt });
}

beforeAll(async () => {
  app = await startApp();
  ui = new DesignerPage(app.page);
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await app?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await app?.close();
});

describe('a new project from a dropped CSV', () => {
  it('reads the schema for the user to confirm, then previews the file', async () => {
    await drop('orders.csv', GOOD);
    await ui.id('confirm-schema').waitFor();
    expect(await ui.id('schema-type-order_id').inputValue()).toBe('string');
    expect(await ui.id('schema-type-amount').inputValue()).toBe('double');
    expect(await ui.id('schema-type-ordered_on').inputValue()).toBe('date');
    await ui.id('schema-type-amount').selectOption('decimal(12,2)');
    await app.screenshot('10-confirm-schema');
    await ui.id('confirm-schema-create').click();
    await ui.waitIdle();
    expect(await ui.cellNames()).toEqual(['raw_orders']);
    expect(await ui.counts('raw_orders')).toEqual({ rows: GOOD_ROWS, rejected: 0 });
    expect(await ui.id('grid-raw_orders').innerText()).toContain('decimal(12,2)');
  });

  it('grows from the palette of cell kinds and saves a project the runner accepts', async () => {
    await ui.id('add-cell-button-1').click();
    await ui.id('add-cleanse-1').click();
    await ui.id('cell-clean').waitFor();
    await ui.id('add-step-clean').selectOption('trim');
    await ui.waitIdle();
    expect(await ui.counts('clean')).toEqual({ rows: GOOD_ROWS, rejected: 0 });
    await app.screenshot('11-new-project');
    const dir = mkdtempSync(join(tmpdir(), 'bb-new-'));
    app.picker.setFolder(dir);
    await ui.save();
    const text = readFileSync(join(dir, 'pipeline.yaml'), 'utf8');
    expect(loadSpec(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(readFileSync(join(dir, 'data/orders.csv'), 'utf8')).toBe(GOOD);
    const report = runBatchbook(dir, '2026-11-25');
    expect(report.stages.map((s) => [s.name, s.rows_out, s.rejected])).toEqual([
      ['raw_orders', await ui.counts('raw_orders').then((c) => c.rows), 0],
      ['clean', await ui.counts('clean').then((c) => c.rows), 0],
    ]);
  });
});

describe('a malformed CSV', () => {
  it('refuses a file that is not text, saying why, on the start screen', async () => {
    app.page.once('dialog', (d) => void d.accept());
    await ui.page.keyboard.press('Control+k');
    await ui.id('palette-input').fill('close project');
    await ui.page.keyboard.press('Enter');
    await ui.id('start-screen').waitFor();
    await drop('archive.csv', '\u0000\u0001binary\u0002\n');
    expect(await ui.id('new-project-error').innerText()).toContain('not readable text');
  });

  it('turns bad lines into rejects with the reader’s reasons', async () => {
    await drop('people.csv', MALFORMED);
    await ui.id('confirm-schema-create').click();
    await ui.waitIdle();
    const counts = await ui.counts('raw_people');
    expect(counts.rows + counts.rejected).toBeGreaterThanOrEqual(3);
    expect(counts.rejected).toBeGreaterThan(0);
    await ui.id('tab-rejects-raw_people').click();
    const text = await ui.id('rejects-raw_people').innerText();
    expect(text).toMatch(/line \d+: Expected Number of Columns/);
    await app.screenshot('12-malformed-rejects', ui.id('preview-raw_people'));
  });

  it('shows a source that cannot be read as an error in its cell, and stays usable', async () => {
    await ui.id('source-chip-people').click();
    await ui.id('source-path-people').fill('missing.csv');
    await ui.waitIdle();
    const error = ui.id('error-raw_people');
    await error.waitFor();
    expect(await error.innerText()).toContain("no file in the project's data folder matches 'missing.csv'");
    expect(await ui.status('raw_people')).toBe('error');
    await app.screenshot('13-cell-error');
    await ui.undo();
    await ui.waitIdle();
    expect(await ui.status('raw_people')).toBe('fresh');
    expect(app.pageErrors).toEqual([]);
    expect(app.offsite).toEqual([]);
  });
});
