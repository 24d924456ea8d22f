import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeExport } from './exportProject.js';

describe('writeExport', () => {
  it('replaces written targets, removes the folders of refused ones, leaves targets not asked for', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bb-export-'));
    for (const t of ['spark', 'beam', 'dbt']) {
      mkdirSync(join(out, t));
      writeFileSync(join(out, t, 'old.txt'), 'from the previous export');
    }
    await writeExport(out, { written: ['spark'], refused: ['beam'], files: [{ path: 'spark/job.py', content: 'new' }] });
    expect(readFileSync(join(out, 'spark', 'job.py'), 'utf8')).toBe('new');
    expect(existsSync(join(out, 'spark', 'old.txt'))).toBe(false);
    // a refused re-export must not leave the last good beam/ for a DAG or a person to pick up
    expect(existsSync(join(out, 'beam'))).toBe(false);
    expect(readFileSync(join(out, 'dbt', 'old.txt'), 'utf8')).toBe('from the previous export');
  });
});
