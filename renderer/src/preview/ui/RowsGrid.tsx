import { useCallback, useEffect, useRef, useState, type ReactElement, type RefObject } from 'react';
import { elementScroll, useVirtualizer, type Virtualizer, type VirtualizerOptions } from '@tanstack/react-virtual';
import type { SqlValue } from '@batchbook/pipeline-core';
import { useServices } from '../../app/context';
import { usePreview } from '../../store/previewStore';
import type { RowsPage } from '../engine/stageQueries';

const PAGE = 200; // = FIRST_ROWS, the page a run hands over with a fresh result
const ROW_H = 26;

type Columns = RowsPage['columns'];

function cellText(v: SqlValue): string {
  return v === null ? '' : typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
}

const numeric = (type: string) => type === 'integer' || type === 'double' || type.startsWith('decimal');

const CHAR_PX = 7.3;

/** Timestamps are UTC throughout a pipeline (parse_date converts local times to it): the header says so. */
const typeLabel = (type: string) => (type === 'timestamp' ? 'timestamp (UTC)' : type);

/** Column widths from the header and the first rows, so header and every row line up (and stay put while scrolling). */
function columnWidths(columns: Columns, rowAt: (i: number) => readonly SqlValue[] | undefined, total: number): number[] {
  return columns.map((c, k) => {
    let chars = Math.max(c.name.length, typeLabel(c.type).length * 0.85);
    for (let i = 0; i < Math.min(total, 60); i++) {
      const v = rowAt(i)?.[k];
      if (v !== undefined) chars = Math.max(chars, v === null ? 4 : cellText(v).length);
    }
    return Math.round(Math.min(380, Math.max(numeric(c.type) ? 70 : 90, chars * CHAR_PX + 22)));
  });
}

/** The grid's height in the preview pane (.preview-body): the first render shows the right rows without measuring. */
const GRID_RECT = { width: 800, height: 268 };

/**
 * The scroller's size from a ResizeObserver only. The library's default also reads it at once
 * (getBoundingClientRect): with a grid per cell, opening a project forced one layout per grid,
 * each undone by the next grid's update (0.5 s of layout thrash on the reconciliation sample).
 */
function observeRectLazily(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: { width: number; height: number }) => void): (() => void) | undefined {
  const element = instance.scrollElement;
  if (!element || typeof ResizeObserver === 'undefined') return undefined;
  const observer = new ResizeObserver((entries) => {
    const r = entries[0]?.contentRect;
    if (r) cb({ width: Math.round(r.width), height: Math.round(r.height) });
  });
  observer.observe(element);
  return () => observer.disconnect();
}

/** Grids that have scrolled (by the user or the virtualizer): only they can be anywhere but at the top. */
const scrolled = new WeakSet<Element>();

/** The library writes the scroll offset of every new grid (0): a forced layout per grid for nothing. */
const scrollLazily: VirtualizerOptions<HTMLDivElement, Element>['scrollToFn'] = (offset, options, instance) => {
  const element = instance.scrollElement;
  if (!element || (offset === 0 && !scrolled.has(element))) return;
  scrolled.add(element);
  elementScroll(offset, options, instance);
};

/** A virtualised table of rows fetched a page at a time from the worker: 100k rows scroll as smoothly as 10. */
export function Grid({ columns, total, rowAt, testId }: { columns: Columns; total: number; rowAt: (i: number) => readonly SqlValue[] | undefined; testId: string }): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_H, overscan: 12, initialRect: GRID_RECT, observeElementRect: observeRectLazily, scrollToFn: scrollLazily });
  const widths = useRef<number[]>([]);
  const measured = columnWidths(columns, rowAt, total);
  // columns only ever widen while the grid is shown: no jumps as new pages arrive
  widths.current = measured.map((w, i) => (widths.current.length === measured.length ? Math.max(w, widths.current[i]!) : w));
  const numWidth = Math.max(44, String(total).length * 7 + 18);
  const template = `${numWidth}px ${widths.current.map((w) => `${w}px`).join(' ')}`;
  return (
    <div className="grid scroll-thin" ref={scroller} onScroll={(e) => scrolled.add(e.currentTarget)} data-testid={testId} role="table" aria-rowcount={total} aria-label={`${total.toLocaleString()} rows`} tabIndex={0}>
      <div className="grid-head" style={{ gridTemplateColumns: template }} role="row">
        <div className="grid-rownum">#</div>
        {columns.map((c) => (
          <div key={c.name} className="grid-th" role="columnheader" title={`${c.name} · ${c.type}${c.type === 'timestamp' ? ' · times in UTC' : ''}`}>
            <span className="mono">{c.name}</span>
            <span className="grid-type">{typeLabel(c.type)}</span>
          </div>
        ))}
      </div>
      <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
        {rows.getVirtualItems().map((v) => {
          const row = rowAt(v.index);
          return (
            <div key={v.key} className={`grid-row ${v.index % 2 ? 'odd' : ''}`} role="row" style={{ gridTemplateColumns: template, transform: `translateY(${v.start}px)`, height: ROW_H }}>
              <div className="grid-rownum">{v.index + 1}</div>
              {columns.map((c, k) => {
                const value = row?.[k];
                return (
                  <div key={c.name} className={`grid-td mono ${numeric(c.type) ? 'num' : ''} ${value === null ? 'null' : ''}`} role="cell" title={value === undefined ? '' : cellText(value)}>
                    {row ? (value === null ? 'null' : cellText(value!)) : <span className="skeleton" />}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** Whether an element is on screen (or close to it): off-screen cells ask the worker for nothing. */
function useOnScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return setOn(true);
    const io = new IntersectionObserver(([e]) => setOn(e?.isIntersecting ?? true), { rootMargin: '300px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  return on;
}

/** A stage's output rows. Pages are fetched as they scroll into view and again when the stage re-runs. */
export function RowsGrid({ stage, total }: { stage: string; total: number }): ReactElement {
  const { preview } = useServices();
  const box = useRef<HTMLDivElement>(null);
  const onScreen = useOnScreen(box);
  const generation = usePreview((s) => s.generation[stage] ?? 0);
  // rows already on show wait for the run to finish before refreshing: no queries in its way
  const running = usePreview((s) => s.running);
  const [columns, setColumns] = useState<Columns>([]);
  const [pages, setPages] = useState<Map<number, readonly (readonly SqlValue[])[]>>(new Map());
  const [error, setError] = useState<string>();
  const asked = useRef(new Set<number>());

  const load = useCallback(
    (page: number, gen: number) => {
      if (asked.current.has(page)) return;
      asked.current.add(page);
      preview.client.rows(stage, page * PAGE, PAGE).then(
        (r) => {
          if (gen !== genRef.current) return;
          setColumns(r.columns);
          // a re-run's first page replaces the old rows at once, so the grid never blinks empty
          setPages((p) => (shownGen.current !== gen ? new Map([[page, r.rows]]) : new Map(p).set(page, r.rows)));
          shownGen.current = gen;
          setError(undefined);
        },
        (e: Error) => {
          asked.current.delete(page);
          setError(e.message);
        },
      );
    },
    [preview, stage],
  );
  const genRef = useRef(-1);
  const shownGen = useRef(-1);

  // the run hands over a fresh result's first page with it: shown at once, no query, no blank grid
  const first = usePreview((s) => s.cells[stage]?.firstRows);
  useEffect(() => {
    if (!onScreen || (genRef.current === generation && shownGen.current === generation)) return;
    if (first && first.rows.length > 0) {
      genRef.current = generation;
      shownGen.current = generation;
      asked.current = new Set([0]);
      setColumns(first.columns);
      setPages(new Map([[0, first.rows]]));
      setError(undefined);
      return;
    }
    if (running && shownGen.current >= 0) return;
    genRef.current = generation;
    asked.current = new Set();
    load(0, generation);
  }, [generation, load, onScreen, running, first]);

  const rowAt = (i: number) => {
    const page = Math.floor(i / PAGE);
    const rows = pages.get(page);
    if (!rows || shownGen.current !== genRef.current) {
      queueMicrotask(() => load(page, genRef.current));
      return rows?.[i - page * PAGE];
    }
    return rows[i - page * PAGE];
  };

  let body: ReactElement;
  if (error) body = <div className="preview-empty error-text">{error}</div>;
  else if (total === 0) body = <div className="preview-empty muted" data-testid={`no-rows-${stage}`}>No rows: everything was filtered or rejected, or the input is empty.</div>;
  else if (columns.length === 0) body = <div className="grid-placeholder" />;
  else body = <Grid columns={columns} total={total} rowAt={rowAt} testId={`grid-${stage}`} />;
  return (
    <div ref={box} className="grid-box">
      {body}
    </div>
  );
}
