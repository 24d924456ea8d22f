import { describe, expect, it } from 'vitest';
import { paramValuesWithFiles } from './paramValuesWithFiles.js';

const inbox = ['pos/orders_2026-11-24.csv', 'pos/orders_2026-11-25.csv', 'psp/settlements_2026-11-24.ndjson', 'pos/readme.txt', 'eu/pos/orders_2026-11-26.csv'];

describe('paramValuesWithFiles', () => {
  it('lists the run dates that have files for a source', () => {
    expect(paramValuesWithFiles('pos/orders_{run_date}.csv', 'run_date', { run_date: '2026-12-01' }, inbox)).toEqual(['2026-11-24', '2026-11-25']);
    expect(paramValuesWithFiles('psp/settlements_{run_date}.ndjson', 'run_date', { run_date: '2026-12-01' }, inbox)).toEqual(['2026-11-24']);
  });
  it('keeps the other parameters and globs of the path', () => {
    expect(paramValuesWithFiles('{region}/pos/orders_{run_date}.csv', 'run_date', { region: 'eu', run_date: 'x' }, inbox)).toEqual(['2026-11-26']);
    expect(paramValuesWithFiles('**/orders_{run_date}.csv', 'run_date', {}, inbox)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
  });
  it('is empty for a path without the parameter', () => expect(paramValuesWithFiles('pos/*.csv', 'run_date', {}, inbox)).toEqual([]));
});
