import { readFile } from 'node:fs/promises';
import { quoteString } from '../../core/compile/sql.js';
import type { SqlEngine, SqlRow } from '../../core/execute/sqlEngine.js';
import type { StageProfile } from '../../core/ops/runReport.js';
import type { NodeDuckdbEngine } from '../duckdb/nodeEngine.js';

/** One node of DuckDB's JSON query profile (the fields read here). */
interface ProfileNode {
  readonly operator_name?: string;
  readonly operator_timing?: number;
  readonly operator_cardinality?: number;
  readonly cpu_time?: number;
  readonly children?: readonly ProfileNode[];
}

interface StageTotals {
  cpuSeconds: number;
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
    await inner.exec(`PRAGMA profiling_output = ${quoteString(file)}`);
    await inner.exec("PRAGMA enable_profiling = 'json'");
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
    const t = this.totals.get(this.stage) ?? { cpuSeconds: 0, operators: new Map() };
    this.totals.set(this.stage, t);
    t.cpuSeconds += root.cpu_time ?? 0;
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

  /** Per stage: CPU time, the bytes its table holds, and its three heaviest operators. */
  async profiles(stages: readonly { name: string; ms: number; rows_out: number }[]): Promise<StageProfile[]> {
    this.stage = '';
    const sizes = new Map(
      (await this.inner.query("SELECT table_name, estimated_size FROM duckdb_tables() WHERE table_name LIKE '%\\_\\_all' ESCAPE '\\'")).map((r) => [String(r['table_name']).slice(0, -'__all'.length), Number(r['estimated_size'])]),
    );
    return stages.map((s) => {
      const t = this.totals.get(s.name);
      const operators = [...(t?.operators ?? new Map<string, { seconds: number; rows: number }>())]
        .sort((a, b) => b[1].seconds - a[1].seconds)
        .slice(0, 3)
        .map(([name, o]) => ({ operator: name, ms: Math.round(o.seconds * 1000), rows: o.rows }));
      return { stage: s.name, ms: s.ms, cpu_ms: Math.round((t?.cpuSeconds ?? 0) * 1000), rows: s.rows_out, bytes: sizes.get(s.name) ?? 0, operators };
    });
  }
}

/** The profile as a table for the terminal. */
export function formatProfile(profiles: readonly StageProfile[]): string {
  const lines = ['  profile (every stage materialised; times are its own):', `  ${'stage'.padEnd(24)} ${'wall ms'.padStart(8)} ${'CPU ms'.padStart(8)} ${'rows'.padStart(12)} ${'bytes'.padStart(10)}  heaviest operators`];
  for (const p of profiles) {
    const ops = p.operators.map((o) => `${o.operator} ${o.ms} ms`).join(', ');
    lines.push(`  ${p.stage.padEnd(24)} ${String(p.ms).padStart(8)} ${String(p.cpu_ms).padStart(8)} ${p.rows.toLocaleString('en-US').padStart(12)} ${mb(p.bytes).padStart(10)}  ${ops}`);
  }
  return lines.join('\n');
}

const mb = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${Math.round(b / 1024)} KB`);
