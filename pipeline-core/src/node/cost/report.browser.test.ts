import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost } from '../../core/cost/estimate.js';
import { renderCostReport } from '../../core/cost/report.js';
import { loadSpec } from '../../core/spec/load.js';
import { REPO_ROOT, SAMPLES, tempDir } from '../testing/fixtures.js';

// The report in a real Chromium: it renders its charts, asks the network for nothing (it must
// be fully self-contained), and prints on one A4 page. The screenshot and the PDF are kept in
// test-results/ to look at.

const CHROMIUM = process.env['BATCHBOOK_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = join(REPO_ROOT, 'test-results');

let context: BrowserContext;
let file: string;

beforeAll(async () => {
  const spec = loadSpec(await readFile(join(SAMPLES, 'peak-sales', 'pipeline.yaml'), 'utf8')).spec!;
  const dir = await tempDir('bb-cost-report-');
  file = join(dir, 'cost.html');
  await writeFile(file, renderCostReport(estimateCost(spec, { today: '2026-11-26' })));
  context = await chromium.launchPersistentContext(await tempDir('bb-chromium-'), { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 820, height: 1200 } });
});

afterAll(async () => {
  await context?.close();
});

describe('cost report in Chromium', () => {
  it('renders the headline and every chart with no request leaving the page, and prints on one page', async () => {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await expect.poll(() => page.getByTestId('headline').textContent()).toMatch(/^Serverless saves \$[\d,]+ a year \(\d+ %\)$/);
    for (const id of ['chart-monthly', 'chart-tco', 'chart-day', 'chart-sensitivity', 'chart-break-even']) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box?.width, id).toBeGreaterThan(150);
      expect(await page.getByTestId(id).locator('rect, polyline').count(), id).toBeGreaterThan(1);
    }
    // 12 months × 2 options × (compute, lake storage, people)
    expect(await page.getByTestId('chart-monthly').locator('rect.serverless, rect.always_on').count()).toBe(72);
    // the break-even chart: both options' curves, today marked on each
    expect(await page.getByTestId('chart-break-even').locator('polyline').count()).toBe(2);
    expect(await page.getByTestId('chart-break-even').locator('circle.marker.today').count()).toBe(2);
    expect(await page.getByTestId('chart-monthly').locator('rect.band.peak').count()).toBe(1);
    expect(await page.getByTestId('prices').locator('tbody tr').count()).toBeGreaterThan(4);
    expect(requests).toEqual([pathToFileURL(file).href]);

    await mkdir(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'cost-report.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await writeFile(join(OUT, 'cost-report.pdf'), pdf);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
    expect(pages.length).toBe(1);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.close();
  });
});
