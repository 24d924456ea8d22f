import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../support/app';
import { DesignerPage } from '../pages/designerPage';

/**
 * Monaco where expressions are typed: completion of the cell's input columns and of the
 * expression functions, squiggles from pipeline-core's type checker (with the message beside the
 * field), hover with a column's type, undo through the app's history; plus the command palette,
 * keyboard shortcuts, the dark theme and crash recovery.
 */
let app: App;
let ui: DesignerPage;
const FIELD = 'paid_orders-0-expr';

beforeAll(async () => {
  app = await startApp();
  ui = new DesignerPage(app.page);
  await ui.openSample('nightly-reconciliation');
  await ui.waitIdle();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await app?.screenshot(`failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await app?.close();
});

/** The text Monaco shows (it draws spaces as no-break spaces). */
async function editorText(): Promise<string> {
  return (await ui.id(FIELD).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

async function suggestions(): Promise<string[]> {
  const rows = app.page.locator('.suggest-widget .monaco-list-row');
  await rows.first().waitFor();
  return rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

describe('the expression editor', () => {
  it('completes the input’s columns and the expression functions', async () => {
    await ui.scrollTo('paid_orders');
    const editor = ui.id(FIELD).locator('.monaco-editor');
    await editor.waitFor();
    await editor.click();
    await app.page.keyboard.press('End');
    await app.page.keyboard.type(' AND amo');
    const items = await suggestions();
    expect(items.filter((l) => l.startsWith('amount'))).toHaveLength(1); // one provider per field: no duplicates
    await app.screenshot('20-completion');
    await app.page.keyboard.press('Enter');
    await app.page.keyboard.type(' > 0 AND upp');
    expect((await suggestions()).some((l) => l.startsWith('upper'))).toBe(true);
    await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('Backspace');
    await app.page.keyboard.press('Backspace');
    await app.page.keyboard.press('Backspace');
    await app.page.keyboard.type("status <> 'X'");
    await ui.waitIdle();
    await expect.poll(() => editorText()).toBe("status = 'PAID' AND amount > 0 AND status <> 'X'");
    expect(await ui.status('paid_orders')).toBe('fresh');
  });

  it('squiggles a type error, says why beside the field once it is left, and the cell waits for a fix', async () => {
    const editor = ui.id(FIELD).locator('.monaco-editor');
    await editor.click();
    await app.page.keyboard.press('End');
    await app.page.keyboard.type(" AND amount > 'x'");
    await ui.id(FIELD).locator('.squiggly-error').first().waitFor({ state: 'attached' });
    const index = (await ui.cellNames()).indexOf('paid_orders');
    const problem = ui.id(`problem-stages.${index}.steps.0.expr`);
    // while the expression is being typed it is not applied: no error yet, nothing blocked below
    expect(await problem.count()).toBe(0);
    expect(await ui.status('order_settlement')).not.toBe('blocked');
    if (await app.page.locator('.suggest-widget.visible').count()) await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('Escape'); // leaving the field applies it
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(/compare|decimal|string/i);
    await ui.waitIdle();
    expect(await ui.status('paid_orders')).toBe('error');
    expect(await ui.status('order_settlement')).toBe('blocked');
    await app.screenshot('21-squiggle', (await ui.scrollTo('paid_orders')).locator('.cell-editor'));
  });

  it('shows a column’s type on hover', async () => {
    const word = ui.id(FIELD).locator('.view-line span span', { hasText: /^status\s*$/ }).first();
    const box = (await word.boundingBox())!;
    await app.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await app.page.mouse.move(box.x + box.width / 2 + 2, box.y + box.height / 2);
    const hover = app.page.locator('.monaco-hover-content', { hasText: 'column of type' });
    await hover.waitFor({ timeout: 10_000 });
    await app.screenshot('21-hover', (await ui.scrollTo('paid_orders')).locator('.cell-editor'));
    expect(await hover.innerText()).toContain('status — column of type string');
  });

  it('undoes typing through the app’s history (Ctrl+Z works inside the editor)', async () => {
    await ui.id(FIELD).locator('.monaco-editor').click();
    for (let i = 0; i < 6 && (await editorText()) !== "status = 'PAID'"; i++) await ui.undo();
    expect(await editorText()).toBe("status = 'PAID'");
    await ui.waitIdle();
    expect(await ui.status('paid_orders')).toBe('fresh');
    expect(await ui.isDirty()).toBe(false);
  });
});

describe('keyboard, palette, themes', () => {
  it('adds a cell from the command palette', async () => {
    await ui.id('name-merchant_day').click();
    await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('Control+k');
    await ui.id('command-palette').waitFor();
    await ui.id('palette-input').fill('add validate');
    await app.screenshot('22-palette');
    await app.page.keyboard.press('Enter');
    await ui.id('cell-checked').waitFor();
    const names = await ui.cellNames();
    expect(names[names.indexOf('merchant_day') + 1]).toBe('checked');
    await ui.waitIdle();
    expect(await ui.status('checked')).toBe('fresh');
    await ui.undo();
    await expect.poll(() => ui.id('cell-checked').count()).toBe(0);
  });

  it('runs every cell again with Ctrl+Shift+Enter', async () => {
    const runs = Number(await ui.id('statusbar').getAttribute('data-runs'));
    await app.page.keyboard.press('Control+Shift+Enter');
    await ui.waitIdle();
    expect(Number(await ui.id('statusbar').getAttribute('data-runs'))).toBeGreaterThan(runs);
    expect(await ui.id('run-status').innerText()).toMatch(/Refreshed 16 cells/);
  });

  it('has a dark theme', async () => {
    await ui.id('toggle-theme').click();
    expect(await app.page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await app.screenshot('23-dark');
    await ui.scrollTo('reconciliation');
    await app.screenshot('24-dark-validate');
    await ui.id('toggle-theme').click();
  });
});

describe('the pipeline graph and the sample', () => {
  it('goes to a cell from its node, and connects an input by dragging', async () => {
    await ui.id('dag-node-merchant_day').click();
    await expect.poll(() => app.page.evaluate(() => document.querySelector('[data-cell="merchant_day"]')!.getBoundingClientRect().top)).toBeLessThan(200);
    const port = await ui.id('dag-port-paid_orders').boundingBox();
    const target = await ui.id('dag-node-merchant_day').boundingBox();
    await app.page.mouse.move(port!.x + port!.width / 2, port!.y + port!.height / 2);
    await app.page.mouse.down();
    await app.page.mouse.move(target!.x + 30, target!.y + target!.height / 2, { steps: 6 });
    await app.screenshot('26-dag-connect');
    await app.page.mouse.up();
    await expect.poll(() => ui.id('aggregate-input-merchant_day').inputValue()).toBe('paid_orders');
    await ui.undo();
    await expect.poll(() => ui.id('aggregate-input-merchant_day').inputValue()).toBe('order_settlement');
    await ui.waitIdle();
  });

  it('samples with a visible, adjustable size and seed, or reads full files', async () => {
    await ui.id('sample-size').fill('12');
    await ui.id('sample-size').press('Enter');
    await ui.waitIdle();
    const info = await ui.id('sample-info').innerText();
    expect(info).toContain('~12 rows/source, seed 42');
    expect(info).toMatch(/pos_orders \d+(\.\d)?%/);
    const sampled = await ui.counts('raw_orders');
    expect(sampled.rows + sampled.rejected).toBeLessThan(45);
    await ui.id('sample-seed').fill('7');
    await ui.id('sample-seed').press('Enter');
    await ui.waitIdle();
    expect(await ui.id('sample-info').innerText()).toContain('seed 7');
    await ui.id('sample-mode-full').click();
    await ui.waitIdle();
    expect(await ui.id('sample-info').innerText()).toContain('Full files');
    const full = await ui.counts('raw_orders');
    expect(full.rows + full.rejected).toBe(45);
  });
});

describe('crash recovery', () => {
  it('offers unsaved work back after the page dies, and restores it', async () => {
    await ui.toggleStep('clean_settlements', 1);
    expect(await ui.isDirty()).toBe(true);
    await app.page.waitForTimeout(1500); // the recovery copy is written a second after the last edit
    await app.page.reload(); // as good as a crash: nothing was saved
    await ui.openSample('nightly-reconciliation');
    await ui.id('recovery-banner').waitFor();
    await app.screenshot('25-recovery');
    await ui.id('recovery-restore').click();
    expect(await ui.id('step-toggle-clean_settlements-1').isChecked()).toBe(false);
    expect(await ui.isDirty()).toBe(true);
    await ui.waitIdle();
    expect(app.pageErrors).toEqual([]);
    expect(app.offsite).toEqual([]);
  });
});
