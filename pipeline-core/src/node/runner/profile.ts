import { readFile } from 'node:fs/promises';
import { quoteString } from '../../core/compile/sql.js';
import type { SqlEngine, SqlRow } from '../../core/execute/sqlEngine.js';
import type { StageProfile } from '../../core/ops/runReport.js';
import type { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';
import { groupDigits } from '../ops/textTable.js';

/** One node of DuckDB's JSON query profile (the fields read here). */
interface ProfileNode {
  readonly operator_name?: string;
  readonly operator_timing?: number;
  readonly operator_cardinality?: number;
  readonly children?: readonly ProfileNode[];
}

interface StageTotals {
  readonly operators: Map<string, { seconds: number; rows: number }>;
}

/**
 * `batchbook run --profile`: every statement runs with DuckDB's own profiler on (JSON output to a
 * file in the run's temp folder), and its operators are added up under the stage that ran it.
 * The plan is compiled with every stage materialised, so each stage's time is its own.
 */
export class ProfilingEngine implements SqlEngine {
  private stage = '';
  private readonly totals = new Map<string, StageTotals>();

  private constructor(
    private readonly inner: NodeDuckdbEngine,
    private readonly file: string,
  ) {}

  static async open(inner: NodeDuckdbEngine, file: string): Promise<ProfilingEngine> {
    // the output type first: DuckDB checks the file's extension against it
    await inner.exec("PRAGMA enable_profiling = 'json'");
    await inner.exec(`PRAGMA profiling_output = ${quoteString(file)}`);
    return new ProfilingEngine(inner, file);
  }

  /** The stage the next statements belong to. */
  enter(stage: string): void {
    this.stage = stage;
  }

  async exec(sql: string): Promise<void> {
    await this.inner.exec(sql);
    await this.collect();
  }

  async query(sql: string): Promise<SqlRow[]> {
    const rows = await this.inner.query(sql);
    await this.collect();
    return rows;
  }

  private async collect(): Promise<void> {
    if (!this.stage) return;
    const root = JSON.parse(await readFile(this.file, 'utf8')) as ProfileNode;
    const t = this.totals.get(this.stage) ?? { operators: new Map() };
    this.totals.set(this.stage, t);
    const walk = (n: ProfileNode) => {
      if (n.operator_name) {
        const o = t.operators.get(n.operator_name) ?? { seconds: 0, rows: 0 };
        o.seconds += n.operator_timing ?? 0;
        o.rows += n.operator_cardinality ?? 0;
        t.operators.set(n.operator_name, o);
      }
      for (const c of n.children ?? []) walk(c);
    };
    walk(root);
  }

  /**
   * Per stage: its time and process CPU time (from the run), the bytes its tables hold, and its
   * three heaviest operators with their share of the stage's operator time (DuckDB adds operator
   * times up over threads, so shares, not milliseconds, are what compare).
   */
  async profiles(stages: readonly { name: string; ms: number; cpu_ms?: number; rows_out: number }[]): Promise<StageProfile[]> {
    this.stage = '';
    const tables = await this.inner.query('SELECT table_name, estimated_size FROM duckdb_tables()');
    const bytesOf = (stage: string) => tables.filter((r) => [`${stage}__all`, `${stage}__flags`].includes(String(r['table_name']))).reduce((a, r) => a + Number(r['estimated_size']), 0);
    return stages.map((s) => {
      const ops = [...(this.totals.get(s.name)?.operators ?? new Map<string, { seconds: number; rows: number }>())].sort((a, b) => b[1].seconds - a[1].seconds);
      const total = ops.reduce((a, [, o]) => a + o.seconds, 0);
      const operators = ops.slice(0, 3).map(([name, o]) => ({ operator: name, share: total > 0 ? Math.round((o.seconds / total) * 100) / 100 : 0, rows: o.rows }));
      return { stage: s.name, ms: s.ms, cpu_ms: s.cpu_ms ?? 0, rows: s.rows_out, bytes: bytesOf(s.name), operators };
    });
  }
}

/** The profile as a table for the terminal. */
export function formatProfile(profiles: readonly StageProfile[]): string {
  const lines = ['  profile (every stage materialised; times are its own):', `  ${'stage'.padEnd(24)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)} ${'rows'.padStart(12)} ${'bytes'.padStart(10)}  heaviest operators`];
  for (const p of profiles) {
    const ops = p.operators.map((o) => `${o.operator} ${Math.round(o.share * 100)}%`).join(', ');
    lines.push(`  ${p.stage.padEnd(24)} ${String(p.ms).padStart(8)} ${String(p.cpu_ms).padStart(8)} ${groupDigits(p.rows).padStart(12)} ${mb(p.bytes).padStart(10)}  ${ops}`);
  }
  return lines.join('\n');
}

const mb = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${Math.round(b / 1024)} KB`);
