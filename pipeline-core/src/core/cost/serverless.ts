import type { Billing, ServerlessMeter, ServerlessService } from './catalog/types.js';
import type { PriceBook } from './catalog/priceBook.js';
import { HOURS_PER_MONTH } from './defaults.js';
import { fmt, type RunWork } from './work.js';

/** One priced line of a run: quantity × price, with how the quantity came about. */
export interface RunLine {
  readonly meter: ServerlessMeter;
  readonly price_id: string;
  readonly name: string;
  readonly unit: string;
  readonly usd_per_unit: number;
  readonly quantity: number;
  readonly cost: number;
  readonly working: string;
}

export interface ServerlessRun {
  readonly service: string;
  readonly work: RunWork;
  /** Workers (executors) besides the driver. */
  readonly workers: number;
  readonly worker_vcpus: number;
  readonly startup_hours: number;
  readonly compute_hours: number;
  /** Elapsed time of the run, start-up included. */
  readonly run_hours: number;
  readonly billed_seconds: number;
  readonly fits_window: boolean;
  readonly lines: readonly RunLine[];
  readonly cost: number;
  readonly working: string;
}

export interface ServerlessRunInput {
  readonly work: RunWork;
  readonly windowHours: number;
  readonly startupMinutes: number;
  readonly shuffleRatio: number;
}

/** Rounds a duration up to the billing granularity, then to the minimum. */
export function billedSeconds(seconds: number, billing: Billing): number {
  const g = billing.granularity_seconds;
  // 1e-9: a duration that is a whole number of seconds in exact arithmetic must not round up.
  const rounded = Math.ceil(seconds / g - 1e-9) * g;
  return Math.max(billing.minimum_seconds, rounded);
}

/**
 * One serverless run: enough workers to finish the work within the window after start-up, never
 * fewer than the service's minimum; every node billed for the whole run (start-up included),
 * rounded to the billing granularity and minimum; shuffle priced as the service charges it.
 */
export function serverlessRun(service: ServerlessService, book: PriceBook, input: ServerlessRunInput): ServerlessRun {
  const { work, windowHours } = input;
  const startupHours = input.startupMinutes / 60;
  const available = windowHours - startupHours;
  const perWorker = service.worker.vcpu;
  const needed = available > 0 ? Math.ceil(work.vcpu_hours / (available * perWorker) - 1e-9) : Infinity;
  const workers = Math.max(service.min_workers, Number.isFinite(needed) ? needed : service.min_workers);
  const workerVcpus = workers * perWorker;
  const computeHours = work.vcpu_hours / workerVcpus;
  const runHours = startupHours + computeHours;
  const firstPrice = book.get(service.meters[0]!.price);
  const billed = billedSeconds(runHours * 3600, firstPrice.billing);
  const billedHours = billed / 3600;

  const driver = service.driver;
  const nodes = `${driver ? '1 driver + ' : ''}${workers} worker${workers === 1 ? '' : 's'}`;
  const lines = service.meters.map(({ meter, price }): RunLine => {
    const p = book.get(price);
    const q = quantity(meter, service, workers, billedHours, work.input_gb, input.shuffleRatio, p.billing);
    return { meter, price_id: p.id, name: p.sku, unit: p.unit, usd_per_unit: p.usd, quantity: q.value, cost: q.value * p.usd, working: `${q.working} × $${fmt(p.usd)}/${p.unit}` };
  });
  const cost = lines.reduce((a, l) => a + l.cost, 0);
  return {
    service: service.id,
    work,
    workers,
    worker_vcpus: workerVcpus,
    startup_hours: startupHours,
    compute_hours: computeHours,
    run_hours: runHours,
    billed_seconds: billed,
    fits_window: runHours <= windowHours + 1e-9,
    lines,
    cost,
    working: `workers = max(${service.min_workers}, ⌈${fmt(work.vcpu_hours)} vCPU-h ÷ (${fmt(windowHours)} h window − ${fmt(startupHours)} h start-up) ÷ ${perWorker} vCPU⌉) = ${workers}; run = ${fmt(startupHours)} h + ${fmt(work.vcpu_hours)} ÷ ${workerVcpus} vCPU = ${fmt(runHours)} h, billed ${billed} s on ${nodes}`,
  };
}

function quantity(meter: ServerlessMeter, s: ServerlessService, workers: number, billedHours: number, inputGb: number, shuffleRatio: number, billing: Billing): { value: number; working: string } {
  const d = s.driver;
  const h = fmt(billedHours);
  switch (meter) {
    case 'vcpu_hours': {
      const v = (d?.vcpu ?? 0) + workers * s.worker.vcpu;
      return { value: v * billedHours, working: `${v} vCPU × ${h} h` };
    }
    case 'gb_hours': {
      const g = (d?.memory_gb ?? 0) + workers * s.worker.memory_gb;
      return { value: g * billedHours, working: `${g} GB × ${h} h` };
    }
    case 'dcu_hours':
    case 'dpu_hours': {
      const u = (d ? s.units_per_driver ?? 0 : 0) + workers * (s.units_per_worker ?? 0);
      const name = meter === 'dcu_hours' ? 'DCU' : 'DPU';
      return { value: u * billedHours, working: `${u} ${name} × ${h} h` };
    }
    case 'shuffle_gb': {
      const g = inputGb * shuffleRatio;
      return { value: g, working: `${fmt(inputGb)} GB × ${fmt(shuffleRatio)} shuffled` };
    }
    case 'shuffle_gb_months': {
      const g = inputGb * shuffleRatio;
      const held = billedSeconds(billedHours * 3600, billing) / 3600;
      return { value: (g * held) / HOURS_PER_MONTH, working: `${fmt(g)} GB × ${fmt(held)} h ÷ ${HOURS_PER_MONTH} h/month` };
    }
  }
}
