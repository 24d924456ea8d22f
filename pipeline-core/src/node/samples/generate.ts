// Sample data generator.
//   node pipeline-core/dist/node/samples/generate.js [--sample ml-history|peak-sales|nightly-reconciliation|all]
//        [--scale N] [--seed S] [--out DIR]
// Files go to <DIR>/<sample>/data/... (DIR defaults to the repository's samples/ directory).
// Same (sample, seed, scale) -> byte-identical files.

import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { generateMlHistory } from './ml-history.js';
import { generateNightlyReconciliation } from './nightly-reconciliation.js';
import { generatePeakSales } from './peak-sales.js';

export const SAMPLE_NAMES = ['ml-history', 'peak-sales', 'nightly-reconciliation'] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];
export const DEFAULT_SEED = 20261127;
export const MAX_SCALE = 100_000;

export interface GenerateOptions {
  /** row-count multiplier (positive integer); ignored by nightly-reconciliation. Default 1. */
  scale?: number;
  /** PRNG seed (integer 0..4294967295); ignored by nightly-reconciliation. Default DEFAULT_SEED. */
  seed?: number;
  /** directory holding one folder per sample; default: the repository's samples/ directory */
  outDir?: string;
}

/** A bad argument from the user: reported without a stack trace. */
export class SampleUsageError extends Error {}

/** The repository's samples/ directory (this file lives in pipeline-core/{src,dist}/node/samples/). */
export function defaultSamplesDir(): string {
  return fileURLToPath(new URL('../../../../samples/', import.meta.url));
}

function checkScale(scale: number): number {
  if (!Number.isSafeInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new SampleUsageError(`scale must be an integer from 1 to ${MAX_SCALE}, got ${String(scale)}`);
  }
  return scale;
}

function checkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new SampleUsageError(`seed must be an integer from 0 to 4294967295, got ${String(seed)}`);
  }
  return seed;
}

function isSampleName(name: string): name is SampleName {
  return (SAMPLE_NAMES as readonly string[]).includes(name);
}

/** Generate one sample's raw files; returns the absolute paths written. */
export async function generateSample(name: SampleName, options: GenerateOptions = {}): Promise<string[]> {
  if (!isSampleName(name)) throw new SampleUsageError(`unknown sample ${JSON.stringify(name)}; expected one of ${SAMPLE_NAMES.join(', ')}`);
  const scale = checkScale(options.scale ?? 1);
  const seed = checkSeed(options.seed ?? DEFAULT_SEED);
  const sampleDir = resolve(options.outDir ?? defaultSamplesDir(), name);
  switch (name) {
    case 'ml-history': return generateMlHistory(sampleDir, seed, scale);
    case 'peak-sales': return generatePeakSales(sampleDir, seed, scale);
    case 'nightly-reconciliation': return generateNightlyReconciliation(sampleDir);
  }
}

function parseIntArg(what: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${what} must be a whole number.`);
    return Number(value);
  };
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = new Command()
    .name('generate')
    .description('Generate the raw data of Batchbook sample projects (deterministic for a given seed and scale).')
    .addOption(new Option('--sample <name>', 'which sample').choices([...SAMPLE_NAMES, 'all']).default('ml-history'))
    .option('--scale <n>', `row-count multiplier, 1..${MAX_SCALE} (ml-history: 20,000 x N rows; peak-sales: orders/day x N)`, parseIntArg('--scale'), 1)
    .option('--seed <s>', 'PRNG seed, 0..4294967295', parseIntArg('--seed'), DEFAULT_SEED)
    .option('--out <dir>', 'directory holding one folder per sample (default: the repository samples/ directory)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const opts = program.opts<{ sample: SampleName | 'all'; scale: number; seed: number; out?: string }>();
  const names: SampleName[] = opts.sample === 'all' ? [...SAMPLE_NAMES] : [opts.sample];
  try {
    checkScale(opts.scale);
    checkSeed(opts.seed);
    for (const name of names) {
      const started = Date.now();
      if (name === 'nightly-reconciliation' && (opts.scale !== 1 || opts.seed !== DEFAULT_SEED)) {
        process.stderr.write('note: nightly-reconciliation is hand-crafted; --scale and --seed do not apply to it\n');
      }
      const files = await generateSample(name, { scale: opts.scale, seed: opts.seed, outDir: opts.out });
      process.stdout.write(`${name}: wrote ${files.length} files to ${resolve(opts.out ?? defaultSamplesDir(), name, 'data')} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof SampleUsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EACCES' || e.code === 'ENOENT' || e.code === 'ENOTDIR' || e.code === 'EROFS' || e.code === 'ENOSPC') {
      process.stderr.write(`error: cannot write sample files: ${e.message}\n`);
      return 1;
    }
    throw err;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
