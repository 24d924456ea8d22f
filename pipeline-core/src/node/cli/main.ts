import { Command, CommanderError, Option } from 'commander';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import type { SpecDiagnostic } from '../../core/spec/diagnostics.js';
import type { Project } from '../project/project.js';
import { EXIT } from '../runner/report.js';
import type { RunEvent } from '../runner/run.js';
import { exportCommand } from '../export/exportCommand.js';
import { costCommand } from '../cost/costCommand.js';
import { backfillCommand, diffCommand, runsCommand, type OpsCommandDeps } from '../ops/opsCommands.js';

// Start-up: `--help` and `validate` load only the spec code. The runner, the compilers' plan, the
// exporters and DuckDB (a native module) are imported by the commands that use them, when they run.

/** A user-facing failure: printed as one line, never as a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** The spec's problems, for --json output. */
    readonly diagnostics?: readonly SpecDiagnostic[],
  ) {
    super(message);
  }
}

function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError(`--param expects name=value, got '${value}'`, EXIT.usage);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
}

/** Opens a project and stops with exit 2 and every located problem when its spec is invalid. */
export async function loadValidProject(path: string, out: NodeJS.WritableStream = process.stderr): Promise<Project & { loaded: { spec: NonNullable<Project['loaded']['spec']> } }> {
  const [{ openProject, ProjectError }, { formatDiagnostic, hasErrors }] = await Promise.all([import('../project/project.js'), import('../../core/spec/diagnostics.js')]);
  const project = await openProject(path).catch((e: unknown) => {
    throw e instanceof ProjectError ? new CliError(e.message, EXIT.usage) : e;
  });
  const file = relative(process.cwd(), project.specPath) || project.specPath;
  const diags = project.loaded.diagnostics;
  for (const d of diags.filter((x) => x.severity === 'warning')) out.write(`${pc.yellow(formatDiagnostic(d, file))}\n`);
  if (!project.loaded.spec || hasErrors(diags)) {
    for (const d of diags.filter((x) => x.severity === 'error')) out.write(`${pc.red(formatDiagnostic(d, file))}\n`);
    throw new CliError(`${file}: ${diags.filter((x) => x.severity === 'error').length} problem(s); the pipeline was not run`, EXIT.usage, diags);
  }
  return project as Project & { loaded: { spec: NonNullable<Project['loaded']['spec']> } };
}

/**
 * Every problem the spec has, the run would meet before reading data included: the loader's
 * (shape, references, expressions) and the sql stages bound in DuckDB. Exit 2 when any is an error.
 */
async function validateCommand(path: string, json: boolean): Promise<number> {
  const [{ openProject, ProjectError }, { formatDiagnostic }, { locateLater }] = await Promise.all([
    import('../project/project.js'),
    import('../../core/spec/diagnostics.js'),
    import('../../core/spec/load.js'),
  ]);
  const project = await openProject(path).catch((e: unknown) => {
    throw e instanceof ProjectError ? new CliError(e.message, EXIT.usage) : e;
  });
  const file = relative(process.cwd(), project.specPath) || project.specPath;
  const { loaded } = project;
  const partial = loaded.partial;
  // sql stages are bound in DuckDB (loaded only for a spec that has one)
  const hasSql = partial?.spec.stages.some((x) => x.kind === 'sql') ?? false;
  const sql = partial && hasSql ? locateLater(loaded, await (await import('./checkSqlStages.js')).checkSqlStages(partial.spec, partial.gaps)) : [];
  const diags = [...loaded.diagnostics, ...sql];
  const errors = diags.filter((d) => d.severity === 'error').length;
  for (const d of diags) process.stderr.write(`${(d.severity === 'error' ? pc.red : pc.yellow)(formatDiagnostic(d, file))}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ status: errors ? 'invalid' : 'valid', exit_code: errors ? EXIT.usage : EXIT.ok, file, diagnostics: diags }, null, 2)}\n`);
  if (errors) process.stderr.write(`${pc.red('batchbook:')} ${file}: ${errors} problem(s)\n`);
  else process.stderr.write(`${pc.green('✓')} ${file}: ${partial?.spec.stages.length ?? 0} stages, no problems\n`);
  return errors ? EXIT.usage : EXIT.ok;
}

/** The progress display: a consumer of the same runner events the run's log is written from. */
async function progress(json: boolean): Promise<(e: RunEvent) => void> {
  const { runProgress } = await import('../ops/progress.js');
  return runProgress({ live: process.stderr.isTTY === true && !json });
}

/** What a full export adds to every target (monitoring configs, the cost report); registered once, when an export runs. */
let exportsRegistered = false;
async function registerExportContributors(): Promise<void> {
  if (exportsRegistered) return;
  exportsRegistered = true;
  const [{ registerMonitoringExports }, { registerCostExports }] = await Promise.all([import('../../core/ops/monitoringContributor.js'), import('../../core/cost/exportContributor.js')]);
  registerMonitoringExports(); // export folders gain monitoring/ (Cloud Monitoring, CloudWatch)
  registerCostExports(); // the full export gains cost/report.html and cost/estimate.json
}

export function buildCli(): Command {
  const program = new Command('batchbook')
    .description('Batchbook: design, run and export batch data pipelines')
    .version('0.1.0')
    // Options after a command name belong to that command, so `cost diff … --json` reaches the diff, not `cost`.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(pc.red(str)) });

  program
    .command('validate')
    .description('check a pipeline spec and list every problem with its line:column')
    .argument('<project>', 'project folder or pipeline.yaml')
    .option('--json', 'print the problems as JSON on stdout')
    .action(async (path: string, opts: { json?: boolean }) => {
      process.exitCode = await validateCommand(path, opts.json ?? false);
    });

  program
    .command('plan')
    .description('print the compiled DuckDB SQL, stage by stage')
    .argument('<project>', 'project folder or pipeline.yaml')
    .option('--param <name=value>', 'set a parameter (repeatable)', collectParam, {})
    .action(async (path: string, opts: { param: Record<string, string> }) => {
      const project = await loadValidProject(path);
      const spec = project.loaded.spec;
      const [{ compileDuckdbPlan }, { resolveParams, substitutePath }, { RUN_DATE }, { nativeSourceRelation }, { defaultRunDate }] = await Promise.all([
        import('../../core/compile/duckdb/plan.js'),
        import('../../core/spec/params.js'),
        import('../../core/spec/analyze.js'),
        import('../runner/sourceRelation.js'),
        import('../runner/run.js'),
      ]);
      const params = resolveParams(spec, opts.param, defaultRunDate(new Date()));
      const relations = new Map(
        await Promise.all(
          Object.entries(spec.sources).map(async ([name, s]) => {
            const shown = `raw/${name}/${params[RUN_DATE]}/${substitutePath(s.path, params)}`;
            return [name, await nativeSourceRelation(name, s, [shown], [shown], false)] as const;
          }),
        ),
      );
      const plan = compileDuckdbPlan(spec, { params, sourceRelation: (n) => relations.get(n)! });
      for (const p of plan.stages) {
        process.stdout.write(`-- ── ${p.stage.name} (${p.stage.kind}) ${'─'.repeat(Math.max(0, 60 - p.stage.name.length))}\n`);
        for (const s of p.compiled.statements) process.stdout.write(`${s};\n\n`);
        for (const r of p.compiled.rules ?? []) process.stdout.write(`-- rule ${r.name}\n${r.check};\n\n`);
        if (p.compiled.write) process.stdout.write(`-- write ${p.compiled.write.format} to curated/${p.compiled.write.path}${p.compiled.write.partitionBy.length ? ` partitioned by ${p.compiled.write.partitionBy.join(', ')}` : ''}\n${p.compiled.write.select};\n\n`);
      }
    });

  program
    .command('run')
    .description('land the raw files, run the pipeline on the embedded DuckDB and publish its outputs')
    .argument('<project>', 'project folder or pipeline.yaml')
    .option('--param <name=value>', 'set a parameter, e.g. run_date=2026-11-25 (repeatable)', collectParam, {})
    .option('--lake <dir>', 'the lake folder (raw, curated, rejects, runs); default <project>/lake')
    .option('--json', 'print the run report as JSON on stdout')
    .option('--replay', 'read what was landed for the run date instead of the inbox')
    .addOption(new Option('--memory-limit <size>', 'memory limit of the whole run (DuckDB gets a share, Node and buffers the rest); larger data spills to <lake>/.tmp').default('2GB'))
    .option('--threads <n>', 'DuckDB threads (default: all cores, fewer when --memory-limit is small: 256MB of DuckDB memory per thread)', (v) => Number(v))
    .option('--alert-webhook <url>', 'post alerts to this webhook (overrides alerts.webhook.url in the spec)')
    .option('--no-alerts', 'send no alert even if the spec configures them')
    .option('--log-json', 'also write the JSON log lines to stderr (for a container log collector)')
    .option('--profile', "time every stage on its own and name its heaviest DuckDB operators (materialises every stage: slower)")
    .action(async (path: string, opts: { param: Record<string, string>; lake?: string; json?: boolean; replay?: boolean; memoryLimit: string; threads?: number; alertWebhook?: string; alerts: boolean; logJson?: boolean; profile?: boolean }) => {
      // the run's DuckDB instance is created on a libuv thread while the spec is parsed and checked
      (await import('../duckdb/spareInstance.js')).prewarmInstance();
      const project = await loadValidProject(path);
      const [{ runPipeline }, { summarise }, { formatProfile }] = await Promise.all([import('../runner/run.js'), import('../runner/report.js'), import('../runner/profile.js')]);
      const report = await runPipeline({
        spec: project.loaded.spec,
        specText: project.specText,
        projectDir: project.dir,
        inbox: project.inbox,
        lake: resolve(opts.lake ?? project.defaultLake),
        params: opts.param,
        replay: opts.replay ?? false,
        memoryLimit: opts.memoryLimit,
        ...(opts.threads ? { threads: opts.threads } : {}),
        profile: opts.profile ?? false,
        onEvent: await progress((opts.json ?? false) || (opts.logJson ?? false)),
        ops: {
          alerts: { enabled: opts.alerts, ...(opts.alertWebhook ? { webhookUrl: opts.alertWebhook } : {}) },
          ...(opts.logJson ? { logMirror: process.stderr } : {}),
        },
      });
      process.stderr.write(`${summarise(report)}\n`);
      if (report.profile) process.stderr.write(`${formatProfile(report.profile)}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      process.exitCode = report.exit_code;
    });

  const opsDeps: OpsCommandDeps = { loadValidProject: (p) => loadValidProject(p), collectParam, userError: (message, code) => new CliError(message, code) };
  program.addCommand(runsCommand(opsDeps));
  program.addCommand(diffCommand(opsDeps));
  program.addCommand(backfillCommand(opsDeps));

  program.addCommand(exportCommand({ loadValidProject: (p) => loadValidProject(p), collectParam, toolVersion: program.version() ?? '0.0.0', beforeExport: registerExportContributors }));
  program.addCommand(costCommand({ loadValidProject: (p) => loadValidProject(p), fail: (message, code) => new CliError(message, code) }));

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildCli();
  // a caller that asked for JSON gets JSON on stdout on every exit path, failures included
  const json = argv.includes('--json');
  const fail = (code: number, message: string, diagnostics?: readonly SpecDiagnostic[]): number => {
    if (json) process.stdout.write(`${JSON.stringify({ status: diagnostics ? 'invalid' : 'error', exit_code: code, error: { message }, ...(diagnostics ? { diagnostics } : {}) }, null, 2)}\n`);
    return code;
  };
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : fail(EXIT.usage, e.message);
    if (e instanceof CliError) {
      process.stderr.write(`${pc.red('batchbook:')} ${e.message}\n`);
      return fail(e.exitCode, e.message, e.diagnostics);
    }
    if (e instanceof (await import('../../core/spec/params.js')).ParamError) {
      process.stderr.write(`${pc.red('batchbook:')} ${e.message}\n`);
      return fail(EXIT.usage, e.message);
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`${pc.red('batchbook: internal error:')} ${message}\n`);
    if (process.env['BATCHBOOK_DEBUG'] && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return fail(EXIT.runtime, `internal error: ${message}`);
  }
}

const isEntry = process.argv[1] && /(?:cli[\\/]main\.js|bin[\\/]batchbook(\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`batchbook: ${String(e)}\n`);
      process.exitCode = EXIT.runtime;
    },
  );
}
