import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReport, readRunHistory } from '@batchbook/pipeline-core/node';
import { appForTests, SAMPLES, type App } from '../support/app';
import { copyProject } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';
import { RunsPanel } from '../pages/runsPanel';

/**
 * Running the pipeline from the desktop app: the renderer's desktop adapter talking to Electron's
 * own main-process code (IPC handlers, RunManager, the runner child in its own process; see
 * support/desktopHarness.ts). The Runs panel follows the run stage by stage, shows how it ended,
 * and lists the new run — the one the runner wrote to the project's lake. Cancel stops a run
 * before it publishes anything.
 */
const SAMPLE = join(SAMPLES, 'nightly-reconciliation');
let app: App;
let ui: DesignerPage;
let runs: RunsPanel;
let project: string;

// process.kill(pid, 0) only asks whether the process exists
const alive = (pid: number): boolean => { try { return process.kill(pid, 0); } catch { return false; } };

const session = appForTests({ desktop: true }, () => rmSync(project, { recursive: true, force: true }));

beforeAll(() => {
  project = copyProject(SAMPLE);
  app = session.app;
  ui = new DesignerPage(app.page);
  runs = new RunsPanel(app.page);
});



describe('a pipeline run from the desktop app', () => {
  it('opens a folder through the main process; no runs yet', async () => {
    app.desktop!.setFolder(project);
    await ui.id('open-folder').click();
    await ui.id('notebook').waitFor();
    await ui.id('param-run_date').fill('2026-11-25');
    await runs.open();
    expect(await runs.text('runs-empty')).toContain('No runs yet');
  });

  it('follows the run stage by stage, says how it ended, and lists it from the lake', async () => {
    // every stage the panel shows while the run is going
    await app.page.evaluate(() => {
      const seen = new Set<string>();
      (window as unknown as { __stagesSeen: Set<string> }).__stagesSeen = seen;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[data-testid^="run-active-stage-"]')) seen.add(el.getAttribute('data-testid')!.slice('run-active-stage-'.length));
      }).observe(document.body, { subtree: true, childList: true });
    });
    await ui.id('run-pipeline').click();
    await ui.id('run-active').waitFor();
    await app.screenshot('45-desktop-run-progress', ui.id('side-runs')); // the run as far as it got (it is quick)
    await ui.id('run-finished').waitFor({ timeout: 60_000 });

    // what the runner wrote, read with its own readers
    const history = await readRunHistory(join(project, 'lake'));
    expect(history).toHaveLength(1);
    const report = (await readReport(join(project, 'lake'), history[0]!.run_id))!;
    expect(report).toMatchObject({ status: 'failed', exit_code: 3, params: { run_date: '2026-11-25' } });

    const seen = await app.page.evaluate(() => [...(window as unknown as { __stagesSeen: Set<string> }).__stagesSeen]);
    expect(seen.sort()).toEqual(report.stages.map((s) => s.name).sort());
    expect(await runs.text('run-finished')).toContain(`The run failed (exit 3)`);
    // the new run is in the list, and its details are open
    await expect.poll(() => runs.text('run-detail-id').catch(() => '')).toBe(report.run_id);
    expect(await runs.text('run-detail-status')).toBe('failed');
    const failing = report.rules.filter((r) => r.status === 'fail' && r.severity === 'error')[0]!;
    expect(await runs.text(`run-rule-failing-${failing.stage}.${failing.name}`)).toBe(`${failing.failing} failing`);
    await app.screenshot('44-desktop-run-finished');
    await ui.id('run-back').click();
    expect(await runs.listed()).toEqual([report.run_id]);
    // the runner's process ended with its run
    await expect.poll(() => app.desktop!.runnerPids.filter(alive)).toEqual([]);
  });

  it('cancels a run before it publishes anything', async () => {
    // hold the run after landing, so the cancel reaches it while it works, however fast the machine
    app.desktop!.runnerEnv['BATCHBOOK_FAILPOINT'] = 'hold-after-landing';
    await ui.id('param-run_date').fill('2026-11-24');
    await ui.id('run-pipeline').click();
    await ui.id('run-cancel').click();
    await ui.id('run-finished').waitFor();
    expect(await runs.text('run-finished')).toContain('cancelled');
    await expect.poll(() => app.desktop!.runnerPids.filter(alive)).toEqual([]);
    // no second report and nothing published for that date
    const finished = (await readRunHistory(join(project, 'lake'))).filter((e) => e.status !== 'incomplete');
    expect(finished).toHaveLength(1);
    expect(existsSync(join(project, 'lake', 'rejects', '2026-11-24'))).toBe(false);
    expect(readdirSync(join(project, 'lake', 'runs')).filter((d) => existsSync(join(project, 'lake', 'runs', d, 'report.json')))).toHaveLength(1);
  });

  it('threw nothing and asked nothing of the network', () => {
    expect(app.offsite).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
