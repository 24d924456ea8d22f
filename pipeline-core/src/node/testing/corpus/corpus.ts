import type { ExportTarget } from '../../../core/export/targets.js';
import { Prng } from '../../samples/prng.js';
import { everyStageCase } from './everyStage.js';
import { everyRuleCase } from './everyRule.js';
import { expressionsCase } from './expressions.js';
import { regexAndLayoutCase } from './regexAndLayout.js';
import { cleanseVariantsCase } from './cleanseVariants.js';
import { sparkRefusalsCase, beamRefusalsCase, matchRefusalsCase } from './refusals.js';

/**
 * The conformance corpus: a small set of generated pipelines and their raw data that together use
 * every construct of exportConstructs() (corpus.test.ts checks it), run by the engines suite
 * (e2e/engines) through `batchbook run` and every exported engine. Each case pins the refusals
 * the targets must give for it (a target that refuses a case does not run it). The data is
 * awkward on purpose (NULLs, duplicates, ragged lines, bad values, DST gaps and overlaps, decimal
 * edges, empty files); a seed varies its bulk rows, the hand-picked awkward rows are always there.
 */
export interface CorpusCase {
  readonly name: string;
  readonly description: string;
  /** pipeline.yaml */
  readonly spec: string;
  readonly days: readonly CorpusDay[];
  /** The refusals each target must give (a target listed here writes nothing for the case). */
  readonly refusals?: readonly CorpusRefusal[];
}

export interface CorpusDay {
  readonly runDate: string;
  /** Inbox files (relative to data/): UTF-8 text, text in another encoding, or Parquet made by a DuckDB query. */
  readonly files: Readonly<Record<string, string | EncodedFile | ParquetFile>>;
  /** What the runner must do that day, worked out by hand from the data (checked by the suite). */
  readonly expect: DayExpectation;
}

export interface EncodedFile {
  readonly text: string;
  /** utf16: little-endian with a byte order mark. */
  readonly encoding: 'latin1' | 'utf16';
}

export interface ParquetFile {
  /** A DuckDB SELECT giving the file's rows (column types as written). */
  readonly parquet: string;
}

export interface DayExpectation {
  readonly exitCode: 0 | 1 | 3;
  readonly published: boolean;
  /** Rule names (stage.rule) that fail; the others pass. Omitted for a run that errors. */
  readonly failing?: readonly string[];
}

export interface CorpusRefusal {
  readonly target: ExportTarget;
  /** The construct id (constructs.ts) refused. */
  readonly construct: string;
  /** Text the refusal (formatRefusal) contains. */
  readonly message: string;
}

export const DEFAULT_CORPUS_SEED = 20260308;

export function generateCorpus(seed = DEFAULT_CORPUS_SEED): CorpusCase[] {
  const rng = new Prng(seed);
  return [everyStageCase(rng), everyRuleCase(rng), expressionsCase(), cleanseVariantsCase(rng), sparkRefusalsCase(), beamRefusalsCase(), matchRefusalsCase(), regexAndLayoutCase()];
}

/** Targets that refuse a case: its refusals' targets, plus airflow whenever spark refuses. */
export function refusingTargets(c: CorpusCase): Set<ExportTarget> {
  const t = new Set((c.refusals ?? []).map((r) => r.target));
  if (t.has('spark')) t.add('airflow');
  return t;
}
