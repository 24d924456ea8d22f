import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { stageLabel, type StageKind } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { select, useUi } from '../store/uiStore';
import { KindIcon } from '../ui/icons';
import { ACTIONS, keyLabel, runAction } from './actions';
import { useServices } from './context';

interface Entry {
  readonly id: string;
  readonly label: string;
  readonly group: string;
  readonly keys?: string;
  readonly kind?: StageKind;
  run(): void;
}

/** Every action and every cell, by typing a few letters (Mod+K). */
export function CommandPalette(): ReactElement | null {
  const open = useUi((s) => s.palette);
  // mounted afresh on every opening, so its query starts empty without an effect that could clear
  // what was typed between the first paint and the effect (a fast typist, or a test, loses the query)
  return open ? <Palette /> : null;
}

function Palette(): ReactElement {
  const services = useServices();
  const stages = useDoc((s) => s.input?.stages);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (document.activeElement !== inputRef.current) inputRef.current?.focus();
  }, []);

  const entries = useMemo<Entry[]>(() => {
    const close = () => useUi.setState({ palette: false, insertAt: undefined });
    const actions = ACTIONS.filter((a) => a.id !== 'palette' && (!a.enabled || a.enabled(services))).map<Entry>((a) => ({
      id: a.id,
      label: a.label,
      group: a.group,
      ...(a.keys?.[0] ? { keys: keyLabel(a.keys[0]) } : {}),
      ...(a.id.startsWith('add:') ? { kind: a.id.slice(4) as StageKind } : {}),
      run: () => {
        close();
        runAction(services, a.id);
      },
    }));
    const cells = (stages ?? []).map<Entry>((s) => ({
      id: `goto:${s.name}`,
      label: `Go to ${s.name}`,
      group: `${stageLabel(s.kind)} cell`,
      kind: s.kind,
      run: () => {
        close();
        select(s.name);
        document.querySelector(`[data-cell="${s.name}"]`)?.scrollIntoView({ block: 'start', behavior: 'smooth' });
      },
    }));
    const q = query.trim().toLowerCase();
    const all = [...(useUi.getState().insertAt !== undefined ? actions.filter((a) => a.kind) : []), ...actions, ...cells];
    const unique = [...new Map(all.map((e) => [e.id, e])).values()];
    return q ? unique.filter((e) => `${e.label} ${e.group}`.toLowerCase().includes(q)) : unique;
  }, [query, stages, services]);

  const run = (e: Entry | undefined) => e?.run();
  return (
    <div className="overlay" onMouseDown={() => useUi.setState({ palette: false, insertAt: undefined })}>
      <div className="palette" role="dialog" aria-label="Command palette" data-testid="command-palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={inputRef}
          className="palette-input"
          placeholder="Type a command or a cell name…"
          aria-label="Command or cell name"
          role="combobox"
          aria-expanded
          aria-controls="palette-list"
          aria-autocomplete="list"
          aria-activedescendant={entries[active] ? `palette-option-${active}` : undefined}
          value={query}
          data-testid="palette-input"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, entries.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter') run(entries[active]);
            else if (e.key === 'Escape') useUi.setState({ palette: false, insertAt: undefined });
            else return;
            e.preventDefault();
          }}
        />
        <ul className="palette-list" id="palette-list" role="listbox" aria-label="Commands and cells">
          {entries.map((e, i) => (
            <li key={e.id} id={`palette-option-${i}`} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onMouseEnter={() => setActive(i)} onClick={() => run(e)} data-testid={`palette-${e.id}`}>
              {e.kind ? <KindIcon kind={e.kind} className={`kind-color k-${e.kind}`} /> : <span className="palette-dot" />}
              <span className="palette-label">{e.label}</span>
              <span className="palette-group muted">{e.group}</span>
              {e.keys && <span className="kbd">{e.keys}</span>}
            </li>
          ))}
          {entries.length === 0 && <li className="muted palette-empty" role="option" aria-selected={false} aria-disabled>Nothing matches “{query}”.</li>}
        </ul>
      </div>
    </div>
  );
}
