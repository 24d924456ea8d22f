import { availableParallelism } from 'node:os';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { CalendarError } from '../../core/cost/calendar.js';
import { PriceError } from '../../core/cost/catalog/priceBook.js';
import { estimateCost, type CostEstimate } from '../../core/cost/estimate.js';
import { renderCostReport } from '../../core/cost/report.js';
import { ScenarioError } from '../../core/cost/scenario.js';
import { catalogTable, costTable } from '../../core/cost/table.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import type { Project } from '../project/project.js';
import { writeFileAtomic } from '../runner/atomic.js';
import { EXIT } from '../runner/report.js';
import { OverridesError, readPriceOverrides } from './priceOverrides.js';
import { readRunSummaries } from './runReports.js';
import type { CostCommandDeps, CostOptions } from './costCommand.js';

/** Estimates the cost of a project: the CLI's `cost` command without the printing. */
export async function projectCostEstimate(project: Project & { loaded: { spec: PipelineSpec } }, opts: CostOptions, today: string): Promise<{ estimate: CostEstimate; notes: string[] }> {
  const notes: string[] = [];
  const overrides = await readPriceOverrides(project.dir, opts.prices);
  if (overrides.path) notes.push(`prices overridden by ${relative(process.cwd(), overrides.path)}: ${Object.keys(overrides.prices).join(', ')}`);
  const { runs, skipped } = await readRunSummaries(resolve(opts.lake ?? project.defaultLake), project.loaded.spec.name);
  for (const s of skipped) notes.push(`skipped unreadable run report ${s}`);
  const estimate = estimateCost(project.loaded.spec, { today, runs, assumedThreads: availableParallelism(), prices: overrides.prices });
  return { estimate, notes };
}

/** The `cost` command's work: estimate, print, and write the report when asked. */
export async function runCostCommand(path: string | undefined, opts: CostOptions & { catalog?: boolean }, deps: CostCommandDeps): Promise<void> {
  if (opts.catalog) {
    process.stdout.write(catalogTable());
    return;
  }
  if (!path) throw deps.fail('cost: give a project folder (or --catalog)', EXIT.usage);
  const project = await deps.loadValidProject(path);
  const today = deps.today?.() ?? new Date().toISOString().slice(0, 10);
  let result;
  try {
    result = await projectCostEstimate(project, opts, today);
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof PriceError || e instanceof CalendarError || e instanceof OverridesError) throw deps.fail(e.message, EXIT.usage);
    throw e;
  }
  for (const n of result.notes) process.stderr.write(`${pc.dim(n)}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify(result.estimate, null, 2)}\n`);
  else process.stdout.write(costTable(result.estimate));
  if (opts.report) {
    await writeFileAtomic(resolve(opts.report), renderCostReport(result.estimate));
    process.stderr.write(`${pc.green('✓')} report → ${relative(process.cwd(), resolve(opts.report)) || opts.report}\n`);
  }
}
