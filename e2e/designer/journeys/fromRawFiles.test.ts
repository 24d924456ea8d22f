import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '@batchbook/pipeline-core';
import { SAMPLES, startApp, type App } from '../support/app';
import { runBatchbook } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';

/**
 * Building a pipeline from the reconciliation sample's raw files without touching YAML: drop the
 * three files, confirm their schemas, add a cleanse cell (trim, parse the amounts), join orders
 * with their settlements, write an output, save. The saved project runs with `batchbook run`,
 * and every cell's counts in the designer are the runner's.
 */
const DATA = join(SAMPLES, 'nightly-reconciliation', 'data');
const FILES = [
  ['orders_2026-11-24.csv', 'pos', 'text/csv'],
  ['settlements_2026-11-24.ndjson', 'psp', 'application/x-ndjson'],
  ['refunds_2026-11-24.parquet', 'erp', 'application/octet-stream'],
] as const;

let app: App;
let ui: DesignerPage;

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

describe('a pipeline from raw files, without YAML', () => {
  it('drops three files of different formats and confirms their schemas', async () => {
    const payload = FILES.map(([name, dir, type]) => ({ name, type, data: readFileSync(join(DATA, dir, name)).toString('base64') }));
    const dt = await app.page.evaluateHandle((files) => {
      const d = new DataTransfer();
      for (const f of files) d.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      return d;
    }, payload);
    await ui.id('dropzone').dispatchEvent('drop', { dataTransfer: dt });
    for (const [name] of FILES) await ui.id(`confirm-file-${name}`).waitFor();
    await app.screenshot('30-confirm-three-files');
    await ui.id('confirm-schema-create').click();
    await ui.waitIdle();
    expect(await ui.cellNames()).toEqual(['raw_orders_2026_11_24', 'raw_settlements_2026_11_24', 'raw_refunds_2026_11_24']);
    const csvLines = readFileSync(join(DATA, 'pos', FILES[0][0]), 'utf8').trim().split('\n').length - 1;
    const c = await ui.counts('raw_orders_2026_11_24');
    expect(c.rows + c.rejected).toBe(csvLines);
  });

  it('adds a cleanse cell, a join and an output with the structured editors', async () => {
    // cleanse the orders: trim the ids, read amounts like "€ 79.40" as decimals
    await ui.id('add-cell-button-1').click();
    await ui.id('add-cleanse-1').click();
    await ui.id('cell-clean').waitFor();
    await ui.id('add-step-clean').selectOption('trim');
    await ui.id('add-step-clean').selectOption('parse_number');
    await ui.id('clean-1-column').selectOption('amount');
    // join the clean orders with their settlements, below every cell it reads
    await ui.id('add-cell-button-4').click();
    await ui.id('add-join-4').click();
    await ui.id('cell-joined').waitFor();
    await ui.id('join-left-joined').selectOption('clean');
    await ui.id('join-right-joined').selectOption('raw_settlements_2026_11_24');
    await ui.id('join-type-joined').selectOption('left');
    await ui.id('join-key-left-joined-0').selectOption('order_id');
    await ui.id('join-key-right-joined-0').selectOption('order_ref');
    await ui.id('join-prefix-joined').fill('s_');
    // and write it out
    await ui.id('add-cell-button-5').click();
    await ui.id('add-output-5').click();
    await ui.id('cell-out').waitFor();
    await ui.waitIdle();
    for (const name of await ui.cellNames()) expect(await ui.status(name), name).toBe('fresh');
    await app.screenshot('31-built-from-raw-files');
  });

  it('saves a project the runner runs with the same counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-raw-'));
    app.picker.setFolder(dir);
    await ui.save();
    const spec = loadSpec(readFileSync(join(dir, 'pipeline.yaml'), 'utf8'));
    expect(spec.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const report = runBatchbook(dir, '2026-11-24');
    expect(report.status).toBe('succeeded');
    const names = await ui.cellNames();
    expect(report.stages.map((s) => s.name)).toEqual(names);
    for (const s of report.stages) expect(await ui.counts(s.name), s.name).toEqual({ rows: s.rows_out, rejected: s.rejected });
    expect(app.pageErrors).toEqual([]);
    expect(app.offsite).toEqual([]);
  });
});
