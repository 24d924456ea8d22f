import { describe, expect, it } from 'vitest';
import { countFileLines, lineSlices, sampleLines, WHOLE_FILE_BYTES } from './blobReads';

const blobOf = (s: string) => new Blob([s]);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function all(blob: Blob, slice: number): Promise<string[]> {
  const out: string[] = [];
  for await (const s of lineSlices(blob, slice)) out.push(text(s));
  return out;
}

describe('lineSlices', () => {
  it('cuts the file into slices of whole lines that join back to the file', async () => {
    const file = 'a,1\nbb,22\nccc,333\nd,4';
    const slices = await all(blobOf(file), 5);
    expect(slices.join('')).toBe(file);
    for (const s of slices.slice(0, -1)) expect(s.endsWith('\n')).toBe(true);
  });
  it('carries a line longer than a slice whole into a later slice', async () => {
    const slices = await all(blobOf('x\n0123456789\ny\nz\n'), 4);
    expect(slices.join('')).toBe('x\n0123456789\ny\nz\n');
    expect(slices[0]).toBe('x\n');
    expect(slices.some((s) => s.includes('0123456789\n'))).toBe(true);
  });
});

describe('countFileLines', () => {
  it('counts lines across slices, a last line without a break included', async () => {
    expect(await countFileLines(blobOf('a\nb\nc'), 2)).toBe(3);
    expect(await countFileLines(blobOf('a\nb\n'), 1)).toBe(2);
  });
});

describe('sampleLines', () => {
  it('reads a small file whole', async () => {
    const s = await sampleLines(blobOf('h\n1\n2\n'), 1);
    expect(s).toMatchObject({ whole: true, lines: 3, linesRead: 3 });
  });
  it('samples a large file as whole lines from its start to its end, estimating its lines', async () => {
    // 220,000 lines of 'NNNNNNN,xxx…\n' (40 bytes each) = 8.8 MB, past the whole-file limit
    const lines = 220_000;
    const body = Array.from({ length: lines }, (_, i) => `${String(1_000_000 + i)},${'x'.repeat(31)}\n`).join('');
    expect(body.length).toBeGreaterThan(WHOLE_FILE_BYTES);
    const s = await sampleLines(blobOf('id,v\n' + body), 20_000);
    expect(s.whole).toBe(false);
    const got = text(s.bytes).split('\n').filter((l) => l !== '');
    expect(got[0]).toBe('id,v');
    // every line whole, none twice, in file order
    const ids = got.slice(1).map((l) => Number(l.split(',')[0]));
    for (const l of got.slice(1)) expect(l).toMatch(/^\d{7},x{31}$/);
    for (let i = 1; i < ids.length; i++) expect(ids[i]!).toBeGreaterThan(ids[i - 1]!);
    // about the budget (less the lines cut at the windows' edges), from the file's first lines to its last
    expect(s.linesRead).toBeGreaterThan(19_000);
    expect(s.linesRead).toBeLessThanOrEqual(20_001);
    expect(ids[0]).toBe(1_000_000);
    expect(ids[ids.length - 1]).toBe(1_000_000 + lines - 1);
    // fixed-width lines (the short header aside): the estimate is within 0.1% of the true count
    expect(Math.abs(s.lines - (lines + 1))).toBeLessThanOrEqual(lines / 1000);
  }, 30_000);
});
