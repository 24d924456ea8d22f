import { registerExportContributor, type ContributorRegistration } from '../export/contributors.js';
import type { ExportContext, ExportFile } from '../export/exportFile.js';
import { CalendarError } from './calendar.js';
import { CATALOGS, PriceError } from './catalog/priceBook.js';
import { estimateCost } from './estimate.js';
import type { RunSummary } from './measured.js';
import { renderCostReport } from './report.js';
import { ScenarioError } from './scenario.js';

/**
 * `cost/report.html` and `cost/estimate.json` in an export folder. The export is deterministic
 * (same spec, same bytes), so the estimate is dated by the price catalog rather than a clock.
 * Volume comes from the spec's `cost.daily_gb`, or else from the sample files the export was
 * made from (bytes per source, as `cost.measured` would take them from run reports).
 */
export function costExportFiles(ctx: ExportContext): ExportFile[] {
  const provider = ctx.spec.cost?.provider ?? 'gcp';
  const today = CATALOGS[provider].version;
  const runs: RunSummary[] = ctx.samples?.length
    ? [{
        run_id: 'export-samples',
        status: 'succeeded',
        landed_bytes: ctx.samples.reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.source]: (acc[f.source] ?? 0) + f.bytes }), {}),
        stage_ms: 0,
      }]
    : [];
  try {
    const estimate = estimateCost(ctx.spec, { today, runs });
    return [
      { path: 'cost/report.html', content: renderCostReport(estimate) },
      { path: 'cost/estimate.json', content: `${JSON.stringify(estimate, null, 2)}\n` },
    ];
  } catch (e) {
    if (!(e instanceof ScenarioError || e instanceof PriceError || e instanceof CalendarError)) throw e;
    return [{
      path: 'cost/README.md',
      content: `# Cost estimate\n\nNo estimate in this export: ${e.message}.\n\nAdd a \`cost:\` section to pipeline.yaml (see pipeline-core/docs/cost-model.md) and run \`batchbook cost <project> --report cost.html\`.\n`,
    }];
  }
}

export const COST_CONTRIBUTOR: ContributorRegistration = { id: 'cost', contribute: costExportFiles, targets: ['all'] };

/** Adds `cost/` to the full export; idempotent (the registry is keyed by id). */
export function registerCostExports(): void {
  registerExportContributor(COST_CONTRIBUTOR);
}
