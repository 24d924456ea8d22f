import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDir, tempDir } from '../testing/fixtures.js';
import { commitRun, type CommitUnit } from './commitRun.js';

/**
 * What one commit costs on a lake that holds many units: the revert of the first one-commit
 * layout came from commits that re-linked every partition of the lake (quadratic over a
 * five-year backfill). Counted in links and folders made, not in seconds, so the test holds on
 * a loaded machine. The bounds come from the design: a trie of 8 × 8 × 8 leaves, so a leaf of a
 * lake of 2,000 units holds ~4 links and an inner node at most 8.
 */
const made: string[] = [];
afterAll(async () => {
  for (const d of made) await removeDir(d);
});

const N = 1000;
const dayUnit = (i: number) => `curated/sales/day=${String(i).padStart(4, '0')}`;

async function stage(root: string, tag: string, units: Readonly<Record<string, string | undefined>>): Promise<CommitUnit[]> {
  const out: CommitUnit[] = [];
  for (const [unit, content] of Object.entries(units)) {
    const staged = join(root, '.staging', tag, unit);
    await mkdir(staged, { recursive: true });
    if (content !== undefined) await writeFile(join(staged, 'data.csv'), content);
    out.push({ unit, staged });
  }
  return out;
}

/** Every entry under `dir` whose name is `name` (trie node versions and unit versions are named by commit). */
async function entriesNamed(dir: string, name: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.name === name) out.push(p);
    else if (e.isDirectory()) out.push(...(await entriesNamed(p, name)));
  }
  return out;
}

describe('a commit on a lake of many units', () => {
  it(`writes a few small trie nodes for the unit it touched, not links for all ${N}`, { timeout: 120_000 }, async () => {
    const lake = await tempDir('bb-commit-cost-');
    made.push(lake);
    const all = Object.fromEntries(Array.from({ length: N }, (_, i) => [dayUnit(i), `v0 of ${i}\n`]));
    await commitRun(lake, { runId: 'r0', units: await stage(lake, 'r0', all), reportText: '{"run":"r0"}\n' });
    const r0Nodes = (await entriesNamed(join(lake, '.tree'), 'r0')).length;

    // one partition rewritten, one rejects folder that never existed left empty: one unit touched
    await commitRun(lake, { runId: 'r1', units: await stage(lake, 'r1', { [dayUnit(7)]: 'v1 of 7\n', 'rejects/2026-01-01': undefined }), reportText: '{"run":"r1"}\n' });
    // the trie's nodes on the unit's path (root, 2 inner levels, leaf), of at most 8 links each (a leaf: ~4)
    const nodes = await entriesNamed(join(lake, '.tree'), 'r1');
    expect(nodes.length).toBe(4);
    for (const n of nodes) expect((await readdir(n)).length, n).toBeLessThanOrEqual(Math.max(8, (3 * N) / 512));
    expect(await readdir(join(lake, '.commits', 'r1'))).toEqual(['intent.json', 'manifest.json', 'report.json', 'tree']);
    expect(await entriesNamed(join(lake, '.units'), 'r1')).toEqual([join(lake, '.units', dayUnit(7), 'r1')]);

    // readers see the new partition 7 and every other partition as it was
    expect(await readFile(join(lake, dayUnit(7), 'data.csv'), 'utf8')).toBe('v1 of 7\n');
    expect(await readFile(join(lake, dayUnit(8), 'data.csv'), 'utf8')).toBe('v0 of 8\n');
    expect(await readFile(join(lake, dayUnit(N - 1), 'data.csv'), 'utf8')).toBe(`v0 of ${N - 1}\n`);
    expect((await readdir(join(lake, 'curated/sales'))).length).toBe(N);
    expect(JSON.parse(await readFile(join(lake, 'runs/r1/report.json'), 'utf8'))).toEqual({ run: 'r1' });

    // garbage: only what r1 replaced is gone — partition 7's old version, its old trie nodes, the old commit
    expect(await readdir(join(lake, '.units', dayUnit(7)))).toEqual(['r1']);
    expect(await readdir(join(lake, '.units', dayUnit(8)))).toEqual(['r0']);
    expect(await readdir(join(lake, '.commits'))).toEqual(['r1']);
    expect(await entriesNamed(join(lake, '.tree'), 'r0')).toHaveLength(r0Nodes - 4); // the 4 replaced, no more
  });

  it('removes a unit a run left empty, with its reader folder', async () => {
    const lake = await tempDir('bb-commit-cost-');
    made.push(lake);
    await commitRun(lake, { runId: 'r0', units: await stage(lake, 'r0', { 'rejects/2026-01-01': 'bad rows\n', 'rejects/2026-01-02': 'more\n' }), reportText: '{}\n' });
    expect(await readFile(join(lake, 'rejects/2026-01-01/data.csv'), 'utf8')).toBe('bad rows\n');
    await commitRun(lake, { runId: 'r1', units: await stage(lake, 'r1', { 'rejects/2026-01-01': undefined }), reportText: '{}\n' });
    expect(await lstat(join(lake, 'rejects/2026-01-01')).catch(() => 'gone')).toBe('gone');
    expect(await readdir(join(lake, 'rejects'))).toEqual(['2026-01-02']);
    expect(await readdir(join(lake, '.units/rejects'))).toEqual(['2026-01-02']);
  });

  it('reads the tree back when a power cut left the current manifest empty (it is not synced)', async () => {
    const lake = await tempDir('bb-commit-cost-');
    made.push(lake);
    const all = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [dayUnit(i), `v0 of ${i}\n`]));
    await commitRun(lake, { runId: 'r0', units: await stage(lake, 'r0', all), reportText: '{}\n' });
    await writeFile(join(lake, '.current/manifest.json'), '');
    await commitRun(lake, { runId: 'r1', units: await stage(lake, 'r1', { [dayUnit(3)]: 'v1 of 3\n' }), reportText: '{}\n' });
    for (let i = 0; i < 40; i++) expect(await readFile(join(lake, dayUnit(i), 'data.csv'), 'utf8')).toBe(i === 3 ? 'v1 of 3\n' : `v0 of ${i}\n`);
  });
});
