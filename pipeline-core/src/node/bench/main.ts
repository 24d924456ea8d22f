import { Command } from 'commander';
import { benchRunner } from './runnerBench.js';
import { benchFlightsScaling } from './flightsBench.js';
import { benchBackfill } from '../ops/backfill.bench.js';
import { benchMatch } from './matchBench.js';

/**
 * `npm run bench`: performance figures as ratios against a baseline run in the same process (or
 * alternated child processes) — not timed tests. BENCH_SCALE (default 500 = 10 million rows)
 * sizes the ml-history data; BENCH_FLIGHTS the two flights sizes (default 3M and 30M rows).
 */
const program = new Command('bench')
  .option('--scale <n>', 'ml-history scale (20,000 rows each)', (v) => Number(v), Number(process.env['BENCH_SCALE'] ?? 500))
  .option('--flights <small,large>', 'flights rows: two sizes (or one, without the growth check)', process.env['BENCH_FLIGHTS'] ?? '3000000,30000000')
  .option('--reps <n>', 'alternated repetitions per side (medians)', (v) => Number(v), Number(process.env['BENCH_REPS'] ?? 5))
  .option('--memory-limit <size>', 'DuckDB memory limit for both sides', '2GB')
  .option('--match-rows <n>', 'orders and settlements of the match benchmark', (v) => Number(v), Number(process.env['BENCH_MATCH'] ?? 1_000_000))
  .option('--only <which>', 'flights | runner | backfill | match')
  .action(async (opts: { scale: number; flights: string; reps: number; memoryLimit: string; matchRows: number; only?: string }) => {
    if (!opts.only || opts.only === 'flights') {
      const [small, large] = opts.flights.split(',').map(Number);
      await benchFlightsScaling(small!, large, opts.reps);
    }
    if (!opts.only || opts.only === 'runner') await benchRunner(opts.scale, opts.memoryLimit, Math.min(opts.reps, 3));
    if (!opts.only || opts.only === 'backfill') await benchBackfill(opts.scale);
    if (!opts.only || opts.only === 'match') await benchMatch(opts.matchRows, opts.reps);
  });
await program.parseAsync(process.argv);
