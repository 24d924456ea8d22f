import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { afterAll, it } from 'vitest';
import { downstreamOf, loadSpec } from '@batchbook/pipeline-core';
import { readFileSync } from 'node:fs';
import { SAMPLES, startApp, type App } from '../support/app';
import { DesignerPage } from '../pages/designerPage';
import { writeReconciliationProject } from './reconciliationData';
import { HAND_COUNTS, HAND_SQL } from './reconciliationHandSql';

/**
 * The designer benchmark. In Chromium with the production build:
 *  - app start to the start screen, and opening the bundled sample to its first cell rendered
 *    and first cell previewed;
 *  - on the reconciliation pipeline over 100,000 orders (full files, no sampling): the time from
 *    switching a cleanse step on or off to the last downstream cell refreshed, against running
 *    the same compiled SQL for those cells straight on the same DuckDB-WASM connection, and
 *    against hand-written SQL computing the same cells' rows, rejects and rule checks
 *    (reconciliationHandSql.ts; its counts are checked against the designer's first), the two
 *    baselines alternating which goes first. Each round makes a new edit (the step switched off
 *    after the preview's kept results were dropped: nothing to bring back, the cells are
 *    computed) and then an edit back to a state seen before (the step switched on again: the
 *    result cache, resultCache.ts, brings the earlier results back). The aim is for new edits;
 *    both medians are printed.
 * Numbers are printed, not asserted (2-core machines vary); aims: < 500 ms, ratio < 1.3,
 * compiled SQL ≤ 1.2× the hand-written SQL.
 */
const ORDERS = Number(process.env['BATCHBOOK_BENCH_ORDERS'] ?? 100_000);
const ROUNDS = 7;
const STEP = 1; // clean_orders' "case" step: upper-cases merchant ids and statuses

let app: App | undefined;
afterAll(async () => app?.close());

interface BenchClient {
  forgetKept(): Promise<null>;
  bench(stages: string[]): Promise<{ ms: number }>;
  benchSql(statements: readonly string[], check?: string): Promise<{ ms: number; check?: Record<string, number>[] }>;
}
type BenchWindow = { __batchbook: { preview: { client: BenchClient } } };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;

it('designer benchmark', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-bench-'));
  const sample = join(SAMPLES, 'nightly-reconciliation');
  const made = await writeReconciliationProject(dir, sample, ORDERS);
  const spec = loadSpec(readFileSync(join(dir, 'pipeline.yaml'), 'utf8')).spec!;
  const downstream = [...downstreamOf(spec, ['clean_orders'])];

  app = await startApp();
  const { page } = app;
  const ui = new DesignerPage(page);
  await ui.id('start-screen').waitFor();
  const startScreen = await page.evaluate(() => performance.now());

  // opening the bundled sample: first cell in the DOM, first cell with its rows
  const opened = await page.evaluate(async () => {
    const t0 = performance.now();
    const times: { rendered?: number; previewed?: number } = {};
    const done = new Promise<void>((resolve) => {
      const check = () => {
        if (times.rendered === undefined && document.querySelector('[data-cell]')) times.rendered = performance.now() - t0;
        const rows = document.querySelector('[data-testid^="rows-"]')?.textContent ?? '';
        if (times.previewed === undefined && /^\d/.test(rows)) times.previewed = performance.now() - t0;
        if (times.rendered !== undefined && times.previewed !== undefined) return resolve();
        requestAnimationFrame(check);
      };
      check();
    });
    document.querySelector<HTMLButtonElement>('[data-testid="sample-nightly-reconciliation"]')!.click();
    await done;
    return times;
  });
  await ui.waitIdle();
  const engineStart = await page.evaluate(() => (window as unknown as { __batchbook: { preview: { client: { ready: Promise<{ ms: number }> } } } }).__batchbook.preview.client.ready.then((r) => r.ms));

  // the 100k-row project, every row previewed
  app.picker.setFolder(dir);
  app.page.once('dialog', (d) => void d.accept());
  await ui.page.keyboard.press('Control+k');
  await ui.id('palette-input').fill('open project');
  await ui.page.keyboard.press('Enter');
  await ui.id('cell-clean_orders').waitFor();
  await ui.waitIdle(300_000);
  await ui.id('sample-mode-full').click();
  await ui.waitIdle(300_000);
  const ordersIn = (await ui.counts('raw_orders')).rows + (await ui.counts('raw_orders')).rejected;

  // the hand SQL computes what the designer shows: the same counts, cell by cell
  const handCounts = await page.evaluate(async ([q, c]) => (await (window as unknown as BenchWindow).__batchbook.preview.client.benchSql(q, c)).check![0]!, [HAND_SQL, HAND_COUNTS] as const);
  const shownCounts: Record<string, number> = {};
  for (const stage of ['clean_orders', 'paid_orders', 'checked_settlements', 'checked_refunds', 'order_settlement', 'merchant_day', 'refunds_by_order']) {
    const c = await ui.counts(stage);
    shownCounts[`${stage}_rows`] = c.rows;
    if (`${stage}_rejected` in handCounts) shownCounts[`${stage}_rejected`] = c.rejected;
  }
  const disagree = Object.keys(shownCounts).filter((k) => Number(handCounts[k]) !== shownCounts[k]);

  const refresh: number[] = []; // new edits: computed
  const back: number[] = []; // edits back to a state seen before: brought back from the cache
  const direct: number[] = [];
  const hand: number[] = [];
  const worker: number[] = [];
  const phases: Record<string, number>[] = [];
  let cells = '';
  let backCells = '';
  /** Clicks the step's switch and waits for the refresh it starts to end: ms from the click. */
  const toggleStep = () =>
    page.evaluate(async (toggle) => {
        const bar = document.querySelector('[data-testid="statusbar"]')!;
        const before = Number(bar.getAttribute('data-runs'));
        const t0 = performance.now();
        const settled = new Promise<number>((resolve) => {
          const obs = new MutationObserver(() => {
            if (Number(bar.getAttribute('data-runs')) > before && bar.getAttribute('data-busy') === 'false') {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          });
          obs.observe(bar, { attributes: true });
        });
        document.querySelector<HTMLInputElement>(`[data-testid="${toggle}"]`)!.click();
        return settled;
      }, `step-toggle-clean_orders-${STEP}`);
  for (let round = 0; round < ROUNDS; round++) {
    await ui.scrollTo('clean_orders');
    // a new edit: nothing kept aside to bring back
    await page.evaluate(async () => (window as unknown as BenchWindow).__batchbook.preview.client.forgetKept());
    refresh.push(await toggleStep());
    cells = await ui.id('run-status').innerText();
    worker.push(Number(/in ([\d,]+) ms/.exec(cells)?.[1]?.replace(/,/g, '') ?? NaN));
    phases.push(JSON.parse((await ui.id('run-status').getAttribute('data-phases')) ?? '{}') as Record<string, number>);
    await ui.waitIdle();
    // and back: the state before this edit, whose results the cache kept aside
    back.push(await toggleStep());
    backCells = await ui.id('run-status').innerText();
    await ui.waitIdle();
    // the two baselines, alternating which runs first
    const runDirect = async () => direct.push(await page.evaluate(async (stages) => (await (window as unknown as BenchWindow).__batchbook.preview.client.bench(stages)).ms, downstream));
    const runHand = async () => hand.push(await page.evaluate(async (q) => (await (window as unknown as BenchWindow).__batchbook.preview.client.benchSql(q)).ms, HAND_SQL));
    if (round % 2 === 0) {
      await runDirect();
      await runHand();
    } else {
      await runHand();
      await runDirect();
    }
  }
  const r = median(refresh);
  const b = median(back);
  const d = median(direct);
  const h = median(hand);
  const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
  const lines = [
    `designer benchmark — Chromium ${await app.context.browser()?.version() ?? ''}, DuckDB-WASM in a worker; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on 2 cores`,
    `  app start → start screen ready ........................ ${ms(startScreen)}`,
    `  preview engine (DuckDB-WASM) instantiated in ............ ${ms(engineStart)}`,
    `  open sample → first cell rendered ...................... ${ms(opened.rendered!)}`,
    `  open sample → first cell previewed ..................... ${ms(opened.previewed!)}  (clicked at once, engine not yet warm; firstCell.benchmark.ts measures the 2.5 s aim)`,
    `  data: ${made.orders.toLocaleString('en-US')} order lines (${ordersIn.toLocaleString('en-US')} read), ${made.settlements.toLocaleString('en-US')} settlements, ${made.refunds.toLocaleString('en-US')} refunds; full files`,
    `  new edit of a cleanse step → last downstream cell refreshed ${ms(r)}  (median of ${ROUNDS}; ${cells.replace(/ in .*/, '')}; all: ${refresh.map(Math.round).join(', ')}) — aim ≤ 500 ms: ${verdict(r <= 500)}`,
    `  edit back to a state seen before (from the cache) ...... ${ms(b)}  (median of ${ROUNDS}; ${backCells.replace(/ in .*/, '')}; all: ${back.map(Math.round).join(', ')}) — aim ≤ 500 ms: ${verdict(b <= 500)}`,
    `    of which the preview worker's run ..................... ${ms(median(worker))}  (${['check', 'sources', 'compile', 'execute'].map((k) => `${k} ${ms(median(phases.map((p) => p[k] ?? 0)))}`).join(', ')})`,
    `  same compiled SQL run directly in DuckDB-WASM .......... ${ms(d)}  (median of ${ROUNDS}; ${downstream.length} cells)`,
    `  ratio (designer / direct) .............................. ${(r / d).toFixed(2)}   aim: < 1.3: ${verdict(r / d < 1.3)}`,
    `  hand-written SQL for the same cells (same connection) .. ${ms(h)}  (median of ${ROUNDS}; ${HAND_SQL.length} statements; counts ${disagree.length ? `DIFFER on ${disagree.join(', ')}` : 'equal to the designer\'s on every cell checked'})`,
    `  ratio (compiled SQL / hand SQL) ........................ ${(d / h).toFixed(2)}   aim: ≤ 1.2: ${verdict(d / h <= 1.2)}`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'designer', orders: made.orders, new_edit_ms: Math.round(r), new_edit_all_ms: refresh.map(Math.round), cached_edit_ms: Math.round(b), worker_run_ms: Math.round(median(worker)), direct_sql_ms: Math.round(d), hand_sql_ms: Math.round(h), compiled_to_hand: Number((d / h).toFixed(3)), hand_counts_equal: disagree.length === 0, hand_counts: handCounts, shown_counts: shownCounts, ratio: Number((r / d).toFixed(3)), edit_aim_met: r <= 500, load: loadavg(), start_screen_ms: Math.round(startScreen), first_cell_rendered_ms: Math.round(opened.rendered!), first_cell_previewed_ms: Math.round(opened.previewed!) })}\n`);
});
