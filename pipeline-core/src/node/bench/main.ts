import { Command } from 'commander';
import { benchRunner } from './runnerBench.js';
import { benchBackfill } from '../ops/backfill.bench.js';

/**
 * `npm run bench`: performance figures as ratios against a baseline run in the same process —
 * not timed tests. BENCH_SCALE (default 500 = 10 million rows) sizes the ml-history data.
 */
const program = new Command('bench')
  .option('--scale <n>', 'ml-history scale (20,000 rows each)', (v) => Number(v), Number(process.env['BENCH_SCALE'] ?? 500))
  .option('--memory-limit <size>', 'DuckDB memory limit for both sides', '2GB')
  .option('--only <which>', 'runner | backfill')
  .action(async (opts: { scale: number; memoryLimit: string; only?: string }) => {
    if (!opts.only || opts.only === 'runner') await benchRunner(opts.scale, opts.memoryLimit);
    if (!opts.only || opts.only === 'backfill') await benchBackfill(opts.scale);
  });
await program.parseAsync(process.argv);
