/**
 * One-to-one assignment in SQL, deterministic: candidate pairs are taken in a total order (the
 * caller's `order`, then left id, then right id), a pair is kept when neither of its items was
 * kept before. Computed in rounds: each round keeps the pairs that come first for both their left
 * and their right item among those still possible — the greedy pick — and drops the pairs that
 * now conflict. The first pair in the order always qualifies, so every round makes progress,
 * and the result equals the sequential greedy pass (most nights need one or two rounds).
 *
 * `candidates` has columns lid, rid (BIGINT) and whatever `order` reads; the result has lid, rid.
 */
export function greedyPairsSql(candidates: string, order: string): string {
  const by = `${order}, lid, rid`;
  return `WITH RECURSIVE g(lid, rid, o, kept) AS (
  SELECT lid, rid, row_number() OVER (ORDER BY ${by}), FALSE FROM (${candidates})
  UNION ALL
  (WITH rem AS (SELECT lid, rid, o FROM g WHERE NOT kept),
  best AS (SELECT lid, rid, o FROM rem QUALIFY o = min(o) OVER (PARTITION BY lid) AND o = min(o) OVER (PARTITION BY rid))
  SELECT lid, rid, o, TRUE FROM best
  UNION ALL
  SELECT lid, rid, o, FALSE FROM rem WHERE lid NOT IN (SELECT lid FROM best) AND rid NOT IN (SELECT rid FROM best))
)
SELECT lid, rid FROM g WHERE kept`;
}
