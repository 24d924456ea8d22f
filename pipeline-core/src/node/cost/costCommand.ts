import { Command } from 'commander';
import type { CostCommandDeps, CostOptions } from './costRun.js';

// Only the command's definition: its work (the cost model, the report) loads when it runs.
export type { CostCommandDeps, CostOptions } from './costRun.js';

/** `batchbook cost diff <A> <B>`: what the change from A to B does to the yearly cost, per component. */
function costDiffCommand(deps: CostCommandDeps): Command {
  return new Command('diff')
    .description('what a change to the pipeline or its scenario does to the yearly cost, per component (like infracost diff)')
    .argument('<before>', 'project folder or pipeline.yaml before the change')
    .argument('<after>', 'project folder or pipeline.yaml after the change')
    .option('--json', 'print the diff as JSON (format batchbook.cost-diff/v1)')
    .option('--format <format>', 'table, json or infracost (Infracost JSON 0.2: pastBreakdown, breakdown, diff)')
    .option('--option <option>', 'with --format infracost: which option is the project, serverless or always_on', 'serverless')
    .action(async (before: string, after: string, opts: { json?: boolean; format?: string; option?: string }) => {
      await (await import('./costRun.js')).runCostDiff(deps, before, after, opts);
    });
}

/** `batchbook cost <project> [--json | --format infracost] [--report out.html]`, and `batchbook cost diff`. */
export function costCommand(deps: CostCommandDeps): Command {
  return new Command('cost')
    .description('estimate what the pipeline costs a year: serverless (pay per run) against an always-on cluster, peaks and operations included')
    .argument('[project]', 'project folder or pipeline.yaml')
    .option('--json', 'print the estimate as JSON (format batchbook.cost/v1, see docs/cost-model.md)')
    .option('--format <format>', 'table, json or infracost (Infracost JSON 0.2 of one option)')
    .option('--option <option>', 'with --format infracost: which option is the project, serverless or always_on', 'serverless')
    .option('--report <file>', 'write the one-page HTML report for business leaders')
    .option('--lake <dir>', 'where past run reports are read from (calibration, measured volume); default <project>/lake')
    .option('--prices <file>', 'price overrides; default <project>/cost.prices.yaml when it exists')
    .option('--catalog', 'list every price of the catalog (id, unit, USD, source) and exit')
    // the diff's own --json, --format and --option follow its name, not the parent's
    .enablePositionalOptions()
    .addCommand(costDiffCommand(deps))
    .action(async (path: string | undefined, opts: CostOptions & { catalog?: boolean; format?: string; option?: string }) => {
      await (await import('./costRun.js')).runCost(deps, path, opts);
    });
}
