import type { PipelineSpec, Stage, StageOf } from '../spec/schema.js';
import type { Rule } from '../stages/validate/rules.js';
import { joinKeyPair } from '../stages/join/join.js';
import { matchKeyPair } from '../stages/match/matchColumns.js';
import { quoteIdent } from '../compile/sql.js';
import type { SourceRelation } from '../stages/stageModule.js';

/**
 * Key-consistent sampling for the preview. A sample keeps a row when a hash of its key falls
 * under a threshold; sources that the pipeline joins (or checks against each other) are sampled
 * on the columns they are joined by, with one threshold per group, so an order and its payments
 * are kept or left out together. Keys are compared trimmed and upper-cased, since raw sources
 * rarely agree on spacing and case before cleansing (' ord-1 ' and 'ORD-1' stay together).
 */
export interface SampleKey {
  readonly column: string;
  /** Sources in one group share their threshold. */
  readonly group: number;
}

type Origin = string; // `${source}\u0000${column}`
type Origins = Map<string, readonly Origin[]>;

const origin = (source: string, column: string): Origin => `${source}\u0000${column}`;

function cleanseOrigins(input: Origins, steps: StageOf<'cleanse'>['steps']): Origins {
  const out = new Map(input);
  for (const step of steps) {
    if (step.enabled === false) continue;
    switch (step.step) {
      case 'rename':
        for (const [from, to] of Object.entries(step.columns)) {
          const o = out.get(from) ?? [];
          out.delete(from);
          out.set(to, o);
        }
        break;
      case 'derive':
        out.set(step.column, []);
        break;
      case 'drop':
        for (const c of step.columns) out.delete(c);
        break;
      case 'parse_date':
      case 'parse_number':
        if (step.into) out.set(step.into, out.get(step.column) ?? []);
        break;
      default:
        break;
    }
  }
  return out;
}

function stageOrigins(stage: Stage, spec: PipelineSpec, of: (name: string) => Origins): Origins {
  switch (stage.kind) {
    case 'ingest':
      return new Map((spec.sources[stage.source]?.schema ?? []).map((c) => [c.name, [origin(stage.source, c.name)]]));
    case 'cleanse':
      return cleanseOrigins(of(stage.input), stage.steps);
    case 'validate':
    case 'output':
      return of(stage.input);
    case 'aggregate': {
      const input = of(stage.input);
      return new Map(stage.group_by.map((c) => [c, input.get(c) ?? []]));
    }
    case 'join': {
      const left = of(stage.left);
      const right = of(stage.right);
      const out = new Map(left);
      if (stage.type === 'anti') return out;
      const sameName = new Set(stage.on.map(joinKeyPair).filter((k) => k.left === k.right).map((k) => k.right));
      for (const [c, o] of right) {
        if (sameName.has(c)) continue;
        out.set(left.has(c) ? `${stage.right_prefix ?? ''}${c}` : c, o);
      }
      return out;
    }
    case 'union': {
      const out = new Map<string, Origin[]>();
      for (const input of stage.inputs) for (const [c, o] of of(input)) out.set(c, [...(out.get(c) ?? []), ...o]);
      return out;
    }
    case 'sql':
      return new Map();
    case 'match': {
      const left = of(stage.left);
      const out = new Map(left);
      for (const [c, o] of of(stage.right)) out.set(left.has(c) ? `right_${c}` : c, o);
      return out;
    }
  }
}

/** Pairs of column origins a stage says belong together: join keys, relationship rules. */
function stageLinks(stage: Stage, own: Origins, of: (name: string) => Origins): (readonly Origin[])[] {
  if (stage.kind === 'join') {
    const left = of(stage.left);
    const right = of(stage.right);
    return stage.on.map(joinKeyPair).map((k) => [...(left.get(k.left) ?? []), ...(right.get(k.right) ?? [])]);
  }
  if (stage.kind === 'match') {
    // both sides of a pair stay in the sample together
    const left = of(stage.left);
    const right = of(stage.right);
    return stage.keys.map(matchKeyPair).map((k) => [...(left.get(k.left) ?? []), ...(right.get(k.right) ?? [])]);
  }
  if (stage.kind === 'validate') {
    return (stage.rules as readonly Rule[]).flatMap((r) => {
      if (r.rule !== 'relationship') return [];
      const target = of(r.to);
      return r.columns.map((c, i) => [...(own.get(c) ?? []), ...(target.get(r.to_columns?.[i] ?? c) ?? [])]);
    });
  }
  return [];
}

/** The column each source is sampled on, when the pipeline links it to another source. */
export function sampleKeys(spec: PipelineSpec): ReadonlyMap<string, SampleKey> {
  const origins = new Map<string, Origins>();
  const of = (name: string): Origins => origins.get(name) ?? new Map();
  const keys = new Map<string, SampleKey>();
  let groups = 0;
  for (const stage of spec.stages) {
    const own = stageOrigins(stage, spec, of);
    origins.set(stage.name, own);
    for (const link of stageLinks(stage, own, of)) {
      const parsed = [...new Set(link)].map((o) => {
        const [source, column] = o.split('\u0000') as [string, string];
        return { source, column };
      });
      if (new Set(parsed.map((p) => p.source)).size < 2) continue;
      const existing = parsed.map((p) => keys.get(p.source)).find((k) => k !== undefined);
      const group = existing?.group ?? groups++;
      for (const p of parsed) if (!keys.has(p.source)) keys.set(p.source, { column: p.column, group });
    }
  }
  return keys;
}

export interface SampleSettings {
  /** Rows to keep per source (about); the largest source of a group sets the group's rate. */
  readonly size: number;
  readonly seed: number;
}

/** The fraction of rows each source keeps (1 = all of them). */
export function sampleFractions(keys: ReadonlyMap<string, SampleKey>, rowCounts: ReadonlyMap<string, number>, settings: SampleSettings): Map<string, number> {
  const groupMax = new Map<number, number>();
  for (const [source, k] of keys) groupMax.set(k.group, Math.max(groupMax.get(k.group) ?? 0, rowCounts.get(source) ?? 0));
  const out = new Map<string, number>();
  for (const [source, rows] of rowCounts) {
    const k = keys.get(source);
    const basis = k ? (groupMax.get(k.group) ?? rows) : rows;
    out.set(source, basis <= settings.size ? 1 : settings.size / basis);
  }
  return out;
}

const BUCKETS = 1_000_000;

/** A relation keeping only the sampled rows (row numbers are taken before the sample). */
export function sampledRelation(rel: SourceRelation, key: string | undefined, fraction: number, seed: number): SourceRelation {
  if (fraction >= 1) return rel;
  if (rel.rowNumbers === 'insertion') throw new Error('a sampled relation must number its rows itself');
  const value = key ? `upper(trim(${quoteIdent(key)}))` : '_bb_row';
  const threshold = Math.max(1, Math.round(fraction * BUCKETS));
  return { ...rel, sql: `SELECT * FROM (${rel.sql}) s WHERE hash(${value}, ${Math.trunc(seed)}) % ${BUCKETS} < ${threshold}` };
}
