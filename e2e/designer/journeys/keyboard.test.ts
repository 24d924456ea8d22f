import { describe, expect, it } from 'vitest';
import { appForTests } from '../support/app';
import { DesignerPage } from '../pages/designerPage';

/**
 * The designer by keyboard alone, Jupyter-like: open a sample from the start screen with Tab and
 * Enter; the focus starts on the first cell; arrows move between cells; Enter edits the cell's
 * expression in Monaco (Tab there moves on, it does not indent); Escape leaves the editor for the
 * cell; Ctrl+Enter runs it; Ctrl+B shows the graph with the focus on the cell's node, and Enter on
 * a node goes back to its cell. The add-cell menu answers arrows and Escape.
 */
const session = appForTests();
const ui = () => new DesignerPage(session.app.page);
const page = () => session.app.page;

/** data-cell of the focused cell, or the focused element's test id. */
function focused(): Promise<string> {
  return page().evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    return a?.getAttribute('data-cell') ?? a?.getAttribute('data-testid') ?? a?.tagName ?? 'none';
  });
}

const EDITED = "status = 'PAID' AND amount > 0";

/** The text Monaco shows (it draws spaces as no-break spaces). */
async function editorText(field: string): Promise<string> {
  return (await new DesignerPage(page()).id(field).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

describe('keyboard only', () => {
  it('opens a sample, moves between cells, edits an expression, leaves the editor, runs, and reaches the graph', async () => {
    await ui().id('sample-nightly-reconciliation').waitFor();
    for (let i = 0; i < 40 && (await focused()) !== 'sample-nightly-reconciliation'; i++) await page().keyboard.press('Tab');
    expect(await focused()).toBe('sample-nightly-reconciliation');
    await page().keyboard.press('Enter');
    await ui().id('notebook').waitFor();
    await ui().waitIdle();
    const cells = await ui().cellNames();
    expect(await focused()).toBe(cells[0]); // not the page body

    // arrows walk the cells in order, Home / End jump to the ends
    const target = cells.indexOf('paid_orders');
    expect(target).toBeGreaterThan(0);
    for (let i = 1; i <= target; i++) {
      await page().keyboard.press('ArrowDown');
      expect(await focused()).toBe(cells[i]);
    }
    await page().keyboard.press('ArrowUp');
    expect(await focused()).toBe(cells[target - 1]);
    await page().keyboard.press('ArrowDown');
    expect(await focused()).toBe('paid_orders');

    // Enter edits the cell's expression, in Monaco
    await ui().id('paid_orders-0-expr').locator('.monaco-editor').waitFor();
    await page().keyboard.press('Enter');
    expect(await page().evaluate(() => document.activeElement?.closest('[data-testid="paid_orders-0-expr"]') !== null)).toBe(true);
    await page().keyboard.press('End');
    await page().keyboard.type(' AND amount > 0');
    if (await page().locator('.suggest-widget.visible').count()) await page().keyboard.press('Escape'); // closes Monaco's own list first
    await page().keyboard.press('Escape');
    expect(await focused()).toBe('paid_orders'); // back on the cell, out of the editor
    expect(await editorText('paid_orders-0-expr')).toBe(EDITED);
    await expect.poll(() => ui().isDirty()).toBe(true);

    // Ctrl+Enter runs the selected cell (one more preview run than the edit itself caused)
    await ui().waitIdle();
    const runs = async () => Number(await ui().id('statusbar').getAttribute('data-runs'));
    const before = await runs();
    await page().keyboard.press('Control+Enter');
    await expect.poll(runs).toBeGreaterThan(before);
    await ui().waitIdle();
    expect(await ui().status('paid_orders')).toBe('fresh');
    expect(await focused()).toBe('paid_orders');

    // the graph: its node for this cell has the focus; arrows move; Enter goes to that cell
    if (await ui().id('side-dag').count()) await page().keyboard.press('Control+b');
    await page().keyboard.press('Control+b');
    await ui().id('dag').waitFor();
    await expect.poll(focused).toBe('dag-node-paid_orders');
    await page().keyboard.press('ArrowDown');
    const next = (await focused()).replace('dag-node-', '');
    expect(next).not.toBe('paid_orders');
    await page().keyboard.press('Enter');
    expect(await focused()).toBe(next);
    await session.app.screenshot('keyboard-journey');
  }, 240_000);

  it('typing waits for a valid expression: a half-typed column name neither errors nor blocks the cells below', async () => {
    await ui().scrollTo('paid_orders');
    await ui().id('paid_orders-0-expr').locator('.monaco-editor').click();
    await ui().recordStatuses();
    await page().keyboard.press('End');
    await page().keyboard.type(' AND curr', { delay: 30 });
    await page().waitForTimeout(600); // longer than the preview's debounce
    const seen = await ui().statusesSeen();
    const bad = [...seen].filter(([, s]) => s.has('error') || s.has('blocked')).map(([c]) => c);
    expect(bad).toEqual([]);
    const index = (await ui().cellNames()).indexOf('paid_orders');
    expect(await ui().id(`problem-stages.${index}.steps.0.expr`).count()).toBe(0);
    await page().keyboard.press('Escape');
    await page().keyboard.press('Escape');
    // leaving the field applies what is there: now the error shows
    await expect.poll(async () => (await ui().status('paid_orders'))).toBe('error');
    await ui().undo();
  }, 120_000);

  it('Tab in Monaco moves the focus on instead of inserting whitespace', async () => {
    await ui().id('paid_orders-0-expr').locator('.monaco-editor').click();
    const before = await ui().id('paid_orders-0-expr').locator('.view-lines').innerText();
    await page().keyboard.press('Tab');
    expect(await page().evaluate(() => document.activeElement?.closest('.monaco-editor') === null)).toBe(true);
    expect(await ui().id('paid_orders-0-expr').locator('.view-lines').innerText()).toBe(before);
  });

  it('the add-cell menu: arrows move, Escape closes it back to its button', async () => {
    await ui().id('add-cell-button-1').focus();
    await page().keyboard.press('Enter');
    await ui().id('kind-menu-1').waitFor();
    expect(await focused()).toBe('add-ingest-1');
    await page().keyboard.press('ArrowDown');
    expect(await focused()).toBe('add-cleanse-1');
    await page().keyboard.press('ArrowUp');
    await page().keyboard.press('ArrowUp');
    const kinds = await ui().id('kind-menu-1').locator('[data-testid^="add-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(kinds.length).toBeGreaterThan(2);
    expect(await focused()).toBe(kinds.at(-1)); // wraps around to the last kind
    await page().keyboard.press('Escape');
    expect(await ui().id('kind-menu-1').count()).toBe(0);
    expect(await focused()).toBe('add-cell-button-1');
  });

  it('collapse all shows every cell as its header only, and expands them again', async () => {
    const bodies = () => page().locator('[data-cell] .cell-body').count();
    expect(await bodies()).toBeGreaterThan(0);
    await ui().id('collapse-all').click();
    expect(await bodies()).toBe(0);
    await ui().id('collapse-all').click();
    expect(await bodies()).toBe((await ui().cellNames()).length);
  });

  it('threw nothing and asked nothing of the network', () => {
    expect(session.app.offsite).toEqual([]);
    expect(session.app.pageErrors).toEqual([]);
  });
});
