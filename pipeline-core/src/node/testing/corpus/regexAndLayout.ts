import { stringify } from 'yaml';
import { REGEX_PROBES } from '../../../core/export/support/constructs.js';
import type { CorpusCase } from './corpus.js';

/**
 * The regex dialect run on real rows on every engine, and the files engines must lay out alike.
 *
 * Every regex probe of the support matrix the dialect accepts (not `(?<name>…)`, which RE2 does
 * not read; `\p{L}` runs in the Beam refusals case, since Python's re has no Unicode classes),
 * plus POSIX classes, in regexp_matches / regexp_extract / regexp_replace and in regex rules,
 * over texts that tell the dialects apart: an Arabic-Indic digit and an accented letter (\d \w
 * are ASCII in RE2, Unicode in Python), 'a{,3}' (literal text in RE2, a quantifier in Python, an
 * error in Java), a trailing newline-free 'k' for `$`, letters for [[:alpha:]] (a set of the
 * letters ':', 'a', 'l', 'p', 'h' in Java). The output is Parquet partitioned by a location with
 * a space, a '/', a non-ASCII letter and NULL, and holds a timestamp column.
 */
export const REGEX_CASE_PATTERNS: readonly string[] = [
  ...REGEX_PROBES.map((p) => p.pattern).filter((p) => !p.startsWith('(?<') && !p.includes('\\p') && p !== 'x*'),
  '^[[:alpha:]]+$',
  '[[:lower:]]',
  '^[[:upper:][:digit:]]+$',
  '[[:punct:]]',
  '[[:space:]]',
  '^a{,3}$',
  'k$',
  '^.{3}$',
  '[^[:alnum:] ]',
  '\\x41',
  '^[\\w.]+$',
];

const ROWS = `id,txt,location,at
1,New York,New York,2026-03-08 10:30:00
2,abc,a/b,2026-03-08 23:59:59.5
3,ABC12,Zürich,2026-03-08 00:00:00
4,"a{,3}",,2026-03-08 12:00:00
5,aaaa,plain,2026-03-08 12:00:01
6,x1 y2,New York,2026-03-08 01:02:03
7,é,Zürich,2026-03-08 04:05:06
8,٣,plain,2026-03-08 07:08:09
9,a.b,a/b,
10,"tab\there",New York,2026-03-08 18:00:00
11,,plain,2026-03-08 19:00:00
12,word Y,,2026-03-08 20:00:00
`;

function spec(): string {
  const lit = (p: string) => `'${p.replaceAll("'", "''")}'`;
  const steps = REGEX_CASE_PATTERNS.flatMap((p, i) => [
    { step: 'derive', column: `m${String(i + 1).padStart(2, '0')}`, expr: `regexp_matches(txt, ${lit(p)})` },
    { step: 'derive', column: `e${String(i + 1).padStart(2, '0')}`, expr: `regexp_extract(txt, ${lit(p)})` },
  ]);
  steps.push(
    { step: 'derive', column: 'r01', expr: "regexp_replace(txt, '[^[:alnum:]]', '-')" },
    { step: 'derive', column: 'r02', expr: "regexp_replace(txt, '\\s+', '_')" },
    { step: 'derive', column: 'r03', expr: "regexp_extract(txt, '(?P<first>[[:alpha:]]+?)[[:digit:]]', 1)" },
    { step: 'derive', column: 'r04', expr: "regexp_replace(txt, '\\bY', 'y')" },
  );
  return stringify({
    version: 1,
    name: 'regex_and_layout',
    description: 'The regex dialect on real rows, partition folders and Parquet timestamps (conformance corpus).',
    parameters: { run_date: { type: 'date', default: '2026-03-08' } },
    sources: {
      texts: {
        format: 'csv',
        path: 'texts/texts_{run_date}.csv',
        schema: [
          { name: 'id', type: 'integer' },
          { name: 'txt', type: 'string' },
          { name: 'location', type: 'string' },
          { name: 'at', type: 'timestamp' },
        ],
      },
    },
    stages: [
      { name: 'raw_texts', kind: 'ingest', source: 'texts' },
      { name: 'matched', kind: 'cleanse', input: 'raw_texts', steps },
      {
        name: 'checked',
        kind: 'validate',
        input: 'matched',
        rules: [
          { name: 'letters', rule: 'regex', column: 'txt', pattern: '[[:alpha:] ]+', severity: 'warn', action: 'warn' },
          { name: 'lower_word', rule: 'regex', column: 'txt', pattern: '(?P<w>[[:lower:]]+)( [A-Za-z]+)?', severity: 'warn', action: 'reject' },
          { name: 'at_most_3', rule: 'regex', column: 'txt', pattern: 'a{,3}|[^a]+', severity: 'warn', action: 'warn' },
        ],
      },
      { name: 'by_location', kind: 'output', input: 'matched', format: 'parquet', path: 'by_location', partition_by: ['location'] },
      { name: 'kept', kind: 'output', input: 'checked', format: 'parquet', path: 'kept/{run_date}' },
    ],
  });
}

export function regexAndLayoutCase(): CorpusCase {
  return {
    name: 'regex_and_layout',
    description: 'every regex construct of the dialect on real rows; partition folders with spaces, / and NULL; Parquet timestamps',
    spec: spec(),
    days: [{ runDate: '2026-03-08', files: { 'texts/texts_2026-03-08.csv': ROWS }, expect: { exitCode: 0, published: true } }],
  };
}
