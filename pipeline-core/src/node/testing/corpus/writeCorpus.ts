// Writes the conformance corpus as project folders, for the engines suite (e2e/engines):
//   node pipeline-core/dist/node/testing/corpus/writeCorpus.js <dir> [seed]
// <dir>/<case>/pipeline.yaml and <dir>/<case>/data/… (every day's files), and <dir>/corpus.json
// (the cases without their file contents: days, expectations, refusals).
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { quoteString } from '../../../core/compile/sql.js';
import { DEFAULT_CORPUS_SEED, generateCorpus, type CorpusCase, type EncodedFile, type ParquetFile } from './corpus.js';

function encode(file: EncodedFile): Buffer {
  if (file.encoding === 'latin1') return Buffer.from(file.text, 'latin1');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file.text, 'utf16le')]);
}

async function writeParquet(path: string, file: ParquetFile): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await instance.connect();
  try {
    await con.run(`COPY (${file.parquet}) TO ${quoteString(path)} (FORMAT parquet)`);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** Writes every case's project folder under `dir` (replacing it); returns the cases. */
export async function writeCorpus(dir: string, seed = DEFAULT_CORPUS_SEED): Promise<CorpusCase[]> {
  const cases = generateCorpus(seed);
  await rm(dir, { recursive: true, force: true });
  for (const c of cases) {
    const project = join(dir, c.name);
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'pipeline.yaml'), c.spec);
    for (const day of c.days) {
      for (const [rel, content] of Object.entries(day.files)) {
        const path = join(project, 'data', rel);
        await mkdir(dirname(path), { recursive: true });
        if (typeof content === 'string') await writeFile(path, content);
        else if ('parquet' in content) await writeParquet(path, content);
        else await writeFile(path, encode(content));
      }
    }
  }
  const index = cases.map((c) => ({ ...c, spec: undefined, days: c.days.map((d) => ({ runDate: d.runDate, expect: d.expect })) }));
  await writeFile(join(dir, 'corpus.json'), `${JSON.stringify({ seed, cases: index }, null, 2)}\n`);
  return cases;
}

const invoked = process.argv[1] && realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url));
if (invoked) {
  const [dir, seed] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: writeCorpus.js <dir> [seed]\n');
    process.exit(2);
  }
  await writeCorpus(resolve(dir), seed === undefined ? DEFAULT_CORPUS_SEED : Number(seed));
}
