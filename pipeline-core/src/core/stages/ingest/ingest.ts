import { duckdbType } from '../../types/dataType.js';
import { quoteIdent, quoteString, RESERVED_PREFIX } from '../../compile/sql.js';
import type { StageOf } from '../../spec/schema.js';
import type { CompiledStage, DuckdbContext, PropagateContext, PropagateResult, StageModule } from '../stageModule.js';

type Ingest = StageOf<'ingest'>;

function propagate(stage: Ingest, ctx: PropagateContext): PropagateResult {
  const source = ctx.source(stage.source, [...ctx.path, 'source']);
  if (!source) return { schema: [] };
  const seen = new Set<string>();
  source.schema.forEach((c, i) => {
    const at = ['sources', stage.source, 'schema', i, 'name'];
    if (seen.has(c.name)) ctx.error(at, `column '${c.name}' is listed twice`);
    if (c.name.startsWith(RESERVED_PREFIX)) ctx.error(at, `column names starting with '${RESERVED_PREFIX}' are reserved for Batchbook's lineage columns`);
    seen.add(c.name);
  });
  return { schema: source.schema.map((c) => ({ name: c.name, type: c.type })) };
}

/**
 * Everything is read as text first; each column is then cast to its pinned type, and a value
 * that does not fit sends its row to rejects with the reason instead of failing the run.
 */
function compileDuckdb(stage: Ingest, ctx: DuckdbContext): CompiledStage {
  const source = ctx.spec.sources[stage.source];
  if (!source) throw new Error(`unknown source ${stage.source}`);
  const rel = ctx.sourceRelation(stage.source);
  const out = ctx.table(stage.name);
  const rejects = ctx.rejectsTable(stage.name);
  const work = quoteIdent(`${stage.name}__work`);
  const files = quoteIdent(`${stage.name}__files`);
  const reasons = source.schema
    .filter((c) => c.type !== 'string')
    .map((c) => {
      const col = quoteIdent(c.name);
      const t = duckdbType(c.type);
      const msg = `${quoteString(`${c.name}: cannot read '`)} || ${col} || ${quoteString(`' as ${c.type}`)}`;
      return `CASE WHEN ${col} IS NOT NULL AND TRY_CAST(${col} AS ${t}) IS NULL THEN ${msg} END`;
    });
  const reason = reasons.length ? `coalesce(_bb_error, NULLIF(concat_ws('; ', ${reasons.join(', ')}), ''))` : '_bb_error';
  const typed = source.schema
    .map((c) => (c.type === 'string' ? quoteIdent(c.name) : `TRY_CAST(${quoteIdent(c.name)} AS ${duckdbType(c.type)}) AS ${quoteIdent(c.name)}`))
    .join(', ');
  const raw = source.schema.map((c) => quoteIdent(c.name)).join(', ');
  const src = quoteString(stage.source);
  const fileRows = rel.files.map((f, i) => `(${i}, ${quoteString(f)})`).join(', ');
  const readerErrors = rel.readerErrors
    ? `\nUNION ALL BY NAME\nSELECT e._bb_reason, ${src} AS _bb_src, e._bb_file, CAST(NULL AS BIGINT) AS _bb_row, e._bb_line, e._bb_raw FROM (${rel.readerErrors}) e`
    : '';
  const statements = [
    ...(rel.setup ?? []),
    `CREATE OR REPLACE TEMP TABLE ${work} AS\nSELECT ${raw}, _bb_file, _bb_row, ${reason} AS _bb_reason\nFROM (${rel.sql}) r`,
    `CREATE OR REPLACE TABLE ${files} AS\nSELECT f.file_index, f.path, coalesce(w.first_row, 1) AS first_row\nFROM (VALUES ${fileRows || "(0, '')"}) f(file_index, path)\nLEFT JOIN (SELECT _bb_file, min(_bb_row) AS first_row FROM ${work} GROUP BY _bb_file) w ON w._bb_file = f.file_index`,
    `CREATE OR REPLACE TABLE ${out} AS\nSELECT ${typed}, ${src} AS _bb_src, _bb_file, _bb_row\nFROM ${work} WHERE _bb_reason IS NULL`,
    `CREATE OR REPLACE TABLE ${rejects} AS\nSELECT _bb_reason, ${src} AS _bb_src, _bb_file, _bb_row, CAST(NULL AS BIGINT) AS _bb_line, CAST(NULL AS VARCHAR) AS _bb_raw, ${raw}\nFROM ${work} WHERE _bb_reason IS NOT NULL${readerErrors}`,
    `DROP TABLE ${work}`,
  ];
  return {
    statements,
    stats: `SELECT (SELECT count(*) FROM ${out}) + (SELECT count(*) FROM ${rejects}) AS rows_in, (SELECT count(*) FROM ${out}) AS rows_out, (SELECT count(*) FROM ${rejects}) AS rejected, 0 AS filtered`,
    lineage: true,
    hasRejects: true,
  };
}

export const ingestStage: StageModule<'ingest'> = {
  kind: 'ingest',
  label: 'Ingest',
  inputs: () => [],
  propagate,
  compile: { duckdb: compileDuckdb },
};
