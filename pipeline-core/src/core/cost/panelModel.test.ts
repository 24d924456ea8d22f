import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/load.js';
import { applyCostInput, costPanelModel } from './panelModel.js';

const spec = loadSpec(readFileSync(fileURLToPath(new URL('../../../../samples/peak-sales/pipeline.yaml', import.meta.url)), 'utf8')).spec!;
const today = '2026-11-26';

describe('cost panel model', () => {
  it('lists the inputs with the values in use, and gives the estimate and chart layouts', () => {
    const m = costPanelModel(spec, { today });
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const byId = new Map(m.inputs.map((i) => [i.id, i]));
    expect(byId.get('daily_gb.pos_orders')).toMatchObject({ value: 220, unit: 'GB', kind: 'number' });
    expect(byId.get('peak.multiplier')).toMatchObject({ value: 3 });
    expect(byId.get('window_hours')).toMatchObject({ placeholder: 4 }); // from the schedule
    expect(byId.get('throughput.mib_per_vcpu_second')).toMatchObject({ placeholder: 5 });
    expect(byId.get('serverless.service')?.options?.map((o) => o.value)).toContain('dataflow');
    expect(byId.get('always_on.plan')?.options?.map((o) => o.value)).toEqual(['on_demand', 'sustained_use', 'commit_1y', 'commit_3y']);
    // 12 months × 2 options × (compute, lake storage, people)
    expect(m.charts.monthly.rects.length).toBe(72);
    expect(m.estimate.headline.savings_yearly).toBeGreaterThan(0);
  });

  it('an edit to 100 runs a day brings its sanity warning and the break-even chart to the panel', () => {
    const m = costPanelModel(spec, { today, scenario: applyCostInput(spec.cost!, 'runs_per_day', 100) });
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    // 24 h × 60 ÷ 100 = 14.4 min between runs
    expect(m.estimate.warnings).toContain('100 runs a day (one every 14.4 min) is more than a batch schedule: each serverless run is billed its own 2 min start-up; consider fewer, larger runs or a streaming pipeline');
    expect(m.charts.breakEven.paths).toHaveLength(2);
  });

  it('an edit re-prices: peak multiplier 4 adds two cluster nodes (see peakSales.test.ts)', () => {
    const m0 = costPanelModel(spec, { today });
    const sc = applyCostInput(spec.cost!, 'peak.multiplier', 4);
    expect(sc.peak).toEqual({ ...spec.cost!.peak, multiplier: 4 });
    const m1 = costPanelModel(spec, { today, scenario: sc });
    if (!m0.ok || !m1.ok) throw new Error('no estimate');
    expect(m1.estimate.cluster.peak_sized.workers - m0.estimate.cluster.peak_sized.workers).toBe(2);
  });

  it('clearing a value falls back to its default; switching cloud clears the per-cloud choices', () => {
    const cleared = applyCostInput(spec.cost!, 'ops.loaded_rate_per_hour', undefined);
    expect(cleared.ops).toEqual({ always_on_hours_per_month: 16, serverless_hours_per_month: 4 });
    const aws = applyCostInput(spec.cost!, 'provider', 'aws');
    expect(aws.provider).toBe('aws');
    expect(aws.serverless).toBeUndefined();
    expect(aws.always_on).toBeUndefined();
    const m = costPanelModel(spec, { today, scenario: aws });
    expect(m.ok && m.estimate.serverless_runs.service).toBe('glue');
    expect(m.ok && m.estimate.cluster.machine).toBe('m6i.2xlarge');
    const svc = applyCostInput({ always_on: { service: 'gce', machine: 'n2-standard-16', plan: 'commit_1y' } }, 'always_on.service', 'dataproc_gce');
    expect(svc.always_on).toEqual({ service: 'dataproc_gce' });
  });

  it('a scenario that cannot be priced says why and still lists the inputs', () => {
    const m = costPanelModel(spec, { today, scenario: {} });
    expect(m.ok).toBe(false);
    if (m.ok) return;
    expect(m.error).toMatch(/give cost\.daily_gb per source/);
    expect(m.inputs.some((i) => i.id === 'daily_gb.settlements')).toBe(true);
  });
});
