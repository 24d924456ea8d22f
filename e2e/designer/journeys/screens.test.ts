import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyCommands, loadSpec, moveRule, renameSource, saveSpec, type SpecInput } from '@batchbook/pipeline-core';
import { appForTests, SAMPLES, type App } from '../support/app';
import { copyProject, runBatchbook } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';
import { RunsPanel } from '../pages/runsPanel';

/**
 * The start screen on a fresh checkout (ml-history's generated data not there yet), the structured
 * edits added late (reordering rules, renaming a source), and a tour of every main screen in
 * both themes at 1440×900 and 1280×800, kept as artifacts (s-<size>-<theme>-<screen>.png) for a
 * person to look at.
 */
const SAMPLE = join(SAMPLES, 'nightly-reconciliation');
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
] as const;
const THEMES = ['light', 'dark'] as const;

let app: App;
let ui: DesignerPage;
let runs: RunsPanel;
let project: string;
let failedRun: string;

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  if ((await app.page.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await ui.id('toggle-theme').click();
}

async function eachLook(shoot: (tag: string) => Promise<void>): Promise<void> {
  for (const size of SIZES) {
    await app.page.setViewportSize(size);
    for (const theme of THEMES) {
      await setTheme(theme);
      await shoot(`s-${size.width}x${size.height}-${theme}`);
    }
  }
  await app.page.setViewportSize(SIZES[0]);
  await setTheme('light');
}

const session = appForTests({}, () => rmSync(project, { recursive: true, force: true }));

beforeAll(() => {
  project = copyProject(SAMPLE);
  runBatchbook(project, '2026-11-24', join(project, 'lake'));
  failedRun = runBatchbook(project, '2026-11-25', join(project, 'lake')).run_id;
  app = session.app;
  ui = new DesignerPage(app.page);
  runs = new RunsPanel(app.page);
});



describe('the start screen on a fresh checkout', () => {
  it('says a generated sample has no data yet and how to make it, instead of opening it', async () => {
    // as served from a checkout where samples/ml-history/data/ was never generated (it is gitignored)
    await app.page.route('**/samples/index.json', async (route) => {
      const entries = (await (await route.fetch()).json()) as { id: string; files: string[]; generate?: string }[];
      await route.fulfill({ json: entries.map((e) => (e.id === 'ml-history' ? { ...e, files: [], generate: 'npm run samples:generate -- --sample ml-history' } : e)) });
    });
    await app.page.reload();
    await ui.id('sample-ml-history').waitFor();
    expect(await ui.id('sample-ml-history').locator('.sample-title').innerText()).toContain('ML History');
    expect(await ui.id('sample-generate-ml-history').innerText()).toContain('npm run samples:generate -- --sample ml-history');
    await ui.id('sample-ml-history').click();
    expect(await ui.id('notebook').count()).toBe(0);
    expect(await ui.id('toast-error').count()).toBe(0);
    await eachLook((tag) => app.screenshot(`${tag}-start`));
    await app.page.unroute('**/samples/index.json');
  });
});

describe('structured edits', () => {
  it('reorders a validate cell’s rules and renames a source, and saves both', async () => {
    app.picker.setFolder(project);
    await ui.id('open-folder').click();
    await ui.waitIdle();
    const original = readFileSync(join(project, 'pipeline.yaml'), 'utf8');
    const before = await ui.counts('raw_orders');

    await ui.scrollTo('checked_orders');
    const kinds = () => ui.id('rules-checked_orders').locator('[data-testid$="-kind"]').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    expect(await kinds()).toEqual(['unique', 'accepted_values', 'regex', 'range', 'conservation']);
    await ui.id('rule-checked_orders-0-down').click();
    expect(await kinds()).toEqual(['accepted_values', 'unique', 'regex', 'range', 'conservation']);
    expect(await ui.id('rule-checked_orders-0-up').isDisabled()).toBe(true);

    await ui.id('sources').scrollIntoViewIfNeeded();
    await ui.id('source-chip-pos_orders').click();
    await ui.id('source-name-pos_orders').fill('pos');
    await ui.id('source-name-pos_orders').press('Enter');
    await ui.id('source-chip-pos').waitFor();
    expect(await ui.id('source-name-pos').inputValue()).toBe('pos'); // its editor stays open under the new name
    await ui.waitIdle();
    expect(await ui.status('raw_orders')).toBe('fresh');
    expect(await ui.counts('raw_orders')).toEqual(before);

    await ui.save();
    const expected = applyCommands(loadSpec(original).input as SpecInput, [moveRule('checked_orders', 0, 1), renameSource('pos_orders', 'pos')]);
    expect(readFileSync(join(project, 'pipeline.yaml'), 'utf8')).toBe(saveSpec(original, expected));
  });
});

describe('every main screen, light and dark, at two sizes', () => {
  it('the notebook with its graph, a validate cell, the run history and a failed run, the cost estimate', async () => {
    // the cost panel first says what it needs; given each source's daily volume it prices the pipeline
    await ui.id('toggle-cost').click();
    await ui.id('cost-error').waitFor();
    await app.screenshot('s-cost-nothing-to-price', ui.id('side-cost'));
    for (const [source, gb] of [['pos', '4'], ['settlements', '2'], ['refunds', '0.2']] as const) await ui.id(`cost-input-daily_gb.${source}`).fill(gb);
    await ui.id('cost-headline').waitFor();
    expect(await ui.isDirty()).toBe(true); // the scenario is part of the spec (setCost)
    await eachLook(async (tag) => {
      if ((await ui.id('side-dag').count()) === 0) await ui.id('toggle-dag').click();
      await ui.page.locator('[data-testid="notebook"]').evaluate((e) => e.scrollTo(0, 0));
      await app.screenshot(`${tag}-notebook`);
      await (await ui.scrollTo('reconciliation')).locator('.cell-editor').scrollIntoViewIfNeeded();
      await app.screenshot(`${tag}-validate`);
      await runs.open();
      if ((await ui.id('run-detail').count()) > 0) await ui.id('run-back').click();
      await ui.id('runs-list').waitFor();
      await app.screenshot(`${tag}-runs`);
      await runs.openRun(failedRun);
      await app.screenshot(`${tag}-run-detail`);
      await ui.id('toggle-cost').click();
      await ui.page.locator('.cost-panel').waitFor();
      await ui.id('side-cost').evaluate((e) => e.scrollTo(0, 0));
      await app.screenshot(`${tag}-cost`);
    });
  });

  it('threw nothing and asked nothing of the network', () => {
    expect(app.offsite).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
