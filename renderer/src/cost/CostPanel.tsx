import { useDeferredValue, useMemo, useState, type ReactElement } from 'react';
import {
  applyCostInput,
  costPanelModel,
  renderCostReport,
  type ChartLayout,
  type CostEstimate,
  type CostInput,
  type CostSection,
  type PipelineSpec,
} from '@batchbook/pipeline-core';
import './CostPanel.css';

// The designer's cost panel: the scenario inputs, the live comparison of serverless against an
// always-on cluster, and the charts. All numbers come from pipeline-core's costPanelModel (the
// same model as `batchbook cost`); this file only draws them.

export interface CostPanelProps {
  readonly spec: PipelineSpec;
  /** ISO date of the estimate (default: today). */
  readonly today?: string;
  /** Called with the edited `cost:` section, for the host to save into the spec. */
  readonly onScenarioChange?: (cost: CostSection) => void;
}

const money = (x: number): string => `${x < 0 ? '−' : ''}$${Math.round(Math.abs(x)).toLocaleString('en-US')}`;
const GROUPS: readonly CostInput['group'][] = ['Volume', 'Schedule and peaks', 'Services', 'Operations'];

/** Draws a chart layout from pipeline-core as SVG (the same geometry as the HTML report). */
export function CostChart({ layout, testId }: { readonly layout: ChartLayout; readonly testId: string }): ReactElement {
  return (
    <svg className="cost-chart" data-testid={testId} role="img" aria-label={layout.description} viewBox={`0 0 ${layout.width} ${layout.height}`} style={{ maxWidth: layout.width }}>
      {layout.bands.map((b, i) => (
        <rect key={`b${i}`} className={`band ${b.kind}`} x={b.x} y={b.y} width={b.w} height={b.h}>
          <title>{b.title}</title>
        </rect>
      ))}
      {layout.grid.map((l, i) => <line key={`l${i}`} className={l.kind} x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} />)}
      {layout.rects.map((r, i) => (
        <rect key={`r${i}`} className={`${r.series} ${r.part}`} x={r.x} y={r.y} width={Math.max(0, r.w)} height={Math.max(0, r.h)}>
          <title>{r.title}</title>
        </rect>
      ))}
      {layout.paths?.map((p, i) => (
        <polyline key={`p${i}`} className={`curve ${p.series}`} points={p.points.map(([x, y]) => `${x},${y}`).join(' ')}>
          <title>{p.title}</title>
        </polyline>
      ))}
      {layout.markers?.map((m, i) => (
        <circle key={`m${i}`} className={`marker ${m.kind}`} cx={m.x} cy={m.y} r={3.5}>
          <title>{m.title}</title>
        </circle>
      ))}
      {layout.labels.map((t, i) => (
        <text key={`t${i}`} className={t.kind} x={t.x} y={t.y} textAnchor={t.anchor}>
          {t.text}
        </text>
      ))}
    </svg>
  );
}

function NumberField({ input, onChange }: { readonly input: CostInput; readonly onChange: (v: number | undefined) => void }): ReactElement {
  // The text being typed is kept as typed ("3." is not yet a number); valid numbers re-price at once.
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const shown = draft ?? (input.value === undefined ? '' : String(input.value));
  const invalid = draft !== undefined && draft.trim() !== '' && !isValid(draft, input);
  return (
    <label className="cost-field">
      <span className="cost-field-label">{input.label}</span>
      <span className="cost-field-control">
        <input
          type="number"
          inputMode="decimal"
          data-testid={`cost-input-${input.id}`}
          aria-invalid={invalid}
          value={shown}
          placeholder={input.placeholder === undefined ? '' : String(input.placeholder)}
          min={input.min}
          max={input.max}
          step={input.step}
          onChange={(ev) => {
            const text = ev.target.value;
            setDraft(text);
            if (text.trim() === '') onChange(undefined);
            else if (isValid(text, input)) onChange(Number(text));
          }}
          onBlur={() => setDraft(undefined)}
        />
        {input.unit ? <span className="cost-unit">{input.unit}</span> : null}
      </span>
      {input.hint ? <span className="cost-hint">{input.hint}</span> : null}
    </label>
  );
}

function isValid(text: string, input: CostInput): boolean {
  const n = Number(text);
  return Number.isFinite(n) && (input.min === undefined || n >= input.min) && (input.max === undefined || n <= input.max);
}

function SelectField({ input, onChange }: { readonly input: CostInput; readonly onChange: (v: string | undefined) => void }): ReactElement {
  const fallback = input.options?.find((o) => o.value === input.placeholder)?.label ?? String(input.placeholder ?? '');
  return (
    <label className="cost-field">
      <span className="cost-field-label">{input.label}</span>
      <select data-testid={`cost-input-${input.id}`} value={input.value === undefined ? '' : String(input.value)} onChange={(ev) => onChange(ev.target.value === '' ? undefined : ev.target.value)}>
        <option value="">Default: {fallback}</option>
        {input.options?.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </label>
  );
}

function Comparison({ e }: { readonly e: CostEstimate }): ReactElement {
  const serverless = e.scenarios.find((s) => s.id === 'serverless')!;
  const alwaysOn = e.scenarios.find((s) => s.id === 'always_on')!;
  const c = e.cluster.peak_sized;
  return (
    <div className="cost-kpis">
      <div className="cost-kpi s"><span>Serverless, a year</span><b data-testid="cost-serverless">{money(serverless.tco_yearly)}</b><small>{money(serverless.compute_yearly)} compute + {money(serverless.ops.yearly_cost)} people</small></div>
      <div className="cost-kpi a"><span>Always-on, a year</span><b data-testid="cost-always-on">{money(alwaysOn.tco_yearly)}</b><small>{c.master_nodes + c.workers} × {e.cluster.machine}: {money(alwaysOn.compute_yearly)} compute + {money(alwaysOn.ops.yearly_cost)} people</small></div>
      <div className="cost-kpi"><span>Cluster utilisation</span><b>{(c.utilisation * 100).toPrecision(2)} %</b><small>of the hours it is paid for</small></div>
      <div className="cost-kpi"><span>Lake storage, a year</span><b data-testid="cost-storage">{money(serverless.storage_yearly)}</b><small>the same for both, shown apart from compute</small></div>
    </div>
  );
}

function downloadReport(e: CostEstimate): void {
  const url = URL.createObjectURL(new Blob([renderCostReport(e)], { type: 'text/html' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${e.pipeline}-cost-${e.year}.html`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The cost panel: scenario inputs on the left, the live comparison and charts on the right. */
export function CostPanel({ spec, today, onScenarioChange }: CostPanelProps): ReactElement {
  const [scenario, setScenario] = useState<CostSection>(() => spec.cost ?? {});
  // Typing stays responsive: the estimate (tens of ms) follows the latest value when it can.
  const deferred = useDeferredValue(scenario);
  const date = today ?? new Date().toISOString().slice(0, 10);
  const model = useMemo(() => costPanelModel(spec, { today: date, scenario: deferred }), [spec, date, deferred]);
  const set = (id: string, value: number | string | undefined) => {
    const next = applyCostInput(scenario, id, value);
    setScenario(next);
    onScenarioChange?.(next);
  };

  return (
    <section className="cost-panel" data-testid="cost-panel" aria-busy={deferred !== scenario}>
      <form className="cost-inputs" onSubmit={(ev) => ev.preventDefault()}>
        {GROUPS.map((g) => (
          <fieldset key={g}>
            <legend>{g}</legend>
            {model.inputs.filter((i) => i.group === g).map((i) =>
              i.kind === 'number'
                ? <NumberField key={i.id} input={i} onChange={(v) => set(i.id, v)} />
                : <SelectField key={i.id} input={i} onChange={(v) => set(i.id, v)} />)}
          </fieldset>
        ))}
      </form>
      <div className="cost-results">
        {model.ok ? (
          <>
            <h2 className="cost-headline" data-testid="cost-headline">{model.estimate.headline.sentence}</h2>
            {model.estimate.warnings.length ? (
              <div className="cost-warnings" role="status" data-testid="cost-warnings">
                {model.estimate.warnings.map((w) => <p key={w} className="cost-warning">⚠ {w}</p>)}
              </div>
            ) : null}
            <Comparison e={model.estimate} />
            <h3>Cost per month in {model.estimate.year}</h3>
            <div className="cost-legend">
              <span><i className="sw si" />Serverless compute</span><span><i className="sw so" />people</span>
              <span><i className="sw ai" />Always-on compute</span><span><i className="sw ao" />people</span>
              <span><i className="sw st" />Lake storage (both)</span>
              {model.estimate.work.peak_days > 0 ? <span><i className="sw pk" />peak days</span> : null}
            </div>
            <CostChart layout={model.charts.monthly} testId="cost-chart-monthly" />
            <div className="cost-two">
              <div><h3>A year, infrastructure and people</h3><CostChart layout={model.charts.tco} testId="cost-chart-tco" /></div>
              <div><h3>A normal day of the cluster</h3><CostChart layout={model.charts.day} testId="cost-chart-day" /></div>
            </div>
            <p className="cost-note">{model.estimate.peak_day.sentence}</p>
            <h3>Break-even: cost a year against daily volume (● today)</h3>
            <div className="cost-legend"><span><i className="sw si" />Serverless</span><span><i className="sw ai" />Always-on</span></div>
            <CostChart layout={model.charts.breakEven} testId="cost-chart-break-even" />
            <p className="cost-note" data-testid="cost-break-even">{model.estimate.break_even.explanation}</p>
            <p className="cost-note" data-testid="cost-sizing">Serverless sizing: {model.estimate.serverless_runs.normal.sizing}.</p>
            <h3>What moves the savings most</h3>
            <CostChart layout={model.charts.sensitivity} testId="cost-chart-sensitivity" />
            <button type="button" className="cost-report-button" onClick={() => downloadReport(model.estimate)}>Download the one-page report</button>
          </>
        ) : (
          <div className="cost-empty" role="alert">
            {model.inputs.some((i) => i.id.startsWith('daily_gb.') && i.value !== undefined) ? (
              <p><b>These inputs cannot be priced.</b></p>
            ) : (
              <p><b>Nothing to price yet.</b> Fill in the volume each source brings on a normal day (under Volume), and the estimate appears here.</p>
            )}
            <p className="cost-error" data-testid="cost-error">{model.error}</p>
          </div>
        )}
      </div>
    </section>
  );
}
