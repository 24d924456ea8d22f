import { loadavg } from 'node:os';
import { afterAll, it } from 'vitest';
import { startApp, type App } from '../support/app';
import { DesignerPage } from '../pages/designerPage';

/**
 * Opening the reconciliation sample → its first cell's rows, in Chromium with the production
 * build (`npm run bench -w @batchbook/e2e`). Each round reloads the page, waits for the start
 * screen and the preview engine to start and run its warm-up pipeline (warmUp.ts: what a user
 * sitting on the start screen for a few seconds gets), clicks
 * the sample and waits for raw_orders' grid to show rows and its row count. Also printed: when
 * the last cell is fresh, and where the worker's first run spent its time. Printed, not asserted
 * (2 shared cores vary 2–10×; the load average is printed beside them). Aim: ≤ 2.5 s.
 */
const ROUNDS = Number(process.env['BATCHBOOK_BENCH_ROUNDS'] ?? 5);
const AIM_MS = 2500;

let app: App | undefined;
afterAll(async () => app?.close());

const ms = (x: number) => `${Math.round(x).toLocaleString('en-US')} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Clicks the sample and resolves when the first cell shows rows, then when no cell is stale or running. */
const OPEN_SCRIPT = `new Promise((resolve) => {
  const t0 = performance.now();
  let first;
  const check = () => {
    const rows = document.querySelector('[data-testid="rows-raw_orders"]')?.textContent ?? '';
    const grid = document.querySelector('[data-testid="grid-raw_orders"] .grid-row');
    if (first === undefined && /^\\d/.test(rows.trim()) && grid) first = performance.now() - t0;
    const bar = document.querySelector('[data-testid="statusbar"]');
    const statuses = [...document.querySelectorAll('[data-cell] .cell-header .status')].map((e) => e.className);
    if (first !== undefined && bar && bar.getAttribute('data-busy') === 'false' && statuses.length > 0 && !statuses.some((c) => /status-(stale|running)/.test(c))) return resolve({ first, all: performance.now() - t0 });
    requestAnimationFrame(check);
  };
  document.querySelector('[data-testid="sample-nightly-reconciliation"]').click();
  check();
})`;

it('first cell benchmark', async () => {
  app = await startApp();
  const ui = new DesignerPage(app.page);
  const first: number[] = [];
  const all: number[] = [];
  const phases: Record<string, number>[] = [];
  let engine = 0;
  let warmed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) await app.page.reload();
    await ui.id('start-screen').waitFor();
    // the user on the start screen: the engine starts, then runs its warm-up pipeline
    engine = await app.page.evaluate(() => (window as unknown as { __batchbook: { preview: { client: { ready: Promise<unknown> } } } }).__batchbook.preview.client.ready.then(() => performance.now()));
    warmed = await app.page.evaluate(() => (window as unknown as { __batchbook: { preview: { client: { warmed: Promise<unknown> } } } }).__batchbook.preview.client.warmed.then(() => performance.now()));
    const t = (await app.page.evaluate(OPEN_SCRIPT)) as { first: number; all: number };
    first.push(t.first);
    all.push(t.all);
    await ui.waitIdle();
    phases.push(JSON.parse((await ui.id('run-status').getAttribute('data-phases')) ?? '{}') as Record<string, number>);
  }
  const f = median(first);
  const lines = [
    `first cell benchmark — Chromium ${(await app.context.browser()?.version()) ?? ''}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on 2 cores`,
    `  preview engine ready / warmed up (page time, last round) ${ms(engine)} / ${ms(warmed)}`,
    `  open reconciliation sample → first cell's rows ......... ${ms(f)}  (median of ${ROUNDS}; all: ${first.map(Math.round).join(', ')}) — aim ≤ ${ms(AIM_MS)}: ${f <= AIM_MS ? 'MET' : 'MISSED'}`,
    `  open reconciliation sample → every cell fresh .......... ${ms(median(all))}  (all: ${all.map(Math.round).join(', ')})`,
    `    the worker's run of the last of them ................. ${Object.entries(phases[phases.length - 1] ?? {}).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'first-cell', first_cell_ms: Math.round(f), first_cell_all: first.map(Math.round), all_fresh_ms: Math.round(median(all)), aim_ms: AIM_MS, met: f <= AIM_MS, engine_ready_ms: Math.round(engine), engine_warmed_ms: Math.round(warmed), load: loadavg() })}\n`);
});
