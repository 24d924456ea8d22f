import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import { CalendarError } from '../../core/cost/calendar.js';
import { PriceError } from '../../core/cost/catalog/priceBook.js';
import { DEFAULTS } from '../../core/cost/defaults.js';
import { costDiffTable, diffEstimates } from '../../core/cost/costDiff.js';
import { estimateCost, type CostEstimate } from '../../core/cost/estimate.js';
import { toInfracost } from '../../core/cost/infracost.js';
import { renderCostReport } from '../../core/cost/report.js';
import { ScenarioError } from '../../core/cost/scenario.js';
import { catalogTable, costTable } from '../../core/cost/table.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import type { Project } from '../project/project.js';
import { writeFileAtomic } from '../runner/atomic.js';
import { EXIT } from '../runner/report.js';
import { OverridesError, readPriceOverrides } from './priceOverrides.js';
import { readRunSummaries } from './runReports.js';

// The cost command's work, loaded only when `batchbook cost` runs (costCommand.ts defines the command).

export interface CostCommandDeps {
  readonly loadValidProject: (path: string) => Promise<Project & { loaded: { spec: PipelineSpec } }>;
  /** A user-facing failure with an exit code (the CLI's CliError). */
  readonly fail: (message: string, exitCode: number) => Error;
  readonly today?: () => string;
  /** ISO date-time for --format infracost's timeGenerated. */
  readonly now?: () => string;
}

export interface CostOptions {
  readonly json?: boolean;
  readonly report?: string;
  readonly lake?: string;
  readonly prices?: string;
}

/** Estimates the cost of a project: the CLI's `cost` command without the printing. */
export async function projectCostEstimate(project: Project & { loaded: { spec: PipelineSpec } }, opts: CostOptions, today: string): Promise<{ estimate: CostEstimate; notes: string[] }> {
  const notes: string[] = [];
  const overrides = await readPriceOverrides(project.dir, opts.prices, project.loaded.spec.cost?.provider ?? DEFAULTS.provider);
  if (overrides.path) notes.push(`prices overridden by ${relative(process.cwd(), overrides.path)}: ${Object.keys(overrides.prices).join(', ')}`);
  const { runs, skipped } = await readRunSummaries(resolve(opts.lake ?? project.defaultLake), project.loaded.spec.name);
  for (const s of skipped) notes.push(`skipped unreadable run report ${s}`);
  const estimate = estimateCost(project.loaded.spec, { today, runs, prices: overrides.prices });
  return { estimate, notes };
}

type Format = 'table' | 'json' | 'infracost';
const FORMATS: readonly Format[] = ['table', 'json', 'infracost'];
type Option = 'serverless' | 'always_on';

export function formatOf(opts: { json?: boolean; format?: string }, deps: CostCommandDeps): Format {
  const f = opts.format ?? (opts.json ? 'json' : 'table');
  if (!(FORMATS as readonly string[]).includes(f)) throw deps.fail(`cost: --format '${f}': one of ${FORMATS.join(', ')}`, EXIT.usage);
  return f as Format;
}

export function optionOf(o: string | undefined, deps: CostCommandDeps): Option {
  if (o === undefined || o === 'serverless' || o === 'always_on') return o ?? 'serverless';
  throw deps.fail(`cost: --option '${o}': serverless or always_on`, EXIT.usage);
}

/** Loads a project and estimates it, turning scenario and price problems into a usage error (exit 2). */
export async function estimateProject(deps: CostCommandDeps, path: string, opts: CostOptions, today: string): Promise<{ estimate: CostEstimate; dir: string }> {
  const project = await deps.loadValidProject(path);
  let result;
  try {
    result = await projectCostEstimate(project, opts, today);
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof PriceError || e instanceof CalendarError || e instanceof OverridesError) throw deps.fail(`${path}: ${e.message}`, EXIT.usage);
    throw e;
  }
  for (const n of result.notes) process.stderr.write(`${pc.dim(n)}\n`);
  return { estimate: result.estimate, dir: relative(process.cwd(), project.dir) || '.' };
}

/** `cost diff`: the per-component change from A to B. */
export async function runCostDiff(deps: CostCommandDeps, before: string, after: string, opts: { json?: boolean; format?: string; option?: string }): Promise<void> {
  const format = formatOf(opts, deps);
  const option = optionOf(opts.option, deps);
  const today = deps.today?.() ?? new Date().toISOString().slice(0, 10);
  const a = await estimateProject(deps, before, {}, today);
  const b = await estimateProject(deps, after, {}, today);
  if (format === 'infracost') {
    process.stdout.write(`${JSON.stringify(toInfracost(b.estimate, { past: a.estimate, option, path: b.dir, timeGenerated: deps.now?.() ?? new Date().toISOString() }), null, 2)}\n`);
    return;
  }
  const d = diffEstimates(a.estimate, b.estimate);
  process.stdout.write(format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : costDiffTable(d));
}

/** `cost`: the estimate as a table, JSON or Infracost JSON, and the HTML report. */
export async function runCost(deps: CostCommandDeps, path: string | undefined, opts: CostOptions & { catalog?: boolean; format?: string; option?: string }): Promise<void> {
  if (opts.catalog) {
    process.stdout.write(catalogTable());
    return;
  }
  if (!path) throw deps.fail('cost: give a project folder (or --catalog)', EXIT.usage);
  const format = formatOf(opts, deps);
  const option = optionOf(opts.option, deps);
  const today = deps.today?.() ?? new Date().toISOString().slice(0, 10);
  const { estimate, dir } = await estimateProject(deps, path, opts, today);
  if (format === 'json') process.stdout.write(`${JSON.stringify(estimate, null, 2)}\n`);
  else if (format === 'infracost') process.stdout.write(`${JSON.stringify(toInfracost(estimate, { option, path: dir, timeGenerated: deps.now?.() ?? new Date().toISOString() }), null, 2)}\n`);
  else process.stdout.write(costTable(estimate));
  if (opts.report) {
    await writeFileAtomic(resolve(opts.report), renderCostReport(estimate));
    process.stderr.write(`${pc.green('✓')} report → ${relative(process.cwd(), resolve(opts.report)) || opts.report}\n`);
  }
}
