import type { SpecCommand, SpecInput } from '@batchbook/pipeline-core';

/**
 * Undo history as a stack of snapshots: specs are immutable and commands share every part they
 * do not change, so a snapshot costs what the edit touched. Typing into one field makes many
 * commands; those with the same `coalesce` key in quick succession become one undo step.
 */
export interface HistoryEntry {
  readonly label: string;
  readonly before: SpecInput;
  readonly after: SpecInput;
  readonly coalesce?: string;
  readonly at: number;
}

export interface History {
  readonly past: readonly HistoryEntry[];
  readonly future: readonly HistoryEntry[];
}

export const EMPTY_HISTORY: History = { past: [], future: [] };
const COALESCE_MS = 1500;
const LIMIT = 500;

/** Applies a command; returns the new spec and history, or the same objects when nothing changed. */
export function record(history: History, spec: SpecInput, command: SpecCommand, at: number, coalesce?: string): { spec: SpecInput; history: History } {
  const next = command.apply(spec);
  if (next === spec) return { spec, history };
  const last = history.past[history.past.length - 1];
  if (coalesce && last?.coalesce === coalesce && at - last.at < COALESCE_MS && history.future.length === 0) {
    const merged: HistoryEntry = { ...last, after: next, at };
    return { spec: next, history: { past: [...history.past.slice(0, -1), merged], future: [] } };
  }
  const entry: HistoryEntry = { label: command.label, before: spec, after: next, at, ...(coalesce ? { coalesce } : {}) };
  return { spec: next, history: { past: [...history.past, entry].slice(-LIMIT), future: [] } };
}

export function undo(history: History): { spec: SpecInput; history: History; label: string } | undefined {
  const last = history.past[history.past.length - 1];
  if (!last) return undefined;
  return { spec: last.before, label: last.label, history: { past: history.past.slice(0, -1), future: [last, ...history.future] } };
}

export function redo(history: History): { spec: SpecInput; history: History; label: string } | undefined {
  const next = history.future[0];
  if (!next) return undefined;
  return { spec: next.after, label: next.label, history: { past: [...history.past, next], future: history.future.slice(1) } };
}
