import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleIndex, sampleTitle } from './samplesPlugin';

describe('the bundled samples index', () => {
  it('titles samples the way people write them', () => {
    expect(sampleTitle('ml-history')).toBe('ML History');
    expect(sampleTitle('nightly-reconciliation')).toBe('Nightly Reconciliation');
    expect(sampleTitle('peak-sales')).toBe('Peak Sales');
    expect(sampleTitle('sql_to_etl')).toBe('SQL To ETL');
  });

  it('says how to generate a sample whose data is not there yet', () => {
    const root = mkdtempSync(join(tmpdir(), 'bb-samples-'));
    mkdirSync(join(root, 'ml-history', 'data', 'sales'), { recursive: true });
    writeFileSync(join(root, 'ml-history', 'pipeline.yaml'), 'version: 1\ndescription: "Five years of sales."\n');
    mkdirSync(join(root, 'peak-sales', 'data', 'pos'), { recursive: true });
    writeFileSync(join(root, 'peak-sales', 'pipeline.yaml'), 'version: 1\n');
    writeFileSync(join(root, 'peak-sales', 'data', 'pos', 'a.csv'), 'id\n1\n');
    mkdirSync(join(root, 'not-a-sample'));
    expect(sampleIndex(root)).toEqual([
      { id: 'ml-history', title: 'ML History', description: 'Five years of sales.', files: [], generate: 'npm run samples:generate -- --sample ml-history' },
      { id: 'peak-sales', title: 'Peak Sales', description: '', files: ['pos/a.csv'] },
    ]);
  });
});
