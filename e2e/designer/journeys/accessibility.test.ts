import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appForTests, SAMPLES, type App } from '../support/app';
import { axeProblems, type AxeProblem } from '../support/axe';
import { copyProject, runBatchbook } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';
import { RunsPanel } from '../pages/runsPanel';

/**
 * WCAG 2.1 AA on every main screen, in both themes: axe-core (the engine browsers' own
 * accessibility tools use) finds no critical and no serious problem on the start screen, the
 * notebook with its graph, the run history and one run, the cost estimate, the command palette
 * and the export dialog. Screenshots a11y-<theme>-<screen>.png are kept for a person to look at.
 */
const THEMES = ['light', 'dark'] as const;
let project: string;
let failedRun: string;
let app: App;
let ui: DesignerPage;
let runs: RunsPanel;
const session = appForTests({}, () => rmSync(project, { recursive: true, force: true }));

beforeAll(() => {
  project = copyProject(join(SAMPLES, 'nightly-reconciliation'));
  failedRun = runBatchbook(project, '2026-11-25', join(project, 'lake')).run_id;
  app = session.app;
  ui = new DesignerPage(app.page);
  runs = new RunsPanel(app.page);
});

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  // the top bar's button, clicked from script: a dialog open over it stays open
  if ((await app.page.evaluate(() => document.documentElement.dataset['theme'])) !== theme) await ui.id('toggle-theme').evaluate((b) => (b as HTMLButtonElement).click());
  await app.page.waitForFunction(() => !document.documentElement.classList.contains('theme-switching'));
}

/** Checks the screen as it is now in both themes; returns the problems, tagged with screen and theme. */
async function checkScreen(screen: string, within?: string): Promise<(AxeProblem & { where: string })[]> {
  const found: (AxeProblem & { where: string })[] = [];
  for (const theme of THEMES) {
    await setTheme(theme);
    await app.screenshot(`a11y-${theme}-${screen}`);
    // the second theme changes only colours: its colour rules are all that can come out differently
    found.push(...(await axeProblems(app.page, within, theme !== THEMES[0])).map((p) => ({ where: `${screen} (${theme})`, ...p })));
  }
  return found;
}

describe('WCAG 2.1 AA (axe-core): no critical or serious problem', () => {
  it('on the start screen', async () => {
    await ui.id('sample-nightly-reconciliation').waitFor();
    expect(await checkScreen('start')).toEqual([]);
  });

  it('on the notebook with its graph (every cell, field and grid)', async () => {
    app.picker.setFolder(project);
    await ui.id('open-folder').click();
    await ui.waitIdle();
    if ((await ui.id('side-dag').count()) === 0) await ui.id('toggle-dag').click();
    await ui.id('dag').waitFor();
    expect(await checkScreen('notebook')).toEqual([]);
  }, 600_000);

  it('on the run history and a failed run', async () => {
    await runs.open();
    await ui.id('runs-list').waitFor();
    const list = await checkScreen('runs', '[data-testid="side-runs"]');
    await runs.openRun(failedRun);
    expect([...list, ...(await checkScreen('run-detail', '[data-testid="side-runs"]'))]).toEqual([]);
  }, 300_000);

  it('on the cost estimate', async () => {
    await ui.id('toggle-cost').click();
    await app.page.locator('.cost-panel').waitFor();
    for (const [source, gb] of [['pos_orders', '4'], ['settlements', '2'], ['refunds', '0.2']] as const) {
      const field = ui.id(`cost-input-daily_gb.${source}`);
      if (await field.count()) await field.fill(gb);
    }
    await ui.id('cost-headline').waitFor();
    expect(await checkScreen('cost', '[data-testid="side-cost"]')).toEqual([]);
  }, 300_000);

  it('on the command palette and the export dialog', async () => {
    await ui.id('open-palette').click();
    await ui.id('palette-input').waitFor();
    const palette = await checkScreen('palette', '[data-testid="command-palette"]');
    await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('Control+Shift+E');
    await ui.id('export-dialog').waitFor();
    const dialog = await checkScreen('export', '[data-testid="export-dialog"]');
    await app.page.keyboard.press('Escape');
    expect([...palette, ...dialog]).toEqual([]);
  }, 300_000);

  it('threw nothing and asked nothing of the network', () => {
    expect(app.offsite).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
