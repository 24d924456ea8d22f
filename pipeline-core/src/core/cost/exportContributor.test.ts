import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contributedFiles } from '../export/contributors.js';
import type { ExportContext } from '../export/exportFile.js';
import { loadSpec } from '../spec/load.js';
import type { CostEstimate } from './estimate.js';
import { costExportFiles, registerCostExports } from './exportContributor.js';

const sample = (name: string) => readFileSync(fileURLToPath(new URL(`../../../../samples/${name}/pipeline.yaml`, import.meta.url)), 'utf8');
const ctx = (text: string, extra: Partial<ExportContext> = {}): ExportContext => ({ spec: loadSpec(text).spec!, specText: text, toolVersion: 'test', ...extra });

describe('cost files in export folders', () => {
  it('adds cost/report.html and cost/estimate.json to the full export, byte-identical on every export', () => {
    registerCostExports();
    const c = ctx(sample('peak-sales'));
    const files = contributedFiles(c, 'all').filter((f) => f.path.startsWith('cost/'));
    expect(files.map((f) => f.path)).toEqual(['cost/report.html', 'cost/estimate.json']);
    expect(contributedFiles(c, 'spark').some((f) => f.path.startsWith('cost/'))).toBe(false);
    expect(costExportFiles(c)).toEqual(costExportFiles(c));
    const e = JSON.parse(files[1]!.content) as CostEstimate;
    expect(e.generated_on).toBe('2026-11-26'); // the catalog's date, not a clock
    expect(files[0]!.content).toContain(`Serverless saves $${Math.round(e.headline.savings_yearly).toLocaleString('en-US')} a year`);
  });

  it('without cost.daily_gb, measures volume from the export samples; with neither, explains', () => {
    const text = sample('nightly-reconciliation');
    const withSamples = costExportFiles(ctx(text, { samples: [
      { source: 'pos_orders', path: 'pos/a.csv', sha256: 'x', bytes: 1024 ** 3 },
      { source: 'pos_orders', path: 'pos/b.csv', sha256: 'y', bytes: 1024 ** 3 },
      { source: 'settlements', path: 'psp/a.ndjson', sha256: 'z', bytes: 512 * 1024 ** 2 },
    ] }));
    const e = JSON.parse(withSamples.find((f) => f.path === 'cost/estimate.json')!.content) as CostEstimate;
    expect(e.work.sources).toEqual([
      { source: 'pos_orders', daily_gb: 2, from: 'measured' },
      { source: 'settlements', daily_gb: 0.5, from: 'measured' },
      { source: 'refunds', daily_gb: 0, from: 'missing' },
    ]);
    const none = costExportFiles(ctx(text));
    expect(none.map((f) => f.path)).toEqual(['cost/README.md']);
    expect(none[0]!.content).toMatch(/No estimate in this export: no volume to price/);
  });
});
