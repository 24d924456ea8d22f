import { STAGE_KINDS, addStage, stageLabel, type StageKind } from '@batchbook/pipeline-core';
import type { MenuCommand } from '../host/host';
import { isDirty, useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { setAllCollapsed, setTheme, toast, useUi } from '../store/uiStore';
import { newStage } from '../notebook/newStage';
import type { AppServices } from './context';
import { openProject, save } from './documentActions';
import { startPipelineRun } from '../runs/runsStore';

/**
 * Every user action is one object: a name, its keys, whether it applies now, what it does.
 * Shortcuts, the command palette and the native menu all run these, so they cannot drift.
 */
export interface Action {
  readonly id: string;
  readonly label: string;
  readonly group: 'File' | 'Edit' | 'Cell' | 'Run' | 'View' | 'Add cell';
  /** e.g. 'Mod+Shift+Z' (Mod is Ctrl, or ⌘ on a Mac). */
  readonly keys?: readonly string[];
  /** Keys that work even while typing in a field. */
  readonly global?: boolean;
  /** Whether it applies now (and on this host: the web build offers no pipeline run). */
  enabled?(s: AppServices): boolean;
  perform(s: AppServices): void | Promise<unknown>;
}

const hasDoc = () => useDoc.getState().input !== undefined;

function selectedIndex(): number {
  const { input } = useDoc.getState();
  const sel = useUi.getState().selected;
  const i = input?.stages.findIndex((s) => s.name === sel) ?? -1;
  return i < 0 ? (input?.stages.length ?? 0) : i + 1;
}

export function addCell(kind: StageKind, index: number): void {
  const doc = useDoc.getState();
  if (!doc.input) return;
  const stage = newStage(kind, doc.input, index);
  if (doc.dispatch(addStage(stage, index))) {
    const added = useDoc.getState().input!.stages[index];
    useUi.setState({ selected: added?.name, palette: false });
    requestAnimationFrame(() => document.querySelector(`[data-cell="${added?.name}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
  }
}

/** Shows or hides the graph; shown, the keyboard lands on the selected cell's node (Enter goes back to the cell). */
function toggleDag(): void {
  const open = useUi.getState().side !== 'dag';
  useUi.setState({ side: open ? 'dag' : null });
  if (!open) return;
  const sel = useUi.getState().selected;
  requestAnimationFrame(() => (document.querySelector<SVGGElement>(`[data-testid="dag-node-${sel}"]`) ?? document.querySelector<SVGGElement>('.dag-node[tabindex="0"]'))?.focus());
}

function toggleCollapseAll(): void {
  const names = useDoc.getState().input?.stages.map((s) => s.name) ?? [];
  const collapsed = useUi.getState().collapsed;
  setAllCollapsed(names, !names.every((n) => collapsed[n]));
}

function undoRedo(which: 'undo' | 'redo'): void {
  const label = useDoc.getState()[which]();
  if (label) toast(`${which === 'undo' ? 'Undid' : 'Redid'}: ${label}`);
}

export const ACTIONS: readonly Action[] = [
  { id: 'open', label: 'Open project folder…', group: 'File', keys: ['Mod+O'], global: true, perform: ({ host }) => openProject(host, () => host.openFolder()) },
  { id: 'save', label: 'Save', group: 'File', keys: ['Mod+S'], global: true, enabled: hasDoc, perform: ({ host }) => save(host) },
  {
    id: 'home',
    label: 'Close project (start screen)',
    group: 'File',
    perform: () => {
      if (isDirty(useDoc.getState()) && !confirm('Close the project? Unsaved changes stay in a recovery copy.')) return;
      useDoc.getState().close();
    },
  },
  { id: 'undo', label: 'Undo', group: 'Edit', keys: ['Mod+Z'], global: true, enabled: () => useDoc.getState().history.past.length > 0, perform: () => undoRedo('undo') },
  { id: 'redo', label: 'Redo', group: 'Edit', keys: ['Mod+Shift+Z', 'Mod+Y'], global: true, enabled: () => useDoc.getState().history.future.length > 0, perform: () => undoRedo('redo') },
  {
    id: 'runCell',
    label: 'Run selected cell',
    group: 'Run',
    keys: ['Mod+Enter'],
    global: true,
    enabled: () => hasDoc() && useUi.getState().selected !== undefined,
    perform: ({ preview }) => preview.runStages([useUi.getState().selected!]),
  },
  {
    id: 'runAll',
    label: 'Run all cells',
    group: 'Run',
    keys: ['Mod+Shift+Enter'],
    global: true,
    enabled: hasDoc,
    perform: ({ preview }) => preview.runStages(useDoc.getState().input!.stages.map((s) => s.name)),
  },
  {
    id: 'runPipeline',
    label: 'Run the pipeline (writes the lake)',
    group: 'Run',
    // the runner needs the desktop app (or the CLI): the web build does not offer it at all
    enabled: ({ host }) => hasDoc() && host.can.runPipeline,
    perform: ({ host }) => {
      const ref = useDoc.getState().project?.ref;
      if (ref) startPipelineRun(host, ref, usePreview.getState().params);
    },
  },
  {
    id: 'export',
    label: 'Export the pipeline (Spark, Beam, dbt, Airflow, DuckDB)…',
    group: 'File',
    keys: ['Mod+Shift+E'],
    global: true,
    enabled: () => hasDoc(),
    perform: async ({ host }) => {
      const ref = useDoc.getState().project?.ref;
      if (!ref) return;
      // without a folder to write to, the export is a zip download, made here (ExportDialog)
      if (!host.can.runPipeline) return useUi.setState({ exportDialog: true, palette: false });
      try {
        const r = await host.exportProject(ref, usePreview.getState().params);
        if (r) toast(r.exitCode === 0 ? `Exported to ${r.reportPath ?? 'the folder'}` : `Export failed: ${r.message ?? r.status}`, r.exitCode === 0 ? 'success' : 'error');
      } catch (e) {
        toast(e instanceof Error ? e.message : String(e), 'error');
      }
    },
  },
  { id: 'about', label: 'About Batchbook', group: 'View', perform: () => toast('Batchbook — a notebook designer for batch pipelines. Preview: DuckDB-WASM; runs: the batchbook runner.') },
  { id: 'cancelRun', label: 'Cancel preview', group: 'Run', keys: ['Mod+.'], global: true, enabled: () => usePreview.getState().running, perform: ({ preview }) => preview.cancel() },
  { id: 'palette', label: 'Command palette', group: 'View', keys: ['Mod+K', 'Mod+Shift+P'], global: true, perform: () => useUi.setState((s) => ({ palette: !s.palette })) },
  { id: 'theme', label: 'Toggle light / dark theme', group: 'View', perform: () => setTheme(useUi.getState().theme === 'dark' ? 'light' : 'dark') },
  { id: 'dag', label: 'Show / hide pipeline graph', group: 'View', keys: ['Mod+B'], global: true, enabled: hasDoc, perform: toggleDag },
  { id: 'collapseAll', label: 'Collapse / expand all cells', group: 'View', enabled: hasDoc, perform: toggleCollapseAll },
  { id: 'runs', label: 'Show / hide run history', group: 'View', keys: ['Mod+Shift+H'], global: true, enabled: hasDoc, perform: () => useUi.setState((s) => ({ side: s.side === 'runs' ? null : 'runs' })) },
  { id: 'cost', label: 'Show / hide cost estimate', group: 'View', enabled: hasDoc, perform: () => useUi.setState((s) => ({ side: s.side === 'cost' ? null : 'cost' })) },
  { id: 'addCell', label: 'Add cell below…', group: 'Cell', keys: ['Alt+A'], global: true, enabled: hasDoc, perform: () => useUi.setState({ palette: true, insertAt: selectedIndex() }) },
  ...STAGE_KINDS.map<Action>((kind) => ({
    id: `add:${kind}`,
    label: `Add ${stageLabel(kind).toLowerCase()} cell`,
    group: 'Add cell',
    enabled: hasDoc,
    perform: () => addCell(kind, useUi.getState().insertAt ?? selectedIndex()),
  })),
];

export function action(id: string): Action {
  const a = ACTIONS.find((x) => x.id === id);
  if (!a) throw new Error(`no action ${id}`);
  return a;
}

export function runAction(s: AppServices, id: string): void {
  const a = action(id);
  if (a.enabled && !a.enabled(s)) return;
  void a.perform(s);
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function keyLabel(keys: string): string {
  return keys.replace('Mod', isMac ? '⌘' : 'Ctrl').replace('Shift', isMac ? '⇧' : 'Shift').replace('Alt', isMac ? '⌥' : 'Alt').replace(/\+/g, isMac ? '' : '+');
}

export function matches(e: KeyboardEvent, keys: string): boolean {
  const parts = keys.split('+');
  const key = parts[parts.length - 1]!.toLowerCase();
  const mod = parts.includes('Mod');
  if (mod !== (isMac ? e.metaKey : e.ctrlKey)) return false;
  if (parts.includes('Shift') !== e.shiftKey || parts.includes('Alt') !== e.altKey) return false;
  const pressed = e.code.startsWith('Key') ? e.code.slice(3).toLowerCase() : e.key.toLowerCase();
  return pressed === key || (key === 'enter' && e.key === 'Enter') || (key === '.' && e.key === '.');
}

/** The native menu's commands, mapped to the same actions. */
export const MENU_ACTIONS: Readonly<Record<MenuCommand, string>> = {
  open: 'open',
  save: 'save',
  undo: 'undo',
  redo: 'redo',
  addCell: 'addCell',
  runCell: 'runCell',
  runAll: 'runAll',
  cancelRun: 'cancelRun',
  runPipeline: 'runPipeline',
  export: 'export',
  commandPalette: 'palette',
  toggleTheme: 'theme',
  toggleDag: 'dag',
  toggleRuns: 'runs',
  home: 'home',
  about: 'about',
};
