import { useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactElement } from 'react';
import { updateStage, type SpecCommand, type StageInput } from '@batchbook/pipeline-core';
import { useDoc } from '../store/docStore';
import { usePreview } from '../store/previewStore';
import { select, toast, useUi } from '../store/uiStore';
import { Icon, KindIcon } from '../ui/icons';
import { layoutDag, NODE_H, NODE_W, type DagNode } from './layout';
import { focusCell } from '../notebook/cellKeys';

/** Characters of a name that fit in a node (11 px monospace); the full name is in the tooltip. */
const LABEL_CHARS = 21;

const PAD = 12;

/** What dropping a connection from `from` onto `to` means for `to`'s inputs (a join: its left or right half). */
export function connectCommand(to: StageInput, from: string, rightHalf: boolean): SpecCommand | string {
  const isSource = from.startsWith('source:');
  const name = isSource ? from.slice('source:'.length) : from;
  if (to.kind === 'ingest') return isSource ? updateStage(to.name, { source: name }) : 'an ingest cell reads a source, not another cell';
  if (isSource) return `a source is read by an ingest cell; '${to.name}' is a ${to.kind} cell`;
  switch (to.kind) {
    case 'join':
      return updateStage(to.name, rightHalf ? { right: name } : { left: name });
    case 'union':
    case 'sql':
      return to.inputs.includes(name) ? `'${to.name}' already reads '${name}'` : updateStage(to.name, { inputs: [...to.inputs, name] });
    default:
      return updateStage(to.name, { input: name });
  }
}

function edgePath(a: DagNode, b: DagNode): string {
  const x1 = a.x + NODE_W / 2 + PAD;
  const y1 = a.y + NODE_H + PAD;
  const x2 = b.x + NODE_W / 2 + PAD;
  const y2 = b.y + PAD - 1;
  const my = (y1 + y2) / 2;
  return `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`;
}

/** The pipeline as a graph: click a node to go to its cell; drag from a node's lower edge onto another to connect it as an input. */
export function DagPanel(): ReactElement {
  const input = useDoc((s) => s.input);
  const dispatch = useDoc((s) => s.dispatch);
  const failed = useDoc((s) => s.check?.failed);
  const cells = usePreview((s) => s.cells);
  const selected = useUi((s) => s.selected);
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ from: DagNode; x: number; y: number }>();
  const dag = useMemo(() => (input ? layoutDag(input) : undefined), [input]);
  if (!input || !dag) return <div />;
  const byId = new Map(dag.nodes.map((n) => [n.id, n]));

  const point = (e: PointerEvent) => {
    const r = svg.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const nodeAt = (x: number, y: number) => dag.nodes.find((n) => x >= n.x + PAD && x <= n.x + PAD + NODE_W && y >= n.y + PAD && y <= n.y + PAD + NODE_H);
  const drop = (e: PointerEvent) => {
    if (!drag) return;
    const p = point(e);
    const target = nodeAt(p.x, p.y);
    setDrag(undefined);
    const stage = target && input.stages.find((s) => s.name === target.id);
    if (!target || target.id === drag.from.id || !stage) return;
    const cmd = connectCommand(stage, drag.from.id, p.x > target.x + PAD + NODE_W / 2);
    if (typeof cmd === 'string') toast(cmd, 'error');
    else dispatch(cmd);
  };
  const goTo = (id: string, focus = false) => {
    if (id.startsWith('source:')) return;
    select(id);
    if (focus) focusCell(id, { block: 'start' });
    else document.querySelector(`[data-cell="${id}"]`)?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  // nodes in reading order: arrows move between them, Enter / Space go to the cell (keyboard focus too)
  const onNodeKey = (e: KeyboardEvent<SVGGElement>, n: DagNode) => {
    const i = dag.nodes.indexOf(n);
    const to = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? i - 1 : undefined;
    if (to !== undefined) svg.current?.querySelectorAll<SVGGElement>('.dag-node')[Math.max(0, Math.min(dag.nodes.length - 1, to))]?.focus();
    else if (e.key === 'Enter' || e.key === ' ') goTo(n.id, true);
    else return;
    e.preventDefault();
  };

  return (
    <div className="dag" data-testid="dag">
      <div className="side-title">
        <Icon.graph /> Pipeline
        <span className="muted small side-hint" title="Drag from a node’s lower edge onto a cell to make it that cell’s input">
          · drag a node’s bottom dot to connect
        </span>
      </div>
      {input.stages.length === 0 && Object.keys(input.sources).length === 0 ? (
        <p className="muted small side-empty">The graph fills in as you add sources and cells.</p>
      ) : (
        <div className="dag-scroll scroll-thin">
          <svg ref={svg} width={dag.width + PAD * 2} height={dag.height + PAD * 2} onPointerMove={(e) => drag && setDrag({ ...drag, ...point(e) })} onPointerUp={drop} onPointerLeave={() => setDrag(undefined)}>
            <defs>
              <marker id="dag-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto">
                <path d="M0,0 L8,4 L0,8 z" className="dag-arrowhead" />
              </marker>
            </defs>
            {dag.edges.map((e, i) => {
              const a = byId.get(e.from);
              const b = byId.get(e.to);
              return a && b ? <path key={i} d={edgePath(a, b)} className={`dag-edge ${e.via}`} markerEnd="url(#dag-arrow)" /> : null;
            })}
            {drag && <path d={`M${drag.from.x + NODE_W / 2 + PAD},${drag.from.y + NODE_H + PAD} L${drag.x},${drag.y}`} className="dag-edge dragging" />}
            {dag.nodes.map((n) => {
              const status = n.kind === 'source' ? 'source' : failed?.has(n.id) ? 'error' : (cells[n.id]?.status ?? 'stale');
              return (
                <g key={n.id} transform={`translate(${n.x + PAD},${n.y + PAD})`} className={`dag-node k-${n.kind} st-${status} ${selected === n.id ? 'selected' : ''}`} data-testid={`dag-node-${n.id}`} onClick={() => goTo(n.id)} tabIndex={n.kind === 'source' ? -1 : 0} role={n.kind === 'source' ? 'img' : 'button'} aria-label={n.kind === 'source' ? `source ${n.label}` : `${n.label}, ${n.kind} cell, ${status}: go to the cell`} onKeyDown={(e) => onNodeKey(e, n)}>
                  <rect width={NODE_W} height={NODE_H} rx={7} />
                  <foreignObject x={6} y={7} width={16} height={16}>
                    {n.kind === 'source' ? <Icon.source className="dag-icon" /> : <KindIcon kind={n.kind} className="dag-icon" />}
                  </foreignObject>
                  <text x={26} y={NODE_H / 2 + 4} className="dag-label">
                    {n.label.length > LABEL_CHARS ? `${n.label.slice(0, LABEL_CHARS - 1)}…` : n.label}
                  </text>
                  <title>{`${n.label} (${n.kind}${status !== 'source' ? `, ${status}` : ''})`}</title>
                  <circle
                    cx={NODE_W / 2}
                    cy={NODE_H}
                    r={5}
                    className="dag-port"
                    data-testid={`dag-port-${n.id}`}
                    onPointerDown={(e) => {
                      e.stopPropagation();
                      (e.target as Element).releasePointerCapture?.(e.pointerId);
                      setDrag({ from: n, ...point(e) });
                    }}
                  />
                </g>
              );
            })}
          </svg>
        </div>
      )}
    </div>
  );
}
