import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** The designer's screens as the tests drive them: by data-testid, never by layout or wording. */
export class DesignerPage {
  constructor(readonly page: Page) {}

  id(testId: string): Locator {
    return this.page.locator(`[data-testid="${testId}"]`);
  }

  async openSample(id: string): Promise<void> {
    await this.id(`sample-${id}`).click();
    await this.id('notebook').waitFor();
  }

  /** Waits until the preview has settled: engine up, no run scheduled or running, no cell waiting. */
  async waitIdle(timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const bar = document.querySelector('[data-testid="statusbar"]');
        const statuses = [...document.querySelectorAll('[data-testid^="status-"]')].map((e) => e.textContent?.trim());
        const engine = document.querySelector('[data-testid="engine-status"]')?.textContent ?? '';
        return engine.includes('ready') && bar?.getAttribute('data-busy') === 'false' && Number(bar.getAttribute('data-runs')) > 0 && !statuses.some((s) => s === 'running' || s === 'stale');
      },
      undefined,
      { timeout, polling: 25 },
    );
  }

  async cellNames(): Promise<string[]> {
    return this.page.locator('[data-cell]').evaluateAll((els) => els.map((e) => e.getAttribute('data-cell')!));
  }

  async status(stage: string): Promise<string> {
    return (await this.id(`status-${stage}`).innerText()).trim();
  }

  /** The counts a cell's header shows: rows out and rows rejected. */
  async counts(stage: string): Promise<{ rows: number; rejected: number }> {
    const rows = Number((await this.id(`rows-${stage}`).innerText()).replace(/[^\d]/g, ''));
    const rej = this.id(`rejected-${stage}`);
    const rejected = (await rej.count()) ? Number((await rej.innerText()).replace(/[^\d]/g, '')) : 0;
    return { rows, rejected };
  }

  /** Records every status each cell shows from now on (a run can be faster than polling). */
  async recordStatuses(): Promise<void> {
    await this.page.evaluate(() => {
      const log: [string, string][] = [];
      (window as unknown as { __statusLog: [string, string][] }).__statusLog = log;
      const seen = () => {
        for (const el of document.querySelectorAll('[data-testid^="status-"]')) log.push([el.getAttribute('data-testid')!.slice(7), el.textContent?.trim() ?? '']);
      };
      seen();
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  async statusesSeen(): Promise<Map<string, Set<string>>> {
    const log = await this.page.evaluate(() => (window as unknown as { __statusLog: [string, string][] }).__statusLog);
    const out = new Map<string, Set<string>>();
    for (const [cell, s] of log) out.set(cell, (out.get(cell) ?? new Set()).add(s));
    return out;
  }

  async scrollTo(stage: string): Promise<Locator> {
    const cell = this.id(`cell-${stage}`);
    await cell.scrollIntoViewIfNeeded();
    return cell;
  }

  async toggleStep(stage: string, index: number): Promise<void> {
    await this.scrollTo(stage);
    await this.id(`step-toggle-${stage}-${index}`).click();
  }

  async addRule(stage: string, kind: string): Promise<number> {
    await this.scrollTo(stage);
    const before = await this.id(`rules-${stage}`).locator(':scope > li').count();
    await this.id(`add-rule-${stage}`).selectOption(kind);
    await expect.poll(() => this.id(`rules-${stage}`).locator(':scope > li').count()).toBe(before + 1);
    return before;
  }

  async setRuleColumns(stage: string, rule: number, columns: readonly string[]): Promise<void> {
    const picker = this.id(`rule-${stage}-${rule}-columns`);
    for (const chip of await picker.locator('.chip-x').all()) await chip.click();
    for (const c of columns) await this.id(`rule-${stage}-${rule}-columns-add`).selectOption(c);
  }

  async ruleResult(stage: string, name: string): Promise<Locator> {
    await this.scrollTo(stage);
    return this.id(`preview-${stage}`).locator(`[data-testid="rule-result-${name}"]`);
  }

  async undo(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.page.keyboard.press('Control+z');
  }

  async save(): Promise<void> {
    await this.id('save').click();
    await this.id('toast-success').first().waitFor();
  }

  async isDirty(): Promise<boolean> {
    return (await this.id('dirty').count()) > 0;
  }
}
