import { useEffect, type ReactElement } from 'react';
import { formatDiagnostic } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { useUi } from '../store/uiStore';
import { StartScreen } from '../start/StartScreen';
import { Designer } from './Designer';
import { CommandPalette } from './CommandPalette';
import { ExportDialog } from './ExportDialog';
import { Toasts } from './Toasts';
import { useServices } from './context';
import { ACTIONS, MENU_ACTIONS, matches, runAction } from './actions';
import { startAutosave } from './documentActions';

/** Keys first (capture): the shortcuts work even while a field or Monaco has the focus. */
function useShortcuts(): void {
  const services = useServices();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.closest('input, textarea, select, [contenteditable], .monaco-editor') !== null);
      for (const a of ACTIONS) {
        if (!a.keys?.some((k) => matches(e, k))) continue;
        if (typing && !a.global) continue;
        e.preventDefault();
        e.stopPropagation();
        runAction(services, a.id);
        return;
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [services]);
}

function LoadErrors(): ReactElement {
  const errors = useDoc((s) => s.loadErrors ?? []);
  const name = useDoc((s) => s.project?.ref.name);
  return (
    <div className="load-errors" data-testid="load-errors">
      <h2>{name}: pipeline.yaml cannot be read</h2>
      <p className="muted">Fix these in the file and open the project again.</p>
      <ul>
        {errors.map((d, i) => (
          <li key={i} className="mono">
            {formatDiagnostic(d)}
          </li>
        ))}
      </ul>
      <button className="btn" onClick={() => useDoc.getState().close()}>
        Back to the start screen
      </button>
    </div>
  );
}

export function App(): ReactElement {
  const services = useServices();
  const theme = useUi((s) => s.theme);
  const hasProject = useDoc((s) => s.project !== undefined);
  const loadFailed = useDoc((s) => s.loadErrors !== undefined);
  useShortcuts();
  useEffect(() => {
    // switch at once: without this every button fades through its own transition
    const root = document.documentElement;
    root.classList.add('theme-switching');
    root.dataset['theme'] = theme;
    const t = setTimeout(() => root.classList.remove('theme-switching'), 50);
    return () => clearTimeout(t);
  }, [theme]);
  useEffect(() => startAutosave(services.host), [services]);
  useEffect(() => services.host.onCommand((c) => runAction(services, MENU_ACTIONS[c])), [services]);
  return (
    <>
      {!hasProject ? <StartScreen /> : loadFailed ? <LoadErrors /> : <Designer />}
      <CommandPalette />
      <ExportDialog />
      <Toasts />
    </>
  );
}

