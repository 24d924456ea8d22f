import { Command } from 'commander';
import { benchRunner } from './runnerBench.js';

/**
 * `npm run bench`: performance figures as ratios against a baseline run in the same process —
 * not timed tests. BENCH_SCALE (default 500 = 10 million rows) sizes the ml-history data.
 */
const program = new Command('bench')
  .option('--scale <n>', 'ml-history scale (20,000 rows each)', (v) => Number(v), Number(process.env['BENCH_SCALE'] ?? 500))
  .option('--memory-limit <size>', 'DuckDB memory limit for both sides', '2GB')
  .action(async (opts: { scale: number; memoryLimit: string }) => {
    await benchRunner(opts.scale, opts.memoryLimit);
  });
await program.parseAsync(process.argv);
