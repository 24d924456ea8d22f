import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markedSourceRelations as browserRelations } from '../../core/export/markedSources.js';
import { resolveParams } from '../../core/spec/params.js';
import { openProject } from '../project/project.js';
import { markedSourceRelations, sampleFiles } from './exportProject.js';

const SAMPLES = new URL('../../../../samples/', import.meta.url).pathname;

/**
 * An export made in the browser (no file system: each CSV sample's first bytes are all it has)
 * must give the exporters the same source readers as `batchbook export`, which reads the
 * sample files on disk: otherwise the DuckDB and dbt exports would differ between the two.
 */
describe('markedSourceRelations without file access', () => {
  for (const sample of ['nightly-reconciliation', 'peak-sales']) {
    it(`builds the same reader SQL as the node side for ${sample}, CSV, NDJSON and Parquet sources`, async () => {
      const project = await openProject(join(SAMPLES, sample));
      const spec = project.loaded.spec!;
      const params = resolveParams(spec, {}, '2026-11-24');
      const samples = await sampleFiles(spec, params, project.inbox);
      const node = await markedSourceRelations(spec, samples, project.inbox);
      const headers = new Map<string, string>();
      for (const [name, source] of Object.entries(spec.sources)) {
        const first = samples.find((s) => s.source === name);
        if (source.format === 'csv' && first) headers.set(name, (await readFile(join(project.inbox, first.path), 'utf8')).split(/\r?\n/)[0]!);
      }
      const browser = browserRelations(spec, headers);
      expect(new Set(Object.values(spec.sources).map((s) => s.format))).toEqual(new Set(['csv', 'ndjson', 'parquet']));
      for (const name of Object.keys(spec.sources)) expect(browser(name)).toEqual(node.get(name));
    });
  }

  it('keeps the pinned columns of a CSV source without a sample file, as the node side does', async () => {
    const project = await openProject(join(SAMPLES, 'nightly-reconciliation'));
    const spec = project.loaded.spec!;
    const node = await markedSourceRelations(spec, [], project.inbox);
    const browser = browserRelations(spec, new Map());
    for (const name of Object.keys(spec.sources)) expect(browser(name)).toEqual(node.get(name));
  });
});
