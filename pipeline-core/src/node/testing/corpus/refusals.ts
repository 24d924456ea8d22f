import { stringify } from 'yaml';
import type { CorpusCase } from './corpus.js';

const COLUMNS = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'qty', type: 'string' },
  { name: 'ratio', type: 'double' },
  { name: 'seen', type: 'string' },
];

function pipeline(name: string, description: string, stages: readonly Record<string, unknown>[], columns = COLUMNS): string {
  return stringify({
    version: 1,
    name,
    description,
    sources: { rows: { format: 'csv', path: 'rows/rows_{run_date}.csv', schema: columns } },
    stages: [{ name: 'raw_rows', kind: 'ingest', source: 'rows' }, ...stages, { name: 'rows_out', kind: 'output', input: 'clean', format: 'parquet', path: 'rows/{run_date}' }],
  });
}

/**
 * What the Spark export refuses (and the Airflow export with it, since its DAG submits the Spark
 * job): steps that stop the run on a bad value, a double written as text, a regexp_replace whose
 * replacement is not a literal, a parse_date code Java has no equivalent for. The other engines
 * run it: day 1 has only good values; on day 2 a bad value stops the run (exit 1) everywhere.
 */
export function sparkRefusalsCase(): CorpusCase {
  // one refused construct per stage: a target names the first refusal of each stage
  const steps: readonly Record<string, unknown>[] = [
    { step: 'cast', columns: ['qty'], type: 'integer', on_error: 'fail' },
    { step: 'parse_number', column: 'name', into: 'name_n', thousands: ',', on_error: 'fail' },
    { step: 'parse_date', column: 'd', formats: ['%d/%m/%Y'], type: 'date', on_error: 'fail' },
    { step: 'parse_date', column: 'seen', formats: ['%a %d %b %Y'], type: 'date', into: 'seen_day', on_error: 'null' },
    { step: 'derive', column: 'ratio_text', expr: 'CAST(ratio AS string)' },
    { step: 'derive', column: 'swapped', expr: "regexp_replace(name, '[0-9]', CAST(id AS string))" },
    { step: 'derive', column: 'dashed', expr: "regexp_replace(name, '[0-9]*', '-')" },
  ];
  const stages = steps.map((step, i) => ({ name: i === steps.length - 1 ? 'clean' : `c${i + 1}`, kind: 'cleanse', input: i === 0 ? 'raw_rows' : `c${i}`, steps: [step] }));
  const spec = pipeline('spark_refusals', 'Constructs the Spark export refuses (conformance corpus).', stages, [...COLUMNS, { name: 'd', type: 'string' }]);
  const header = 'id,name,qty,ratio,seen,d\n';
  return {
    name: 'spark_refusals',
    description: 'constructs the Spark (and so the Airflow) export refuses; run on the other engines',
    spec,
    refusals: [
      { target: 'spark', construct: 'step:cast:on_error=fail', message: 'cannot export cast with on_error: fail' },
      { target: 'spark', construct: 'step:parse_number:on_error=fail', message: 'cannot export parse_number with on_error: fail' },
      { target: 'spark', construct: 'step:parse_date:on_error=fail', message: 'cannot export parse_date with on_error: fail' },
      { target: 'spark', construct: 'date_format:%a', message: 'cannot export parse_date format code %a' },
      { target: 'spark', construct: 'cast:double->string', message: 'CAST of a double to string' },
      { target: 'spark', construct: 'function:regexp_replace', message: 'regexp_replace with a replacement that is not a string literal' },
      { target: 'spark', construct: 'function:regexp_replace', message: "regexp_replace with the pattern '[0-9]*', which can match the empty string" },
    ],
    days: [
      {
        runDate: '2026-05-01',
        files: { 'rows/rows_2026-05-01.csv': `${header}1,1234,5,0.1,Fri 01 May 2026,01/05/2026\n2,"1,000",,1e-7,Sat 02 May 2026,\n3,9,-3,-0.0,,31/12/1999\n4,,0,1e20,Mon 04 May 2026,29/02/2024\n` },
        expect: { exitCode: 0, published: true, failing: [] },
      },
      {
        runDate: '2026-05-02',
        files: { 'rows/rows_2026-05-02.csv': `${header}1,12,5,0.5,Sat 02 May 2026,02/05/2026\n2,13,five,2.5,Sat 02 May 2026,02/05/2026\n` },
        expect: { exitCode: 1, published: false },
      },
    ],
  };
}

/**
 * What the Beam export refuses: regular expressions using RE2 syntax Python's `re` reads
 * differently (a Unicode class here), in an expression and in a regex rule. DuckDB, dbt and
 * Spark (Java reads \p{L} as RE2 does) run it.
 */
export function beamRefusalsCase(): CorpusCase {
  const spec = pipeline('beam_refusals', 'Constructs the Beam export refuses (conformance corpus).', [
    { name: 'named', kind: 'cleanse', input: 'raw_rows', steps: [{ step: 'derive', column: 'wordy', expr: "regexp_matches(name, '^\\p{L}+$')" }] },
    { name: 'clean', kind: 'validate', input: 'named', rules: [{ name: 'letters', rule: 'regex', column: 'name', pattern: '\\p{L}+', severity: 'warn', action: 'reject' }] },
  ]);
  return {
    name: 'beam_refusals',
    description: 'constructs the Beam export refuses; run on the other engines',
    spec,
    refusals: [
      { target: 'beam', construct: 'function:regexp_matches', message: 'Unicode classes' },
      { target: 'beam', construct: 'rule:regex', message: "regex rule 'letters' with Unicode classes" },
    ],
    days: [
      {
        runDate: '2026-05-01',
        files: { 'rows/rows_2026-05-01.csv': 'id,name,qty,ratio,seen\n1,Ærø,1,1,x\n2,abc1,2,2,x\n3,,3,3,x\n4,Ωmega,4,4,x\n' },
        // 'abc1' has a digit: it fails the regex rule (warn, reject) and is rejected
        expect: { exitCode: 0, published: true, failing: ['clean.letters'] },
      },
    ],
  };
}

/**
 * A match stage carrying open items across run dates: the runner, the DuckDB script (state under
 * its output root) and dbt (state in incremental models) run it; Spark and Beam refuse it. Day 1 leaves
 * order 2 open, day 2's settlement clears it late (each corpus day runs on a fresh lake here; the
 * multi-day sequence is the engines suite's match conformance case).
 */
export function matchRefusalsCase(): CorpusCase {
  const spec = stringify({
    version: 1,
    name: 'match_refusals',
    description: 'A match stage carrying open items across nights: Beam refuses it (conformance corpus).',
    sources: {
      orders: { format: 'csv', path: 'orders/orders_{run_date}.csv', schema: [{ name: 'id', type: 'integer' }, { name: 'ref', type: 'string' }, { name: 'amount', type: 'decimal(10,2)' }] },
      settlements: { format: 'csv', path: 'settlements/settlements_{run_date}.csv', schema: [{ name: 'ref', type: 'string' }, { name: 'paid', type: 'decimal(10,2)' }] },
    },
    stages: [
      { name: 'raw_orders', kind: 'ingest', source: 'orders' },
      { name: 'raw_settlements', kind: 'ingest', source: 'settlements' },
      { name: 'settle', kind: 'match', left: 'raw_orders', right: 'raw_settlements', keys: [{ left: 'ref', right: 'ref', normalise: ['upper'] }], amount: { left: 'amount', right: 'paid' }, open_items: { max_age_days: 1, severity: 'warn' } },
      { name: 'matched_out', kind: 'output', input: 'settle.matched', format: 'parquet', path: 'matched/{run_date}' },
    ],
  });
  return {
    name: 'match_refusals',
    description: 'a match stage with open items carried across nights; the runner, the DuckDB script, dbt and Spark run it, Beam refuses it',
    spec,
    refusals: [{ target: 'beam', construct: 'stage:match', message: 'cannot export match stage' }],
    days: [
      {
        runDate: '2026-05-01',
        files: { 'orders/orders_2026-05-01.csv': 'id,ref,amount\n1,A,10.00\n2,B,20.00\n', 'settlements/settlements_2026-05-01.csv': 'ref,paid\na,10.00\n' },
        expect: { exitCode: 0, published: true, failing: [] },
      },
      {
        runDate: '2026-05-02',
        files: { 'orders/orders_2026-05-02.csv': 'id,ref,amount\n3,C,5.00\n', 'settlements/settlements_2026-05-02.csv': 'ref,paid\nb,20.00\nc,5.00\n' },
        expect: { exitCode: 0, published: true, failing: [] },
      },
    ],
  };
}
