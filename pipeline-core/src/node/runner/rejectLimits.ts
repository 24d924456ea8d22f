import type { StageResult } from '../../core/execute/executePlan.js';
import { quoteIdent } from '../../core/compile/sql.js';
import type { PipelineSpec } from '../../core/spec/schema.js';
import type { SqlEngine } from '../../core/execute/sqlEngine.js';

export interface RejectLimitBreach {
  readonly stage: string;
  readonly message: string;
}

interface Limits {
  readonly max_rejects?: number | undefined;
  readonly max_reject_ratio?: number | undefined;
}

const percent = (r: number) => `${Math.round(r * 1000) / 10}%`;

/** Why a stage's rejects break a limit, or undefined. `owner` says where the limit was set. */
function breach(result: StageResult, limits: Limits, owner: string): string | undefined {
  const ratio = result.rows_in > 0 ? result.rejected / result.rows_in : 0;
  const counted = `rejected ${result.rejected} of ${result.rows_in} rows (${percent(ratio)})`;
  if (limits.max_rejects !== undefined && result.rejected > limits.max_rejects) return `${counted}, more than max_rejects ${limits.max_rejects} set on ${owner}`;
  if (limits.max_reject_ratio !== undefined && ratio > limits.max_reject_ratio) return `${counted}, more than max_reject_ratio ${limits.max_reject_ratio} (${percent(limits.max_reject_ratio)}) set on ${owner}`;
  return undefined;
}

/**
 * The first stage whose rejects exceed a limit set on it or on the source it ingests — a day
 * that is mostly rejects (one unterminated quote can swallow a whole file) fails the run instead
 * of publishing nearly nothing with exit 0. The message quotes one reject reason to start from.
 */
export async function checkRejectLimits(engine: SqlEngine, spec: PipelineSpec, stages: readonly StageResult[]): Promise<RejectLimitBreach | undefined> {
  for (const result of stages) {
    const stage = spec.stages.find((s) => s.name === result.name);
    if (!stage || result.rejected === 0) continue;
    const source = stage.kind === 'ingest' ? spec.sources[stage.source] : undefined;
    const why = breach(result, stage, `stage '${stage.name}'`) ?? (source && stage.kind === 'ingest' ? breach(result, source, `source '${stage.source}'`) : undefined);
    if (!why) continue;
    const [row] = await engine.query(`SELECT min(_bb_reason) AS reason FROM ${quoteIdent(`${stage.name}__rejects`)}`);
    const example = row?.['reason'] ? ` One of them: ${String(row['reason'])}` : '';
    return { stage: stage.name, message: `stage '${stage.name}' ${why}; nothing was published.${example}` };
  }
  return undefined;
}
