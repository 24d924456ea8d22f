/**
 * One-to-one assignment in SQL, deterministic: candidate pairs are taken in a total order
 * (`order`, then left id, then right id), a pair is kept when neither of its items was kept
 * before. Computed in rounds: each round keeps the pairs that come first for both their left and
 * their right item among those still possible — the greedy pick — and drops the pairs that now
 * conflict. The first pair in the order always qualifies, so every round makes progress, and the
 * result equals the sequential greedy pass. The first round runs as a plain query (on a night
 * where keys are unique it settles every pair); only what is left goes through the recursion.
 *
 * `candidates` has columns lid, rid (BIGINT) and the columns `order` names; the result has lid, rid.
 */
export function greedyPairsSql(candidates: string, order: readonly string[]): string {
  const cols = ['lid', 'rid', ...order].join(', ');
  const mutualBest = (from: string) =>
    `SELECT ${cols} FROM ${from} QUALIFY row_number() OVER (PARTITION BY lid ORDER BY ${[...order, 'rid'].join(', ')}) = 1 AND row_number() OVER (PARTITION BY rid ORDER BY ${[...order, 'lid'].join(', ')}) = 1`;
  const free = (best: string) => `lid NOT IN (SELECT lid FROM ${best}) AND rid NOT IN (SELECT rid FROM ${best})`;
  return `WITH RECURSIVE c AS (SELECT ${cols} FROM (${candidates})),
first AS (${mutualBest('c')}),
g(${cols}, kept) AS (
  SELECT ${cols}, FALSE FROM c WHERE ${free('first')}
  UNION ALL
  (WITH rem AS (SELECT ${cols} FROM g WHERE NOT kept),
  best AS (${mutualBest('rem')})
  SELECT ${cols}, TRUE FROM best
  UNION ALL
  SELECT ${cols}, FALSE FROM rem WHERE ${free('best')})
)
SELECT lid, rid FROM first
UNION ALL
SELECT lid, rid FROM g WHERE kept`;
}
