import type { Schema, StageInput } from '@batchbook/pipeline-core';

export type Match = Extract<StageInput, { kind: 'match' }>;
type Side = 'left' | 'right';
const other = (side: Side): Side => (side === 'left' ? 'right' : 'left');

/**
 * The patches the match editor dispatches. Each returns a whole field (amount, date, labels,
 * open_items), so a change is one `updateStage` command; a field emptied on both sides is
 * removed rather than left half-filled.
 */

/** The other side's column: its current one, else a column of the same name, else the first of a fitting type. */
function guess(current: string | undefined, name: string, schema: Schema | undefined): string {
  if (current) return current;
  return schema?.find((c) => c.name === name)?.name ?? '';
}

/** Sets one side's amount column; clearing it removes the amount and the tolerance that needs it. */
export function withAmount(stage: Match, side: Side, column: string, otherSchema: Schema | undefined): Partial<Match> {
  if (column === '') return { amount: undefined, tolerance: undefined, ...(stage.cardinality === 'one_to_many' ? { cardinality: 'one_to_one' as const } : {}) };
  const o = other(side);
  return { amount: { [side]: column, [o]: guess(stage.amount?.[o], column, otherSchema) } as { left: string; right: string } };
}

/** Sets one side's date column; clearing it removes the window. */
export function withDate(stage: Match, side: Side, column: string, otherSchema: Schema | undefined): Partial<Match> {
  if (column === '') return { date: undefined };
  const o = other(side);
  const pair = { [side]: column, [o]: guess(stage.date?.[o], column, otherSchema) } as { left: string; right: string };
  return { date: { ...pair, within_days: stage.date?.within_days ?? 0 } };
}

/** What each side's item is called; both empty removes the labels (the summary then says "left item"). */
export function withLabels(stage: Match, side: Side, text: string): Partial<Match> {
  const next = { left: stage.labels?.left ?? '', right: stage.labels?.right ?? '', [side]: text };
  return { labels: next.left === '' && next.right === '' ? undefined : next };
}

/** Open-item settings; the defaults alone (carry, no age limit, severity error) remove the block. */
export function withOpenItems(stage: Match, change: { carry?: boolean; max_age_days?: number | undefined; severity?: 'error' | 'warn' }): Partial<Match> {
  const next = { ...stage.open_items, ...change };
  const kept = {
    ...(next.carry === false ? { carry: false } : {}),
    ...(next.max_age_days !== undefined ? { max_age_days: next.max_age_days } : {}),
    ...(next.severity === 'warn' ? { severity: 'warn' as const } : {}),
  };
  return { open_items: Object.keys(kept).length ? kept : undefined };
}

export interface KeyPair {
  readonly left: string;
  readonly right: string;
  readonly normalise: readonly ('trim' | 'upper' | 'lower')[];
}

export function keyPair(key: Match['keys'][number]): KeyPair {
  return typeof key === 'string' ? { left: key, right: key, normalise: [] } : { left: key.left, right: key.right, normalise: key.normalise ?? [] };
}

/** A key written the shortest way: a shared name when both sides agree and nothing is normalised. */
export function keyOf(k: KeyPair): Match['keys'][number] {
  if (k.left === k.right && k.normalise.length === 0) return k.left;
  return { left: k.left, right: k.right, ...(k.normalise.length ? { normalise: [...k.normalise] } : {}) };
}

/** Turns one normaliser on or off, keeping the order trim → upper/lower (trim first, so case is compared on the trimmed text). */
export function toggleNormaliser(k: KeyPair, step: 'trim' | 'upper', on: boolean): KeyPair {
  const set = new Set(k.normalise);
  if (on) set.add(step);
  else set.delete(step);
  return { ...k, normalise: (['trim', 'upper', 'lower'] as const).filter((s) => set.has(s)) };
}
