import { join } from 'node:path';
import pc from 'picocolors';
import { main } from '../cli/main.js';
import { REPO_ROOT } from '../testing/fixtures.js';

/**
 * `npm run demo`: the main job on the embedded engine, as a new user would run it by hand —
 * the nightly reconciliation for both business days, its exports for every production engine,
 * and the cost report. Each step is the real CLI command.
 */
const sample = join(REPO_ROOT, 'samples', 'nightly-reconciliation');
const out = join(sample, 'export');

interface Step {
  readonly say: string;
  readonly args: readonly string[];
  readonly expect: number;
}

const steps: readonly Step[] = [
  { say: 'Night of 2026-11-24: every merchant reconciles', args: ['run', sample, '--param', 'run_date=2026-11-24'], expect: 0 },
  { say: 'Night of 2026-11-25: one merchant is 3 cents short, so the run fails (exit 3) and names it', args: ['run', sample, '--param', 'run_date=2026-11-25'], expect: 3 },
  { say: 'Export for production: DuckDB, PySpark (Dataproc / EMR Serverless), Beam, dbt, Airflow', args: ['export', sample, '--target', 'all', '--out', out, '--param', 'run_date=2026-11-24'], expect: 0 },
  { say: 'What it costs a year, serverless against always-on', args: ['cost', sample, '--report', join(out, 'cost-report.html')], expect: 0 },
];

let failed = false;
for (const [i, step] of steps.entries()) {
  process.stderr.write(`\n${pc.bold(`${i + 1}/${steps.length} ${step.say}`)}\n${pc.dim(`$ batchbook ${step.args.map((a) => (a.startsWith(REPO_ROOT) ? a.slice(REPO_ROOT.length) : a)).join(' ')}`)}\n`);
  process.exitCode = 0;
  const code = await main(step.args);
  if (code !== step.expect) {
    process.stderr.write(pc.red(`expected exit ${step.expect}, got ${code}\n`));
    failed = true;
  }
}
process.stderr.write(
  `\n${failed ? pc.red('The demo did not go as expected (see above).') : pc.green('Done.')} Look at:\n` +
    `  samples/nightly-reconciliation/lake/   raw (landed, read-only), curated, rejects, runs/<id>/report.json\n` +
    `  samples/nightly-reconciliation/export/ the exported pipelines and cost-report.html\n`,
);
process.exitCode = failed ? 1 : 0;
