import { stringify } from 'yaml';
import type { Prng } from '../../samples/prng.js';
import type { CorpusCase } from './corpus.js';

/**
 * Every option value of every cleanse step (on_error reject / null, on_false drop / reject,
 * unmapped keep / null / reject, each thousands and decimal separator, currency on and off, date
 * and timestamp parsing with offsets, time zones across Europe's and America's DST changes), over
 * CSV sources read with every reader option: a Latin-1 file without header after two junk lines,
 * a pipe delimiter and '-' for NULL; a UTF-16 file quoting with apostrophes and escaping with a
 * backslash. Day 2's UTF-16 file is empty (its header only).
 */
const SOURCES = {
  legacy: {
    format: 'csv',
    path: 'legacy/ledger_{run_date}.txt',
    options: { header: false, skip_rows: 2, encoding: 'latin-1', delimiter: '|', null_values: ['', '-'] },
    schema: ['k', 'num', 'amt', 'when', 'flag', 'label'].map((name) => ({ name, type: 'string' })),
  },
  cities: {
    format: 'csv',
    path: 'cities/cities_{run_date}.csv',
    options: { quote: "'", escape: '\\', encoding: 'utf-16' },
    schema: ['k', 'city', 'ts', 'v'].map((name) => ({ name, type: 'string' })),
  },
};

const STAGES = [
  { name: 'raw_legacy', kind: 'ingest', source: 'legacy' },
  { name: 'raw_cities', kind: 'ingest', source: 'cities' },
  {
    name: 'casts',
    kind: 'cleanse',
    input: 'raw_legacy',
    steps: [
      { step: 'cast', columns: ['amt'], type: 'decimal(8,3)', on_error: 'null' },
      { step: 'cast', columns: ['flag'], type: 'boolean', on_error: 'null' },
      { step: 'cast', columns: ['num'], type: 'integer', on_error: 'reject' },
      { step: 'fill_null', columns: ['num'], value: 0 },
      { step: 'fill_null', columns: ['flag'], value: false },
      { step: 'fill_null', columns: ['amt'], value: 1.5 },
      { step: 'fill_null', columns: ['label'], value: 'none' },
    ],
  },
  {
    name: 'numbers',
    kind: 'cleanse',
    input: 'raw_legacy',
    steps: [
      { step: 'parse_number', column: 'amt', into: 'p_comma', thousands: ',', decimal: '.', type: 'double', currency: true, on_error: 'null' },
      { step: 'parse_number', column: 'amt', into: 'p_dot', thousands: '.', decimal: ',', type: 'decimal(12,2)', on_error: 'null' },
      { step: 'parse_number', column: 'amt', into: 'p_space', thousands: ' ', decimal: ',', currency: false, on_error: 'null' },
      { step: 'parse_number', column: 'amt', into: 'p_apos', thousands: "'", decimal: '.', type: 'integer', on_error: 'null' },
      { step: 'parse_number', column: 'num', into: 'p_plain', thousands: '', decimal: '.', type: 'decimal(20,2)', on_error: 'reject' },
    ],
  },
  {
    name: 'dates',
    kind: 'cleanse',
    input: 'raw_legacy',
    steps: [
      { step: 'parse_date', column: 'when', formats: ['%Y-%m-%d %H:%M'], timezone: 'Europe/Berlin', into: 't_berlin', on_error: 'null' },
      { step: 'parse_date', column: 'when', formats: ['%d.%m.%Y'], type: 'date', into: 'd_de', on_error: 'null' },
      { step: 'parse_date', column: 'when', formats: ['%Y-%m-%dT%H:%M:%S%z'], into: 't_offset', on_error: 'null' },
      { step: 'parse_date', column: 'when', formats: ['%Y-%m-%d %H:%M', '%d.%m.%Y'], timezone: 'America/New_York', type: 'timestamp', into: 't_ny', on_error: 'reject' },
    ],
  },
  {
    name: 'labels',
    kind: 'cleanse',
    input: 'raw_legacy',
    steps: [
      { step: 'derive', column: 'label_strict', expr: 'label' },
      { step: 'derive', column: 'label_known', expr: 'label' },
      { step: 'standardise', column: 'label', mapping: { nord: 'N', 'süd': 'S', ost: 'E' }, ignore_case: true, unmapped: 'keep' },
      { step: 'standardise', column: 'label_strict', mapping: { Nord: 'N', 'Süd': 'S' }, ignore_case: false, unmapped: 'null' },
      { step: 'case', columns: ['k'], to: 'lower' },
      { step: 'filter', expr: 'k IS NOT NULL', on_false: 'drop' },
      { step: 'filter', expr: "k <> 'a3'", on_false: 'reject' },
      { step: 'standardise', column: 'label_known', mapping: { nord: 'N', 'süd': 'S', 'öst': 'E', west: 'W' }, ignore_case: true, unmapped: 'reject' },
      { step: 'dedupe', keys: ['k'] },
    ],
  },
  {
    name: 'cities',
    kind: 'cleanse',
    input: 'raw_cities',
    steps: [
      { step: 'trim', columns: ['city'] },
      { step: 'case', columns: ['city'], to: 'upper' },
      { step: 'parse_date', column: 'ts', formats: ['%Y-%m-%d %H:%M:%S%z', '%Y-%m-%dT%H:%M:%S%z'], into: 'at', on_error: 'null' },
      { step: 'dedupe', keys: ['city'], order_by: [{ column: 'at', direction: 'asc' }] },
      { step: 'rename', columns: { v: 'value' } },
      { step: 'drop', columns: ['ts'] },
    ],
  },
  { name: 'casts_out', kind: 'output', input: 'casts', format: 'parquet', path: 'casts/{run_date}' },
  { name: 'numbers_out', kind: 'output', input: 'numbers', format: 'parquet', path: 'numbers/{run_date}' },
  { name: 'dates_out', kind: 'output', input: 'dates', format: 'parquet', path: 'dates/{run_date}' },
  { name: 'labels_out', kind: 'output', input: 'labels', format: 'csv', path: 'labels/{run_date}' },
  { name: 'cities_out', kind: 'output', input: 'cities', format: 'parquet', path: 'cities', partition_by: ['city'] },
];

const JUNK = 'report generated 2026-10-25 - système comptable\nk|num|amt|when|flag|label\n';

// Berlin's clocks went back at 03:00 on 2026-10-25 (02:30 happens twice) and forward at 02:00
// on 2026-03-29 (02:30 never happens); New York's forward at 02:00 on 2026-03-08.
const LEGACY_DAY1 = [
  'A1|12|1,234.56|2026-10-25 02:30|true|Nord',
  'A2| 7 |1.234,56|2026-03-29 02:30|TRUE|nord',
  "A3|x|1'234.5|25.10.2026|yes|Süd",
  'A4|-|£ 12,50|2026-10-25T01:30:00+02:00|false|süd',
  'A5|3.5|12 EUR|2026-03-08 02:30|-|ÖST',
  'A1|4|1 234,5|24.10.2026|t|Nord ',
  'A6|1e2|(5)|2026-13-01 10:00|0|west',
  'A7|9999999999999999999|-0,5|2026-10-25 03:00|1|',
  '|5|0|2026-10-25 00:00|false|Nord',
  'A8|2|12.345,678|2026-02-29 10:00|f|Ouest',
  'A9|2|1.5.5|2026-10-25 02:00|true|Nord|extra field',
];

const CITIES_HEADER = 'k,city,ts,v\n';
const CITIES_DAY1 = `${CITIES_HEADER}'b1','Köln, Altstadt','2026-10-25 02:30:00+02','it\\'s'
'b2','  Paris ','2026-10-25T00:30:00Z','x'
'b3','Köln, Altstadt','2026-10-25 01:30:00+01','y'
b4,'Zürich',not a time,'a,b'
'b5','  paris','2026-03-29 01:59:59+01',''
`;

/** Seeded extra ledger lines: amounts and dates in every shape the steps read. */
function ledgerLines(rng: Prng, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(
      [
        `R${rng.between(1, 6)}`,
        rng.pick(['1', '-2', ' 3', '4.0', '', 'x', '12,000']),
        rng.pick(['1,000.5', '1.000,5', "2'500", '3 000', '£7', '8 GBP', '-', '0.001', '1e3', '9.99']),
        rng.pick(['2026-10-25 02:59', '2026-10-25 03:00', '2026-03-29 02:00', '2026-03-29 03:00', '29.02.2024', '2026-03-08 02:00', '31.04.2026', '']),
        rng.pick(['true', 'False', 'n', 'yes', '-']),
        rng.pick(['Nord', 'NORD', 'süd', 'Öst', 'West', '?']),
      ].join('|'),
    );
  }
  return out;
}

export function cleanseVariantsCase(rng: Prng): CorpusCase {
  return {
    name: 'cleanse_variants',
    description: 'every option value of every cleanse step, every CSV reader option and encoding, DST gaps and overlaps',
    spec: stringify({ version: 1, name: 'cleanse_variants', description: 'Every cleanse step option and CSV reader option (conformance corpus).', sources: SOURCES, stages: STAGES }),
    days: [
      {
        runDate: '2026-10-25',
        files: {
          'legacy/ledger_2026-10-25.txt': { text: `${JUNK}${[...LEGACY_DAY1, ...ledgerLines(rng, 12)].join('\n')}\n`, encoding: 'latin1' },
          'cities/cities_2026-10-25.csv': { text: CITIES_DAY1, encoding: 'utf16' },
        },
        expect: { exitCode: 0, published: true, failing: [] },
      },
      {
        runDate: '2026-10-26',
        files: {
          'legacy/ledger_2026-10-26.txt': { text: `${JUNK}${ledgerLines(rng, 6).join('\n')}\n`, encoding: 'latin1' },
          'cities/cities_2026-10-26.csv': { text: CITIES_HEADER, encoding: 'utf16' },
        },
        expect: { exitCode: 0, published: true, failing: [] },
      },
    ],
  };
}
