import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '@batchbook/pipeline-core/node';
import { appForTests, SAMPLES, type App } from '../support/app';
import { copyProject, runBatchbook } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';
import { RunsPanel } from '../pages/runsPanel';

/**
 * The Runs panel on the web build: a project folder whose lake holds the two nights of the
 * reconciliation sample, run here with `batchbook run` (day 1 reconciles, day 2 is 3 cents short
 * for M003). The list, the failing night's rule and its failing group must be what the runner's
 * reports say; a sample and a folder without a lake say how runs get there.
 */
const SAMPLE = join(SAMPLES, 'nightly-reconciliation');
const fmt = (n: number) => n.toLocaleString('en-US');

let app: App;
let ui: DesignerPage;
let runs: RunsPanel;
let project: string;
let day1: RunReport;
let day2: RunReport;

const session = appForTests({}, () => rmSync(project, { recursive: true, force: true }));

beforeAll(() => {
  project = copyProject(SAMPLE);
  day1 = runBatchbook(project, '2026-11-24', join(project, 'lake'));
  day2 = runBatchbook(project, '2026-11-25', join(project, 'lake'));
  app = session.app;
  ui = new DesignerPage(app.page);
  runs = new RunsPanel(app.page);
});



describe('the Runs panel', () => {
  it('says how runs get there for a bundled sample', async () => {
    await ui.openSample('nightly-reconciliation');
    await runs.open();
    const empty = await runs.text('runs-empty');
    expect(empty).toContain('save it to a folder first');
    expect(empty).toContain('batchbook run');
    await app.screenshot('40-runs-empty-sample', ui.id('side-runs'));
  });

  it('lists the runs of a project folder’s lake, newest first, as the runner reported them', async () => {
    // what the runner said, independently of the UI
    expect(day1).toMatchObject({ status: 'succeeded', exit_code: 0 });
    expect(day2).toMatchObject({ status: 'failed', exit_code: 3 });
    await app.page.reload();
    app.picker.setFolder(project);
    await ui.id('open-folder').click();
    await ui.id('notebook').waitFor();
    await runs.open();
    expect(await runs.listed()).toEqual([day2.run_id, day1.run_id]);
    for (const r of [day1, day2]) {
      expect(await runs.text(`run-status-${r.run_id}`)).toBe(r.status);
      expect(await runs.text(`run-date-${r.run_id}`)).toBe(String(r.params['run_date']));
      const row = await runs.text(`run-row-${r.run_id}`);
      expect(row).toContain(`${fmt(r.metrics.rows_in)} in · ${fmt(r.metrics.rows_out)} out`);
      if (r.metrics.rows_rejected) expect(row).toContain(`${fmt(r.metrics.rows_rejected)} rejected`);
      const failed = r.rules.filter((x) => x.status === 'fail').length;
      if (failed) expect(await runs.text(`run-failures-${r.run_id}`)).toBe(`${failed} rule${failed === 1 ? '' : 's'} failed`);
    }
    await ui.waitIdle();
    await app.screenshot('41-runs-list');
  });

  it('shows the failing night: its error rule, the merchant group that failed, stage rows and what was written', async () => {
    await runs.openRun(day2.run_id);
    expect(await runs.text('run-detail-status')).toBe('failed');
    expect(await runs.text('run-detail-id')).toBe(day2.run_id);
    const failing = day2.rules.filter((r) => r.status === 'fail');
    const reconcile = failing.find((r) => r.severity === 'error')!;
    expect(reconcile).toMatchObject({ stage: 'reconciliation', rule: 'reconcile' });
    expect(await ui.id('run-failing-rules').locator(':scope > li').count()).toBe(failing.length);
    for (const r of failing) {
      const id = `${r.stage}.${r.name}`;
      expect(await runs.text(`run-rule-failing-${id}`)).toBe(`${fmt(r.failing)} failing`);
      const grid = ui.id(`run-rule-samples-${id}`);
      expect(await grid.locator('[role=row]').count()).toBe(1 + r.samples.length);
    }
    // the failing group: the merchant whose settlements do not add up to what was sold
    const group = reconcile.samples[0]!;
    const samples = await runs.text(`run-rule-samples-${reconcile.stage}.${reconcile.name}`);
    for (const [column, value] of Object.entries(group)) {
      expect(samples).toContain(column);
      expect(samples).toContain(String(value));
    }
    expect(String(group['merchant_id'])).toBe('M003');
    for (const s of day2.stages) {
      const cells = await ui.id(`run-stage-${s.name}`).locator('td').allInnerTexts();
      expect(cells.slice(1, 4), s.name).toEqual([fmt(s.rows_in), fmt(s.rows_out), fmt(s.rejected)]);
    }
    const written = await runs.text('run-outputs');
    for (const r of day2.rejects) expect(written).toContain(r.path);
    expect(day2.published).toBe(false);
    expect(await runs.text('run-detail')).toContain('Outputs not published');
    await app.screenshot('42-run-failed-detail', ui.id('side-runs'));
    await ui.id('toggle-theme').click();
    await app.screenshot('43-run-failed-detail-dark');
    await ui.id('toggle-theme').click();
  });

  it('goes back to the list, and to a stage’s cell from the run', async () => {
    await ui.id(`run-stage-merchant_day`).locator('button').click();
    await expect.poll(() => ui.id('cell-merchant_day').getAttribute('class')).toContain('selected');
    await ui.id('run-back').click();
    expect(await runs.listed()).toEqual([day2.run_id, day1.run_id]);
  });

  it('says there are no runs yet for a folder without a lake', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'bb-nolake-'));
    cpSync(join(SAMPLE, 'data'), join(fresh, 'data'), { recursive: true });
    cpSync(join(SAMPLE, 'pipeline.yaml'), join(fresh, 'pipeline.yaml'));
    app.picker.setFolder(fresh);
    await ui.page.keyboard.press('Control+o');
    await expect.poll(() => runs.text('runs-empty').catch(() => '')).toContain('No runs yet');
    expect(await runs.text('runs-empty')).toContain(`batchbook run ${fresh.split('/').pop()}`);
    rmSync(fresh, { recursive: true, force: true });
  });

  it('never asked anything of the network, and threw nothing', () => {
    expect(app.offsite).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
