import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addRule, applyCommands, loadSpec, saveSpec, toggleStep, type SpecInput } from '@batchbook/pipeline-core';
import type { RunReport } from '@batchbook/pipeline-core/node';
import { SAMPLES, startApp, type App } from '../support/app';
import { filesUnder } from '../support/fakeDirectoryPicker';
import { copyProject, runBatchbook } from '../support/runner';
import { DesignerPage } from '../pages/designerPage';

/**
 * The whole journey on the nightly-reconciliation sample, in Chromium, offline: open it, every
 * cell previews with the counts `batchbook run` reports; switch off a cleanse step and watch the
 * cells below refresh to the counts the runner gives for that edit; add a failing unique rule
 * and see its failing rows; undo; save; reload; the file on disk is the original plus the edit,
 * comments and all.
 */
const SAMPLE = join(SAMPLES, 'nightly-reconciliation');
const RUN_DATE = '2026-11-24';
const DEDUPE = 7; // clean_orders' dedupe step (0-based), which keeps the latest re-export of an order
const originalText = readFileSync(join(SAMPLE, 'pipeline.yaml'), 'utf8');
const original = loadSpec(originalText).input as SpecInput;
const editCommands = [toggleStep('clean_orders', DEDUPE)];
const RULE = { name: 'merchant_once', rule: 'unique' as const, columns: ['merchant_id'], severity: 'warn' as const, action: 'warn' as const };

let app: App;
let ui: DesignerPage;
let before: RunReport;
let afterEdit: RunReport;
let withRule: RunReport;
const saveDir = copyProject(SAMPLE); // a folder for "save as" (its pipeline.yaml is overwritten)

function expectCounts(report: RunReport, actual: Map<string, { rows: number; rejected: number }>) {
  const expected = new Map(report.stages.map((s) => [s.name, { rows: s.rows_out, rejected: s.rejected }]));
  expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
}

async function uiCounts(names: readonly string[]) {
  return new Map(await Promise.all(names.map(async (n) => [n, await ui.counts(n)] as const)));
}

beforeAll(async () => {
  before = runBatchbook(copyProject(SAMPLE), RUN_DATE);
  afterEdit = runBatchbook(copyProject(SAMPLE, editCommands), RUN_DATE);
  withRule = runBatchbook(copyProject(SAMPLE, [...editCommands, addRule('checked_settlements', RULE)]), RUN_DATE);
  app = await startApp();
  ui = new DesignerPage(app.page);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await app?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

afterAll(async () => {
  await app?.close();
});

describe('the reconciliation journey', () => {
  it('opens the sample from the start screen and previews every cell with the runner’s counts', async () => {
    await ui.id('start-screen').waitFor();
    await app.screenshot('01-start');
    await ui.openSample('nightly-reconciliation');
    await ui.waitIdle();
    expect(await ui.cellNames()).toEqual(original.stages.map((s) => s.name));
    expect(before.stages.map((s) => s.name)).toEqual(original.stages.map((s) => s.name));
    expectCounts(before, await uiCounts(before.stages.map((s) => s.name)));
    for (const s of before.stages) expect(await ui.status(s.name)).toBe('fresh');
    await app.screenshot('02-notebook');
  });

  it('shows a cell’s rejects with their reasons, and a profile of its columns', async () => {
    const cell = await ui.scrollTo('clean_orders');
    await ui.id('tab-rejects-clean_orders').click();
    const rejects = ui.id('rejects-clean_orders');
    await rejects.waitFor();
    const text = await rejects.innerText();
    expect(text).toContain('reject_reason');
    expect(await rejects.locator('[role=row]').count()).toBe(1 + before.stages.find((s) => s.name === 'clean_orders')!.rejected);
    await app.screenshot('03-rejects', ui.id('preview-clean_orders'));
    await app.screenshot('03-cleanse-editor', cell.locator('.cell-editor'));
    await ui.id('tab-profile-clean_orders').click();
    await ui.id('profile-clean_orders').waitFor();
    expect(await ui.id('profile-clean_orders').innerText()).toContain('amount');
    await app.screenshot('04-profile', ui.id('preview-clean_orders'));
    await ui.id('tab-rows-clean_orders').click();
  });

  it('switching off a cleanse step re-runs that cell and those below it, to the runner’s new counts', async () => {
    await ui.recordStatuses();
    await ui.toggleStep('clean_orders', DEDUPE);
    await ui.waitIdle();
    expect(await ui.isDirty()).toBe(true);
    expectCounts(afterEdit, await uiCounts(afterEdit.stages.map((s) => s.name)));
    // the cells that read clean_orders went stale and refreshed; the ingest cells above did not move
    const seen = await ui.statusesSeen();
    for (const downstream of ['clean_orders', 'paid_orders', 'checked_orders', 'order_settlement', 'merchant_day']) {
      expect([...(seen.get(downstream) ?? [])].some((s) => s === 'stale' || s === 'running'), downstream).toBe(true);
    }
    for (const upstream of ['raw_orders', 'raw_settlements', 'raw_refunds', 'clean_settlements']) expect([...(seen.get(upstream) ?? [])], upstream).toEqual(['fresh']);
    const changed = afterEdit.stages.filter((s) => s.rows_out !== before.stages.find((b) => b.name === s.name)!.rows_out);
    expect(changed.length).toBeGreaterThan(0);
  });

  it('a unique rule that fails shows its failing rows', async () => {
    const index = await ui.addRule('checked_settlements', 'unique');
    await ui.setRuleColumns('checked_settlements', index, ['merchant_id']);
    await ui.id(`rule-checked_settlements-${index}-name`).fill(RULE.name);
    await ui.id(`rule-checked_settlements-${index}-severity`).selectOption('warn');
    await ui.id(`rule-checked_settlements-${index}-action`).selectOption('warn');
    await ui.waitIdle();
    const expected = withRule.rules.find((r) => r.name === RULE.name)!;
    expect(expected.status).toBe('fail');
    const result = await ui.ruleResult('checked_settlements', RULE.name);
    await expect.poll(() => result.innerText()).toContain('fail');
    expect(await ui.id(`rule-failing-${RULE.name}`).innerText()).toBe(`${expected.failing.toLocaleString('en-US')} failing`);
    await result.locator('.rule-line').click();
    const samples = ui.id(`rule-samples-${RULE.name}`);
    await samples.waitFor();
    expect(await samples.innerText()).toContain('merchant_id');
    expect(await samples.locator('[role=row]').count()).toBe(1 + expected.samples.length);
    await app.screenshot('05-failing-rule', (await ui.scrollTo('checked_settlements')).locator('.cell-editor'));
    await app.screenshot('05-failing-rule-rows', ui.id('preview-checked_settlements'));
  });

  it('undo takes the rule back out, step by step, and keeps the earlier edit', async () => {
    // add rule, remove its first column, add merchant_id, name it, severity, action: six commands
    await ui.undo(6);
    const rules = (original.stages.find((s) => s.name === 'checked_settlements') as { rules: unknown[] }).rules.length;
    await expect.poll(() => ui.id('rules-checked_settlements').locator(':scope > li').count()).toBe(rules);
    expect(await ui.id(`step-toggle-clean_orders-${DEDUPE}`).isChecked()).toBe(false);
    await ui.waitIdle();
    expectCounts(afterEdit, await uiCounts(afterEdit.stages.map((s) => s.name)));
  });

  it('saves to a folder, keeping the file’s comments, and reopens it after a reload', async () => {
    app.picker.setFolder(saveDir);
    await ui.save();
    expect(await ui.isDirty()).toBe(false);
    const onDisk = readFileSync(join(saveDir, 'pipeline.yaml'), 'utf8');
    expect(onDisk).toBe(saveSpec(originalText, applyCommands(original, editCommands)));
    expect(onDisk).toContain('# POS re-exports an order when it changes: keep the latest version');
    expect(loadSpec(onDisk).input).toEqual(applyCommands(original, editCommands));
    expect(filesUnder(join(saveDir, 'data'))).toEqual(filesUnder(join(SAMPLE, 'data')));

    await app.page.reload();
    await ui.id('start-screen').waitFor();
    await ui.id('open-folder').click();
    await ui.id('notebook').waitFor();
    await ui.waitIdle();
    expect(await ui.id(`step-toggle-clean_orders-${DEDUPE}`).isChecked()).toBe(false);
    expectCounts(afterEdit, await uiCounts(afterEdit.stages.map((s) => s.name)));
    expect(await ui.isDirty()).toBe(false);
    expect(readFileSync(join(saveDir, 'pipeline.yaml'), 'utf8')).toBe(onDisk);
  });

  it('never asked anything of the network, and threw nothing', () => {
    expect(app.offsite).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
