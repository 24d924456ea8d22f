import type { Locator, Page } from 'playwright-core';

/** The Runs panel as the tests drive it, by data-testid. */
export class RunsPanel {
  constructor(readonly page: Page) {}

  id(testId: string): Locator {
    return this.page.locator(`[data-testid="${testId}"]`);
  }

  /** Opens the panel beside the notebook (the top bar's history button) and waits for its content. */
  async open(): Promise<void> {
    if ((await this.id('runs-panel').count()) === 0) await this.id('toggle-runs').click();
    await this.page.locator('[data-testid="runs-list"], [data-testid="runs-empty"], [data-testid="run-detail"]').first().waitFor();
  }

  /** Run ids in the order the list shows them (newest first). */
  async listed(): Promise<string[]> {
    return this.id('runs-list').locator('[data-testid^="run-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('run-row-'.length)));
  }

  async text(testId: string): Promise<string> {
    return (await this.id(testId).innerText()).trim();
  }

  async openRun(runId: string): Promise<void> {
    await this.id(`run-row-${runId}`).click();
    await this.id('run-stages').waitFor();
  }
}
