import { analyzeSpec } from '../../core/spec/analyze.js';
import { specError, specWarning, type SpecDiagnostic } from '../../core/spec/diagnostics.js';
import type { PipelineSpec, StageOf } from '../../core/spec/schema.js';
import type { SalvageGaps } from '../../core/spec/salvage.js';
import { quoteIdent, quoteString } from '../../core/compile/sql.js';
import { duckdbType, type DataType, type Schema } from '../../core/types/dataType.js';
import { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';

type SqlStage = StageOf<'sql'>;
type Family = 'text' | 'number' | 'boolean' | 'time' | 'other';

/**
 * Binds every sql stage against empty tables typed like the stages it reads, in DuckDB, the way
 * a run would — but before any data is read: syntax errors, unknown tables and columns, and a
 * result that does not match the declared schema, each located in the spec. File access is off,
 * as it is for a run's custom SQL.
 */
export async function checkSqlStages(spec: PipelineSpec, gaps?: SalvageGaps): Promise<SpecDiagnostic[]> {
  if (!spec.stages.some((s) => s.kind === 'sql')) return [];
  const { schemas } = analyzeSpec(spec, gaps);
  const engine = await NodeDuckdbEngine.open({ memoryLimit: '256MB', threads: 1 });
  const out: SpecDiagnostic[] = [];
  try {
    await engine.exec('SET enable_external_access = false');
    await engine.exec('SET lock_configuration = true');
    for (const [i, stage] of spec.stages.entries()) {
      if (stage.kind === 'sql') out.push(...(await bindSqlStage(engine, stage, gaps?.stageIndex[i] ?? i)));
      const schema = schemas.get(stage.name);
      if (schema) await engine.exec(emptyTable(stage.name, schema));
    }
  } finally {
    engine.close();
  }
  return out;
}

function emptyTable(name: string, schema: Schema): string {
  const cols = schema.map((c) => `${quoteIdent(c.name)} ${duckdbType(c.type)}`).join(', ');
  return `CREATE OR REPLACE TABLE ${quoteIdent(name)} (${cols || '"_bb_empty" INTEGER'})`;
}

async function bindSqlStage(engine: NodeDuckdbEngine, stage: SqlStage, index: number): Promise<SpecDiagnostic[]> {
  const at = ['stages', index, 'sql'];
  const body = stage.sql.trim().replace(/;\s*$/, '');
  const start = stage.sql.indexOf(body);
  const parsed = JSON.parse(String((await engine.query(`SELECT json_serialize_sql(${quoteString(body)}) AS j`))[0]?.['j'])) as { error: boolean; error_message?: string; position?: string; statements?: unknown[] };
  if (parsed.error) {
    const pos = start + Number(parsed.position ?? 0);
    return [{ ...specError(at, `SQL: ${parsed.error_message ?? 'does not parse'}`), offset: { start: pos, end: pos + 1 } }];
  }
  // nothing but one SELECT is ever run, not even here (the loader reports the extra statements)
  if (parsed.statements?.length !== 1) return [];
  let columns: { name: string; type: string }[];
  try {
    const rows = await engine.query(`DESCRIBE SELECT * FROM (\n${body}\n) q`);
    columns = rows.map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
  } catch (e) {
    const offset = caretOffset(e instanceof Error ? e.message : String(e), body);
    const message = e instanceof Error ? e.message : String(e);
    const suggestion = message.split('\n').find((l) => /^(Did you mean|Candidate bindings)/.test(l));
    const d = specError(at, `SQL: ${firstLine(e)}`, suggestion ?? 'a sql stage reads the stages listed in its inputs, by their names');
    return [offset === undefined ? d : { ...d, offset: { start: start + offset, end: start + offset + 1 } }];
  }
  return compareSchema(stage, index, columns);
}

/** The declared columns against what the query returns, as the run's cast to the declared schema would see them. */
function compareSchema(stage: SqlStage, index: number, columns: readonly { name: string; type: string }[]): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c] as const));
  const returned = columns.map((c) => c.name).join(', ');
  stage.schema.forEach((decl, i) => {
    const at = ['stages', index, 'schema', i];
    const got = byName.get(decl.name.toLowerCase());
    if (!got) out.push(specError([...at, 'name'], `the query returns no column '${decl.name}'`, `it returns: ${returned}`));
    else if (!castable(family(got.type), declaredFamily(decl.type))) out.push(specError([...at, 'type'], `the query returns '${decl.name}' as ${got.type}, which cannot be cast to ${decl.type}`));
  });
  const declared = new Set(stage.schema.map((c) => c.name.toLowerCase()));
  const extra = columns.filter((c) => !declared.has(c.name.toLowerCase())).map((c) => c.name);
  if (extra.length) out.push(specWarning(['stages', index, 'schema'], `the query also returns ${extra.map((c) => `'${c}'`).join(', ')}, which the declared schema leaves out`, 'declare them to keep them'));
  return out;
}

function family(duckType: string): Family {
  const t = duckType.toUpperCase();
  if (t === 'VARCHAR') return 'text';
  if (t === 'BOOLEAN') return 'boolean';
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|REAL|DOUBLE|DECIMAL.*)$/.test(t)) return 'number';
  if (/^(DATE|TIMESTAMP.*)$/.test(t)) return 'time';
  return 'other';
}

function declaredFamily(type: DataType): Family {
  if (type === 'string') return 'text';
  if (type === 'boolean') return 'boolean';
  if (type === 'date' || type === 'timestamp') return 'time';
  return 'number';
}

/** Which casts DuckDB implements (text casts are decided value by value, when the run reads them). */
function castable(from: Family, to: Family): boolean {
  if (to === 'text' || from === 'text' || from === to) return true;
  return (from === 'boolean' && to === 'number') || (from === 'number' && to === 'boolean');
}

/**
 * DuckDB points at the error with "LINE n: <text>" and a caret under it, counted in the statement
 * it ran; the body starts on that statement's second line. The offset into the body, if shown.
 */
function caretOffset(message: string, body: string): number | undefined {
  const lines = message.split('\n');
  const i = lines.findIndex((l) => /^LINE \d+: /.test(l));
  const caret = lines[i + 1]?.indexOf('^') ?? -1;
  if (i < 0 || caret < 0) return undefined;
  const label = /^LINE (\d+): /.exec(lines[i]!)!;
  const line = Number(label[1]) - 2;
  const bodyLines = body.split('\n');
  if (line < 0 || line >= bodyLines.length) return undefined;
  // DuckDB shortens long lines around the error; only trust the caret when the shown text matches
  const shown = lines[i]!.slice(label[0].length);
  if (shown !== bodyLines[line]) return undefined;
  return bodyLines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + caret - label[0].length;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n').find((l) => l.trim() !== '') ?? msg;
}
