import type { KeyboardEvent } from 'react';
import { select } from '../store/uiStore';
import { focusEditorIn } from '../editors/focusTargets';

/**
 * Jupyter-like keys for the notebook. A cell (the <section>) takes the focus as a whole in
 * "command mode": arrows (or j / k) move to the cell above or below, Home / End to the first or
 * last, Enter edits it (the focus goes to its expression, else its first field). Escape from any
 * field inside — Monaco included, once its own widgets are closed — comes back to the cell.
 */
const CELL = 'section[data-cell]';
const FIELDS = 'input:not([type="hidden"]), select, textarea, button';

function cells(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(CELL)];
}

/** Focuses a cell (the whole cell, command mode), selects it and scrolls it into view. */
export function focusCell(name: string | undefined, scroll: ScrollIntoViewOptions = { block: 'nearest' }): boolean {
  const el = name ? document.querySelector<HTMLElement>(`${CELL}[data-cell="${CSS.escape(name)}"]`) : cells()[0];
  if (!el) return false;
  el.focus({ preventScroll: true });
  el.scrollIntoView(scroll);
  select(el.dataset['cell']);
  return true;
}

/** Edit mode: the cell's first expression editor, else its first field in the editor part. */
export function editCell(cell: HTMLElement): boolean {
  const editor = cell.querySelector('.cell-editor');
  if (editor && focusEditorIn(editor)) return true;
  const target = editor?.querySelector<HTMLElement>('.expr-fallback') ?? editor?.querySelector<HTMLElement>(FIELDS);
  if (!target) return false;
  target.focus();
  return true;
}

function move(cell: HTMLElement, to: 'prev' | 'next' | 'first' | 'last'): void {
  const all = cells();
  const i = all.indexOf(cell);
  const j = to === 'first' ? 0 : to === 'last' ? all.length - 1 : to === 'prev' ? Math.max(0, i - 1) : Math.min(all.length - 1, i + 1);
  focusCell(all[j]?.dataset['cell']);
}

const MOVES: Readonly<Record<string, 'prev' | 'next' | 'first' | 'last'>> = { ArrowUp: 'prev', k: 'prev', ArrowDown: 'next', j: 'next', Home: 'first', End: 'last' };

/** onKeyDown of a cell's <section>. */
export function onCellKeyDown(e: KeyboardEvent<HTMLElement>): void {
  const cell = e.currentTarget;
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  if (e.target === cell) {
    const to = MOVES[e.key];
    if (to) move(cell, to);
    else if (e.key === 'Enter' && !e.shiftKey) {
      if (!editCell(cell)) return;
    } else return;
    e.preventDefault();
    return;
  }
  // a widget that used Escape (Monaco's suggestions, a select's list) has already prevented it
  if (e.key === 'Escape' && !e.defaultPrevented) {
    e.preventDefault();
    cell.focus({ preventScroll: true });
  }
}
