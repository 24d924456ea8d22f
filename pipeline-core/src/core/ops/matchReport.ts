/**
 * What a match stage did on one run date, as the run report keeps it: counts and amounts per
 * category, the open items carried in and out, and the dates whose state this run made stale.
 */
export interface MatchReport {
  readonly stage: string;
  /** The earlier run date whose open items this run carried in, if any. */
  readonly carried_from?: string;
  /** Later run dates whose carried state was built from this date's old state: re-run them. */
  readonly stale_dates: readonly string[];
  readonly left_items: number;
  readonly right_items: number;
  readonly matched: number;
  readonly matched_one_to_many: number;
  readonly mismatched: number;
  readonly unmatched_left: number;
  readonly unmatched_right: number;
  /** Items opened on an earlier date that this run cleared. */
  readonly cleared_late_left: number;
  readonly cleared_late_right: number;
  readonly cleared_from: readonly string[];
  /** matched left items / all left items (1 when there are none). */
  readonly match_rate: number;
  readonly amounts?: { readonly matched: number; readonly mismatched_left: number; readonly mismatched_right: number; readonly unmatched_left: number; readonly unmatched_right: number };
  readonly max_age_days?: number;
  readonly severity?: 'error' | 'warn';
  readonly over_age_left: number;
  readonly over_age_right: number;
  readonly oldest_left_days: number;
  readonly oldest_right_days: number;
  readonly labels: { readonly left: string; readonly right: string };
  /** The open items, oldest first (at most OPEN_ITEMS_LISTED of them). */
  readonly open_items: readonly OpenItemRow[];
}

export interface OpenItemRow {
  readonly side: 'left' | 'right';
  readonly key: string;
  readonly opened: string;
  readonly age_days: number;
  readonly amount?: number | null;
}

export const OPEN_ITEMS_LISTED = 50;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "412 matched, 3 cleared late (items from 2026-11-23), 1 order open for 4 days — error". */
export function matchSummaryLine(m: MatchReport): string {
  const parts = [`${m.matched} matched${m.matched_one_to_many ? ` (${m.matched_one_to_many} in one-to-many groups)` : ''}`];
  const late = m.cleared_late_left + m.cleared_late_right;
  if (late) parts.push(`${late} cleared late (items from ${m.cleared_from.join(', ')})`);
  if (m.mismatched) parts.push(`${m.mismatched} mismatched`);
  for (const side of ['left', 'right'] as const) {
    const open = side === 'left' ? m.unmatched_left : m.unmatched_right;
    if (!open) continue;
    const over = side === 'left' ? m.over_age_left : m.over_age_right;
    const oldest = side === 'left' ? m.oldest_left_days : m.oldest_right_days;
    const label = m.labels[side];
    if (over) parts.push(`${plural(over, label)} open for ${over === 1 ? oldest : `up to ${oldest}`} days — ${m.severity ?? 'error'}`);
    if (open - over) parts.push(`${plural(open - over, label)} open${m.max_age_days !== undefined ? ` within ${m.max_age_days} days` : oldest ? ` (up to ${oldest} days)` : ''}`);
  }
  return parts.join(', ');
}
