import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { quoteString } from '../../core/compile/sql.js';

/**
 * A flights-shaped dataset for the scale benchmarks: one Parquet fact file (date, carrier,
 * origin, destination, departure delay, distance) and an airports CSV dimension, seeded and
 * deterministic. Realistic shape: origins follow a steep power law (a few hubs carry most
 * flights), delays are skewed with a long tail, 2 % of delays are missing (cancelled flights).
 * A few bad rows on purpose: ~1 % of origins padded and lower-cased (the cleanse fixes them),
 * 1 in 10,000 with no origin (rejected by a not_null rule), 1 in 10,000 with an origin that is
 * no airport (a relationship warning; the inner join drops them), and one airport whose
 * latitude is not a number (rejected on ingest).
 *
 * Values come from DuckDB's hash() of the row number and the seed, so generation runs in
 * parallel and gives the same files every time (same DuckDB version).
 */
export const AIRPORTS = 360;
const STATES = ['AK', 'AL', 'AR', 'AZ', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS', 'KY', 'LA', 'MA', 'MD', 'ME', 'MI', 'MN', 'MO', 'MS', 'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV', 'NY', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VA', 'VT', 'WA', 'WI', 'WV', 'WY'];
const CARRIERS = ['AA', 'AS', 'B6', 'DL', 'F9', 'G4', 'HA', 'NK', 'OO', 'UA', 'WN', 'YX'];

/** The airport code of index i: three letters, scattered over AAA..ZZZ (never ZZZ itself). */
const letter = (n: string) => `chr(CAST(65 + ${n} % 26 AS INTEGER))`;
const code = (i: string) => `(SELECT ${letter('k // 676')} || ${letter('k // 26')} || ${letter('k')} FROM (SELECT (${i} * 7919 + 101) % 17575 AS k))`;

export function flightsGeneratorSql(rows: number, seed: number, dataDir: string): string[] {
  const h = (salt: number) => `hash(i, ${seed}, ${salt})`;
  const u = (salt: number) => `((${h(salt)} % 1000000) / 1000000.0)`;
  const states = `[${STATES.map(quoteString).join(', ')}]`;
  const carriers = `[${CARRIERS.map(quoteString).join(', ')}]`;
  return [
    `CREATE OR REPLACE TABLE gen_airports AS
SELECT i AS idx, ${code('i')} AS iata, 'Airport ' || i AS name, 'City ' || (i % 97) AS city,
       ${states}[1 + CAST(${h(1)} % ${STATES.length} AS INTEGER)] AS state,
       round(25 + ${u(2)} * 24, 4) AS lat, round(-124 + ${u(3)} * 57, 4) AS lon
FROM range(${AIRPORTS}) t(i)`,
    `COPY (SELECT iata, name, city, state, CASE WHEN idx = 17 THEN 'n/a' ELSE CAST(lat AS VARCHAR) END AS lat, lon FROM gen_airports ORDER BY idx)
TO ${quoteString(join(dataDir, 'airports.csv'))} (FORMAT csv, HEADER true)`,
    `COPY (
SELECT f.flight_date, f.carrier,
       CASE WHEN f.bad = 1 THEN NULL WHEN f.bad = 2 THEN 'ZZZ' WHEN f.pad THEN ' ' || lower(o.iata) || ' ' ELSE o.iata END AS origin,
       d.iata AS dest, f.dep_delay, f.distance
FROM (
  SELECT i, DATE '2019-01-01' + CAST(${h(4)} % 1826 AS INTEGER) AS flight_date,
         ${carriers}[1 + CAST(${h(5)} % ${CARRIERS.length} AS INTEGER)] AS carrier,
         CAST(floor(${AIRPORTS} * pow(${u(6)}, 3)) AS INTEGER) AS o_idx,
         CAST(floor(${AIRPORTS} * pow(${u(7)}, 2)) AS INTEGER) AS d_idx,
         CASE WHEN ${h(8)} % 50 = 0 THEN NULL ELSE CAST(floor(-12 + 240 * pow(${u(9)}, 4)) AS INTEGER) END AS dep_delay,
         CAST(80 + ${h(10)} % 2700 AS INTEGER) AS distance,
         CASE ${h(11)} % 10000 WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 0 END AS bad,
         ${h(12)} % 100 = 0 AS pad
  FROM range(${rows}) t(i)
) f JOIN gen_airports o ON o.idx = f.o_idx JOIN gen_airports d ON d.idx = f.d_idx
ORDER BY f.flight_date, f.i
) TO ${quoteString(join(dataDir, 'flights', 'flights.parquet'))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
  ];
}

/** The pipeline the issue describes: ingest both, cleanse, validate, join, aggregate, one Parquet output. */
export const FLIGHTS_SPEC = `version: 1
name: flights_by_state
description: Departure delays per state and month, from a flights fact file and an airports dimension.
parameters:
  run_date: { type: date, default: "2024-12-31" }
sources:
  flights:
    format: parquet
    path: flights/*.parquet
    schema:
      - { name: flight_date, type: date }
      - { name: carrier, type: string }
      - { name: origin, type: string }
      - { name: dest, type: string }
      - { name: dep_delay, type: integer }
      - { name: distance, type: integer }
  airports:
    format: csv
    path: airports.csv
    schema:
      - { name: iata, type: string }
      - { name: name, type: string }
      - { name: city, type: string }
      - { name: state, type: string }
      - { name: lat, type: double }
      - { name: lon, type: double }
stages:
  - { name: raw_flights, kind: ingest, source: flights }
  - { name: raw_airports, kind: ingest, source: airports }
  - name: clean_flights
    kind: cleanse
    input: raw_flights
    steps:
      - { step: trim, columns: [origin, dest] }
      - { step: case, columns: [origin, dest], to: upper }
      - { step: derive, column: year_month, expr: "concat(CAST(year(flight_date) AS string), '-', lpad(CAST(month(flight_date) AS string), 2, '0'))" }
      - { step: derive, column: is_late, expr: "dep_delay > 15" }
  - name: clean_airports
    kind: cleanse
    input: raw_airports
    steps:
      - { step: trim, columns: [iata, state] }
      - { step: case, columns: [iata], to: upper }
  - name: checked_airports
    kind: validate
    input: clean_airports
    rules:
      - { rule: unique, columns: [iata] }
      - { rule: not_null, columns: [iata, state] }
  - name: checked_flights
    kind: validate
    input: clean_flights
    rules:
      - { rule: not_null, columns: [origin], severity: warn, action: reject }
      - { rule: relationship, columns: [origin], to: checked_airports, to_columns: [iata], severity: warn, action: warn }
      - { rule: row_count, min: 1 }
  - name: flights_airports
    kind: join
    type: inner
    left: checked_flights
    right: checked_airports
    on: [{ left: origin, right: iata }]
  - name: delays_by_state_month
    kind: aggregate
    input: flights_airports
    group_by: [state, year_month]
    measures:
      - { name: flights, fn: count }
      - { name: avg_delay, fn: avg, column: dep_delay }
      - { name: late, fn: sum, expr: "CASE WHEN is_late THEN 1 ELSE 0 END" }
  - name: delays
    kind: output
    input: delays_by_state_month
    format: parquet
    path: delays_by_state_month
`;

/** A flights project (pipeline.yaml + data/) of `rows` rows under dir, generated once and kept. */
export async function flightsProject(dir: string, rows: number, seed = 20261203): Promise<string> {
  const marker = join(dir, '.generated');
  const want = `${rows}:${seed}:${FLIGHTS_SPEC.length}`;
  if (await readFile(marker, 'utf8').then((s) => s === want, () => false)) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'data', 'flights'), { recursive: true });
  process.stderr.write(`generating flights: ${rows.toLocaleString('en-US')} rows…\n`);
  const engine = await NodeDuckdbEngine.open({ memoryLimit: '4GB', tempDirectory: join(dir, '.gen-tmp') });
  try {
    for (const sql of flightsGeneratorSql(rows, seed, join(dir, 'data'))) await engine.exec(sql);
  } finally {
    engine.close();
  }
  await rm(join(dir, '.gen-tmp'), { recursive: true, force: true });
  await writeFile(join(dir, 'pipeline.yaml'), FLIGHTS_SPEC);
  await writeFile(marker, want);
  return dir;
}
