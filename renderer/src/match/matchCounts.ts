import { quoteIdent, type SqlEngine } from '@batchbook/pipeline-core';

/** The four outputs of a match stage, as later stages address them (`<stage>.<output>`). */
export const MATCH_OUTPUTS = ['matched', 'mismatched', 'unmatched_left', 'unmatched_right'] as const;
export type MatchOutput = (typeof MATCH_OUTPUTS)[number];
export type MatchCounts = Readonly<Record<MatchOutput, number>>;

/** Rows in each output of a previewed match stage, counted from the views the compiled plan created. */
export async function matchCounts(engine: SqlEngine, stage: string): Promise<MatchCounts> {
  const cols = MATCH_OUTPUTS.map((o) => `(SELECT count(*) FROM ${quoteIdent(`${stage}.${o}`)}) AS ${o}`).join(', ');
  const [row] = await engine.query(`SELECT ${cols}`);
  return Object.fromEntries(MATCH_OUTPUTS.map((o) => [o, Number(row?.[o] ?? 0)])) as Record<MatchOutput, number>;
}

/** Why a pair was paired comes first in the preview's grid: on a wide pair the differences would sit off-screen. */
const PAIR_FIRST = ['amount_diff', 'days_late', 'match_type'];

/** An output's columns in the order the preview shows them (the view's own order otherwise). */
export function previewColumns<C extends { readonly name: string }>(output: string, schema: readonly C[]): C[] {
  if (!/\.(matched|mismatched)$/.test(output)) return [...schema];
  const first = PAIR_FIRST.flatMap((n) => schema.filter((c) => c.name === n));
  return [...first, ...schema.filter((c) => !first.includes(c))];
}
