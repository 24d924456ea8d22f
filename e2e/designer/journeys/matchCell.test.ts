import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { updateStage, type SpecCommand } from '@batchbook/pipeline-core';
import type { RunReport } from '@batchbook/pipeline-core/node';
import { appForTests, SAMPLES } from '../support/app';
import { axeProblems } from '../support/axe';
import { copyProject, runBatchbook } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';

/**
 * The match cell on the settlement-matching sample: its four outputs previewed in tabs with the
 * counts `batchbook run` gives for the same run date. The designer previews a date on its own (no
 * open items carried in from earlier nights), so the runner runs each date on a fresh lake too.
 * Edits made in the structured editor reach the preview as the same spec edit run by the CLI.
 */
const SAMPLE = join(SAMPLES, 'settlement-matching');
const STAGE = 'settle';
const STAGE_INDEX = 4;
const OUTPUTS = ['matched', 'mismatched', 'unmatched_left', 'unmatched_right'] as const;
type Counts = Record<(typeof OUTPUTS)[number], number>;

const holder = appForTests();
let ui: DesignerPage;
const cli: Record<string, Counts> = {};
const cliOpen: Record<string, { left: string[]; right: string[] }> = {};

function matchReport(report: RunReport) {
  const m = report.matches?.find((x) => x.stage === STAGE);
  if (!m) throw new Error(`the run report has no match '${STAGE}'`);
  return m;
}

function run(name: string, runDate: string, commands: readonly SpecCommand[] = []): void {
  const report = runBatchbook(copyProject(SAMPLE, commands), runDate);
  const m = matchReport(report);
  cli[name] = { matched: m.matched, mismatched: m.mismatched, unmatched_left: m.unmatched_left, unmatched_right: m.unmatched_right };
  const open = m.open_items;
  // an open item's key is "payment_ref | merchant" as the file has it: compared as the match does (trimmed, upper-cased)
  const ref = (key: string) => key.split('|')[0]!.trim().toUpperCase();
  cliOpen[name] = { left: open.filter((o) => o.side === 'left').map((o) => ref(o.key)), right: open.filter((o) => o.side === 'right').map((o) => ref(o.key)) };
}

async function uiCounts(): Promise<Counts> {
  const out = {} as Counts;
  for (const o of OUTPUTS) out[o] = Number((await ui.id(`count-${o}-${STAGE}`).innerText()).replace(/[^\d]/g, ''));
  return out;
}

async function setRunDate(date: string): Promise<void> {
  await ui.id('param-run_date').fill(date);
  await ui.waitIdle();
}

/** The values of one column in a tab's grid (its rows are few: all on screen). */
async function gridColumn(output: string, column: string): Promise<string[]> {
  await ui.id(`tab-${output}-${STAGE}`).click();
  const grid = ui.id(`grid-${STAGE}.${output}`);
  await grid.waitFor();
  const names = await grid.locator('[role=columnheader] .mono').allInnerTexts();
  const k = names.indexOf(column);
  if (k < 0) throw new Error(`no column ${column} in ${names.join(', ')}`);
  return grid.locator('.grid-row').evaluateAll((rows, i) => rows.map((r) => r.querySelectorAll('[role=cell]')[i]?.textContent ?? ''), k);
}

beforeAll(() => {
  run('first night', '2026-11-23');
  run('fourth night', '2026-11-26');
  run('exact amounts', '2026-11-23', [updateStage(STAGE, { tolerance: { absolute: 0 } })]);
  ui = new DesignerPage(holder.app.page);
});

describe('the match cell', () => {
  it('previews the four outputs with the counts batchbook run gives for the run date', async () => {
    const app = holder.app;
    await ui.openSample('settlement-matching');
    await ui.waitIdle();
    const cell = await ui.scrollTo(STAGE);
    await expect.poll(uiCounts, { timeout: 20_000 }).toEqual(cli['first night']);
    // the only same-day pair of the first night: ORD-1123-04, settled 0.01 short (within the tolerance)
    expect(await gridColumn('matched', 'payment_ref')).toEqual(['ORD-1123-04']);
    expect(await gridColumn('unmatched_left', 'payment_ref')).toEqual(expect.arrayContaining(cliOpen['first night']!.left));
    await expect.poll(() => ui.id(`match-note-${STAGE}`).innerText()).toContain('without carried open items');
    for (const theme of ['light', 'dark'] as const) {
      if ((await app.page.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await ui.id('toggle-theme').click();
      await app.page.waitForFunction(() => !document.documentElement.classList.contains('theme-switching'));
      await ui.id(`tab-matched-${STAGE}`).click();
      await app.screenshot(`match-cell-${theme}`, cell);
      expect(await axeProblems(app.page, `[data-testid="cell-${STAGE}"]`, theme === 'dark')).toEqual([]);
    }
    await setRunDate('2026-11-26');
    await expect.poll(uiCounts, { timeout: 20_000 }).toEqual(cli['fourth night']);
    expect(new Set(await gridColumn('unmatched_right', 'reference')).size).toBe(cli['fourth night']!.unmatched_right);
  });

  it('applies an edit made in the structured editor, as the CLI does the same spec edit, and undoes it', async () => {
    await setRunDate('2026-11-23');
    await ui.scrollTo(STAGE);
    await ui.id(`match-tol-abs-${STAGE}`).fill('0');
    await ui.page.keyboard.press('Escape');
    await ui.waitIdle();
    expect(cli['exact amounts']).not.toEqual(cli['first night']);
    await expect.poll(uiCounts, { timeout: 20_000 }).toEqual(cli['exact amounts']);
    expect(await gridColumn('mismatched', 'amount_diff')).toEqual(['-0.01']);
    await ui.undo();
    await ui.waitIdle();
    await expect.poll(uiCounts, { timeout: 20_000 }).toEqual(cli['first night']);
  });

  it('shows a wrong column beside its field', async () => {
    await ui.scrollTo(STAGE);
    await ui.id(`match-amount-right-${STAGE}`).selectOption('reference');
    const problem = ui.id(`problem-stages.${STAGE_INDEX}.amount`);
    await expect.poll(() => problem.innerText()).toContain("the amount 'reference' is string, not a number");
    await expect.poll(() => ui.id(`preview-${STAGE}`).innerText()).toContain('Fix the problem above');
    const flagged = (testId: string) => ui.id(testId).evaluate((el) => el.closest('.match-flag')?.classList.contains('has-problem') ?? false);
    expect([await flagged(`match-amount-right-${STAGE}`), await flagged(`match-amount-left-${STAGE}`)]).toEqual([true, false]);
    await ui.page.keyboard.press('Escape');
    await ui.undo();
    await expect.poll(() => problem.count()).toBe(0);
    await ui.waitIdle();
  });

  it('samples both sides of a match together: a sampled item is never left open when its pair was matched', async () => {
    await setRunDate('2026-11-26');
    await ui.id('sample-size').fill('3');
    await ui.id('sample-seed').fill('4'); // a seed that keeps some of each file and drops the rest
    await ui.id('sample-seed').press('Enter');
    const rows = async (stage: string) => (await ui.counts(stage)).rows;
    await expect.poll(() => rows('raw_settlements'), { timeout: 20_000 }).toBeLessThan(7);
    await ui.waitIdle();
    const orders = await rows('raw_orders');
    expect(orders).toBeLessThan(5);
    // every sampled order is matched or open (nothing is mismatched that night)
    await expect.poll(async () => ((c) => c.matched + c.unmatched_left)(await uiCounts()), { timeout: 20_000 }).toBe(orders);
    const sampled = await uiCounts();
    expect(sampled.matched).toBeGreaterThan(0);
    // without key-consistent sampling an order kept without its settlement would show here as open
    const open = cliOpen['fourth night']!;
    const norm = (v: string) => v.trim().toUpperCase();
    expect((await gridColumn('unmatched_left', 'payment_ref')).map(norm).filter((r) => !open.left.includes(r))).toEqual([]);
    expect((await gridColumn('unmatched_right', 'reference')).map(norm).filter((r) => !open.right.includes(r))).toEqual([]);
  });

  it('builds a match cell over the cleansed raw files with the editor alone, and previews what batchbook run gives', async () => {
    await ui.id('sample-mode-full').click();
    await ui.waitIdle();
    await ui.id('add-cell-button-5').click();
    await ui.id('add-match-5').click();
    const name = 'matched'; // a new match cell's name
    await ui.scrollTo(name);
    const field = (what: string) => ui.id(`match-${what}-${name}`);
    // a new match cell reads the two cells above it, never a later one
    expect([await field('left').inputValue(), await field('right').inputValue()]).toEqual(['clean_settlements', STAGE]);
    await field('left').selectOption('clean_orders');
    await field('right').selectOption('clean_settlements');
    await ui.id(`match-key-left-${name}-0`).selectOption('payment_ref');
    await ui.id(`match-key-right-${name}-0`).selectOption('reference');
    await ui.id(`match-key-trim-${name}-0`).check();
    await ui.id(`match-key-upper-${name}-0`).check();
    await ui.id(`match-key-add-${name}`).click();
    await ui.id(`match-key-left-${name}-1`).selectOption('merchant_id');
    await ui.id(`match-key-right-${name}-1`).selectOption('merchant');
    await ui.id(`match-key-upper-${name}-1`).check();
    await field('amount-left').selectOption('amount');
    await field('tol-abs').fill('0.01');
    await field('date-left').selectOption('order_date');
    await field('date-right').selectOption('settled_on');
    await field('within-days').fill('3');
    await field('cardinality').selectOption('one_to_many');
    await ui.page.keyboard.press('Escape');
    await ui.waitIdle();
    expect(await ui.status(name)).toBe('fresh');
    // the sample's own settle stage is this configuration: batchbook run's counts for it that night
    const counts = async () => {
      const out = {} as Counts;
      for (const o of OUTPUTS) out[o] = Number((await ui.id(`count-${o}-${name}`).innerText()).replace(/[^\d]/g, ''));
      return out;
    };
    await expect.poll(counts, { timeout: 20_000 }).toEqual(cli['fourth night']);
    await holder.app.screenshot('match-cell-built', ui.id(`cell-${name}`));
  });

  it('is edited from the keyboard: Enter goes into the editor, Escape back to the cell, arrows move between the output tabs', async () => {
    const focused = () => ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    await ui.id(`cell-${STAGE}`).focus();
    await ui.page.keyboard.press('Enter');
    await expect.poll(focused).toBe(`match-left-${STAGE}`);
    await ui.page.keyboard.press('Escape');
    await expect.poll(focused).toBe(`cell-${STAGE}`);
    await ui.id(`tab-matched-${STAGE}`).focus();
    await ui.page.keyboard.press('ArrowRight');
    await expect.poll(() => ui.id(`tab-mismatched-${STAGE}`).getAttribute('aria-selected')).toBe('true');
    await ui.page.keyboard.press('End');
    await expect.poll(focused).toBe(`tab-unmatched_right-${STAGE}`);
  });
});
