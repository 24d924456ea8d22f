import { create } from 'zustand';

export type Theme = 'light' | 'dark';
export type SidePanel = 'dag' | 'cost' | 'runs' | null;

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'error' | 'success';
}

/** View state that is not part of the document: theme, selection, open panels, messages. */
export interface UiState {
  readonly theme: Theme;
  readonly selected?: string;
  readonly palette: boolean;
  readonly side: SidePanel;
  readonly toasts: readonly Toast[];
  /** Where a new cell goes when added from the keyboard or the palette. */
  readonly insertAt?: number;
  /** Cells shown as their header only (by stage name). */
  readonly collapsed: Readonly<Record<string, boolean>>;
  /** The web build's export dialog (targets to zip) is open. */
  readonly exportDialog?: boolean;
}

function initialTheme(): Theme {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('batchbook.theme') : null;
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

let toastIds = 0;

export const useUi = create<UiState>()(() => ({ theme: initialTheme(), palette: false, side: 'dag', toasts: [], collapsed: {} }));

export function setTheme(theme: Theme): void {
  localStorage.setItem('batchbook.theme', theme);
  useUi.setState({ theme });
}

export function toast(text: string, tone: Toast['tone'] = 'info'): void {
  const id = ++toastIds;
  useUi.setState((s) => ({ toasts: [...s.toasts, { id, text, tone }].slice(-4) }));
  setTimeout(() => useUi.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), tone === 'error' ? 8000 : 3500);
}

export function select(stage: string | undefined): void {
  useUi.setState({ selected: stage });
}

export function setCollapsed(stage: string, collapsed: boolean): void {
  useUi.setState((s) => ({ collapsed: { ...s.collapsed, [stage]: collapsed } }));
}

/** Collapses every cell to its header, or expands them all. */
export function setAllCollapsed(stages: readonly string[], collapsed: boolean): void {
  useUi.setState({ collapsed: Object.fromEntries(stages.map((n) => [n, collapsed])) });
}
