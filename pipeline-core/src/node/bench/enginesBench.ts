import { execFile, spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { REPO_ROOT } from '../testing/fixtures.js';
import { FLIGHTS_SPEC, flightsProject } from './flights.js';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'pipeline-core', 'bin', 'batchbook.js');
const PYTHON = join(REPO_ROOT, 'e2e', '.venv', 'bin', 'python');
const DRIVER = join(REPO_ROOT, 'e2e', 'engines', 'py', 'bench_engines.py');

/**
 * The flights pipeline with its output partitioned by month (year_month=2019-01/…), so the
 * engines' partitioned writes are part of what is measured. Derived from FLIGHTS_SPEC, not copied:
 * the generated data and every other stage stay the runner bench's.
 */
export const FLIGHTS_PARTITIONED_SPEC = FLIGHTS_SPEC.replace(/(\n {4}path: delays_by_state_month\n)$/, '$1    partition_by: [year_month]\n');

/**
 * `npm run bench:engines`: generates the seeded flights project (3M rows by default), exports it
 * to PySpark and Beam, and has e2e/engines/py/bench_engines.py run the runner, local Spark and
 * Beam's DirectRunner side by side (wall, peak RSS, ratios, aims, output equality). Not in CI.
 */
const program = new Command('bench:engines')
  .option('--rows <n>', 'flights rows', (v) => Number(v), 3_000_000)
  .option('--only <engine>', 'spark | beam (the runner always runs: it is the baseline)')
  .option('--beam-workers <n>', 'DirectRunner --direct_num_workers', '2')
  .option('--beam-mode <mode>', 'DirectRunner --direct_running_mode: multi_threading | multi_processing | in_memory', 'multi_threading')
  .option('--driver-memory <size>', 'Spark driver memory', '1536m')
  .action(async (opts: { rows: number; only?: string; beamWorkers: string; beamMode: string; driverMemory: string }) => {
    if (!Number.isInteger(opts.rows) || opts.rows < 1) throw new Error(`--rows: expected a positive whole number, got ${opts.rows}`);
    if (FLIGHTS_PARTITIONED_SPEC === FLIGHTS_SPEC) throw new Error('flights.ts: the output stage changed; cannot add partition_by to it');
    const dir = await flightsProject(join(REPO_ROOT, '.bench', `engines-flights-${opts.rows}`), opts.rows);
    await writeFile(join(dir, 'pipeline.yaml'), FLIGHTS_PARTITIONED_SPEC);
    const exportDir = join(dir, 'export');
    await rm(exportDir, { recursive: true, force: true });
    for (const target of ['spark', 'beam']) {
      await run(process.execPath, [CLI, 'export', dir, '--target', target, '--out', exportDir, '--no-preview'], { maxBuffer: 64 << 20 }).catch((e: { stderr?: string }) => {
        throw new Error(`export --target ${target} failed: ${e.stderr ?? String(e)}`);
      });
    }
    const args = [DRIVER, dir, '--beam-workers', opts.beamWorkers, '--beam-mode', opts.beamMode, '--driver-memory', opts.driverMemory];
    if (opts.only) args.push('--only', opts.only);
    const code = await new Promise<number>((resolve, reject) => {
      spawn(PYTHON, args, { stdio: 'inherit' }).on('error', reject).on('exit', (c) => resolve(c ?? 1));
    });
    process.exitCode = code;
  });
await program.parseAsync(process.argv);
