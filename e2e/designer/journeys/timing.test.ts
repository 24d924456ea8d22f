import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '@batchbook/pipeline-core/node';
import { appForTests, SAMPLES } from '../support/app';
import { copyProject, runBatchbook } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';

/**
 * A cell's Timing tab (like `batchbook run --profile` for one stage): on the reconciliation
 * sample, the ingest and the aggregate cells show a wall time, the rows `batchbook run` counts
 * for them, and their heaviest operators from DuckDB's profiler, the aggregate's including its
 * hash aggregate.
 */
const fixture = appForTests();
let ui: DesignerPage;
let report: RunReport;

beforeAll(async () => {
  report = runBatchbook(copyProject(join(SAMPLES, 'nightly-reconciliation')), '2026-11-24');
  ui = new DesignerPage(fixture.app.page);
  await ui.id('sample-nightly-reconciliation').click();
  await ui.waitIdle();
});

interface Shown {
  ms: number;
  rows: number;
  operators: { name: string; share: number; ms: number; rows: number }[];
}

async function timing(stage: string): Promise<Shown> {
  await ui.scrollTo(stage);
  await ui.id(`tab-timing-${stage}`).click();
  await ui.id(`timing-${stage}`).waitFor();
  const num = async (id: string) => Number((await ui.id(id).innerText()).replace(/[^\d]/g, ''));
  const operators = await ui.id(`timing-${stage}`).locator(`[data-testid="timing-op-${stage}"]`).evaluateAll((rows) =>
    rows.map((r) => {
      const cells = [...r.querySelectorAll('td')].map((td) => td.textContent ?? '');
      return { name: cells[0]!, share: Number(cells[1]!.replace('%', '')) / 100, ms: Number(cells[2]), rows: Number(cells[3]!.replace(/,/g, '')) };
    }),
  );
  return { ms: await num(`timing-ms-${stage}`), rows: await num(`timing-rows-${stage}`), operators };
}

function expectSane(t: Shown, stage: string): void {
  expect(t.rows).toBe(report.stages.find((s) => s.name === stage)!.rows_out);
  expect(t.ms).toBeGreaterThanOrEqual(0);
  expect(t.ms).toBeLessThan(60_000);
  expect(t.operators.length).toBeGreaterThan(0);
  expect(t.operators.length).toBeLessThanOrEqual(5);
  for (const o of t.operators) expect(o.name).toMatch(/^[A-Z_]+$/);
  // heaviest first, shares of one total (rounded to whole percents in the table)
  const shares = t.operators.map((o) => o.share);
  expect(shares).toEqual([...shares].sort((a, b) => b - a));
  expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1.03);
  // an operator's milliseconds fit in the cell's wall time
  for (const o of t.operators) expect(o.ms).toBeLessThanOrEqual(t.ms + 1);
}

describe("a cell's timing", () => {
  it('shows the ingest cell’s wall time, its rows and its heaviest operators', async () => {
    expectSane(await timing('raw_orders'), 'raw_orders');
    expect(fixture.app.pageErrors).toEqual([]);
  });

  it('shows the aggregate’s hash aggregate among its heaviest operators, and measures again on request', async () => {
    const t = await timing('merchant_day');
    expectSane(t, 'merchant_day');
    expect(t.operators.map((o) => o.name).some((n) => /HASH_GROUP_BY/.test(n))).toBe(true);
    await fixture.app.screenshot('timing-merchant_day', ui.id('preview-merchant_day'));
    await ui.id('timing-again-merchant_day').click();
    await expect.poll(async () => ui.id('timing-again-merchant_day').isEnabled()).toBe(true);
    expectSane(await timing('merchant_day'), 'merchant_day');
    // profiling ran the cell again: its rows and status are unchanged
    expect((await ui.counts('merchant_day')).rows).toBe(t.rows);
    expect(await ui.status('merchant_day')).toBe('fresh');
  });
});
