import { createHash } from 'node:crypto';
import type { RunReport } from '../runner/report.js';
import { reportRawFiles } from './history.js';

type Change = 'same' | 'changed' | 'added' | 'removed';

export interface StageDiff {
  readonly stage: string;
  readonly kind: string;
  readonly a?: { readonly rows_in: number; readonly rows_out: number; readonly rejected: number; readonly filtered: number; readonly ms: number };
  readonly b?: StageDiff['a'];
}

export interface RuleDiff {
  readonly stage: string;
  readonly name: string;
  readonly rule: string;
  readonly severity: string;
  readonly a?: { readonly status: 'pass' | 'fail'; readonly failing: number };
  readonly b?: RuleDiff['a'];
  /** newly_failing / fixed: the status flipped; count_changed: still failing, a different count. */
  readonly change: 'same' | 'newly_failing' | 'fixed' | 'count_changed' | 'added' | 'removed';
}

export interface HashedSide {
  readonly files: number;
  readonly rows: number;
  readonly bytes: number;
  /** One hash over the (path, sha256) of every file. */
  readonly sha256: string;
}

export interface OutputDiff {
  readonly stage: string;
  readonly path: string;
  readonly a?: HashedSide;
  readonly b?: HashedSide;
  readonly change: Change;
}

export interface InputDiff {
  readonly source: string;
  readonly a?: HashedSide;
  readonly b?: HashedSide;
  readonly change: Change;
}

export interface RunSide {
  readonly run_id: string;
  readonly params: RunReport['params'];
  readonly status: RunReport['status'];
  readonly exit_code: number;
  readonly started_at: string;
  readonly duration_ms: number;
  readonly spec_sha256: string;
  readonly error?: RunReport['error'];
}

/** What changed between two runs: the first thing to look at after a night's failure. */
export interface RunDiff {
  readonly a: RunSide;
  readonly b: RunSide;
  readonly spec_changed: boolean;
  readonly params: readonly { readonly name: string; readonly a?: string | number; readonly b?: string | number }[];
  readonly inputs: readonly InputDiff[];
  readonly stages: readonly StageDiff[];
  readonly rules: readonly RuleDiff[];
  readonly outputs: readonly OutputDiff[];
}

const side = (r: RunReport): RunSide => ({
  run_id: r.run_id,
  params: r.params,
  status: r.status,
  exit_code: r.exit_code,
  started_at: r.started_at,
  duration_ms: r.duration_ms,
  spec_sha256: r.spec_sha256,
  ...(r.error ? { error: r.error } : {}),
});

function hashed(files: readonly { path: string; sha256: string; bytes?: number; rows?: number }[]): HashedSide {
  const h = createHash('sha256');
  for (const f of [...files].sort((x, y) => x.path.localeCompare(y.path))) h.update(`${f.path}\t${f.sha256}\n`);
  return {
    files: files.length,
    rows: files.reduce((a, f) => a + (f.rows ?? 0), 0),
    bytes: files.reduce((a, f) => a + (f.bytes ?? 0), 0),
    sha256: h.digest('hex'),
  };
}

function changeOf(a: HashedSide | undefined, b: HashedSide | undefined): Change {
  if (!a) return 'added';
  if (!b) return 'removed';
  return a.sha256 === b.sha256 ? 'same' : 'changed';
}

/** Keys of both maps, a's order first. */
function unionKeys<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])];
}

export function diffRuns(a: RunReport, b: RunReport): RunDiff {
  const params = unionKeys(new Map(Object.entries(a.params)), new Map(Object.entries(b.params)))
    .filter((k) => a.params[k] !== b.params[k])
    .map((name) => ({ name, ...(a.params[name] !== undefined ? { a: a.params[name] } : {}), ...(b.params[name] !== undefined ? { b: b.params[name] } : {}) }));

  const inputsOf = (r: RunReport) => {
    const bySource = new Map<string, { path: string; sha256: string; bytes: number }[]>();
    for (const f of reportRawFiles(r)) bySource.set(f.source, [...(bySource.get(f.source) ?? []), f]);
    return new Map([...bySource].map(([s, files]) => [s, hashed(files)]));
  };
  const ia = inputsOf(a);
  const ib = inputsOf(b);
  const inputs = unionKeys(ia, ib).map((source): InputDiff => {
    const x = ia.get(source);
    const y = ib.get(source);
    return { source, ...(x ? { a: x } : {}), ...(y ? { b: y } : {}), change: changeOf(x, y) };
  });

  const sa = new Map(a.stages.map((s) => [s.name, s]));
  const sb = new Map(b.stages.map((s) => [s.name, s]));
  const pick = (s: RunReport['stages'][number]) => ({ rows_in: s.rows_in, rows_out: s.rows_out, rejected: s.rejected, filtered: s.filtered, ms: s.ms });
  const stages = unionKeys(sa, sb).map((name): StageDiff => {
    const x = sa.get(name);
    const y = sb.get(name);
    return { stage: name, kind: (x ?? y)!.kind, ...(x ? { a: pick(x) } : {}), ...(y ? { b: pick(y) } : {}) };
  });

  const key = (r: { stage: string; name: string }) => `${r.stage}.${r.name}`;
  const ra = new Map(a.rules.map((r) => [key(r), r]));
  const rb = new Map(b.rules.map((r) => [key(r), r]));
  const rules = unionKeys(ra, rb).map((k): RuleDiff => {
    const x = ra.get(k);
    const y = rb.get(k);
    const r = (x ?? y)!;
    const change: RuleDiff['change'] = !x ? 'added' : !y ? 'removed' : x.status !== y.status ? (y.status === 'fail' ? 'newly_failing' : 'fixed') : x.failing !== y.failing ? 'count_changed' : 'same';
    return {
      stage: r.stage,
      name: r.name,
      rule: r.rule,
      severity: r.severity,
      ...(x ? { a: { status: x.status, failing: x.failing } } : {}),
      ...(y ? { b: { status: y.status, failing: y.failing } } : {}),
      change,
    };
  });

  const oa = new Map(a.outputs.map((o) => [o.stage, o]));
  const ob = new Map(b.outputs.map((o) => [o.stage, o]));
  const rel = (o: RunReport['outputs'][number]) => o.files.map((f) => ({ ...f, path: f.path.slice(o.path.length + 1) }));
  const outputs = unionKeys(oa, ob).map((stage): OutputDiff => {
    const x = oa.get(stage);
    const y = ob.get(stage);
    const hx = x ? hashed(rel(x)) : undefined;
    const hy = y ? hashed(rel(y)) : undefined;
    return { stage, path: (y ?? x)!.path, ...(hx ? { a: hx } : {}), ...(hy ? { b: hy } : {}), change: changeOf(hx, hy) };
  });

  return { a: side(a), b: side(b), spec_changed: a.spec_sha256 !== b.spec_sha256, params, inputs, stages, rules, outputs };
}
