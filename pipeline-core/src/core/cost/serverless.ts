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
  /** The fewest workers that finish within the window. */
  readonly fewest_workers: number;
  readonly worker_vcpus: number;
  readonly startup_hours: number;
  readonly compute_hours: number;
  /** Elapsed time of the run, start-up included. */
  readonly run_hours: number;
  readonly billed_seconds: number;
  readonly fits_window: boolean;
  readonly lines: readonly RunLine[];
  readonly cost: number;
  /** Why this many workers, in words. */
  readonly sizing: string;
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
 * One serverless run. Workers: of the counts that finish the work within the window after
 * start-up (never fewer than the service's minimum), the one whose run costs least. The fewest
 * that fit is not always cheapest: a Spark driver is billed for the whole run, so more executors
 * shorten what the driver costs, while each executor's start-up is billed too. Every node is
 * billed for the whole run (start-up included), rounded to the billing granularity and minimum;
 * shuffle is priced as the service charges it. When the window is not longer than start-up no
 * count fits: the run gets the workers that would finish the work in the window's length, and
 * `fits_window` is false.
 */
export function serverlessRun(service: ServerlessService, book: PriceBook, input: ServerlessRunInput): ServerlessRun {
  const { work, windowHours } = input;
  const startupHours = input.startupMinutes / 60;
  const available = windowHours - startupHours;
  const perWorker = service.worker.vcpu;
  const budget = available > 0 ? available : windowHours;
  const fewest = Math.max(service.min_workers, Math.ceil(work.vcpu_hours / (budget * perWorker) - 1e-9));
  const firstPrice = book.get(service.meters[0]!.price);
  const priced = (n: number) => priceRun(service, book, input, n, startupHours, firstPrice.billing);
  const workers = cheapestWorkers(fewest, maxUsefulWorkers(work.vcpu_hours, perWorker, fewest), (n) => priced(n).cost);
  const { lines, cost, billed, runHours } = priced(workers);
  const workerVcpus = workers * perWorker;
  const driver = service.driver;
  const nodes = `${driver ? '1 driver + ' : ''}${workers} worker${workers === 1 ? '' : 's'}`;
  const why = available <= 0
    ? `no count finishes within the window, which is not longer than the start-up; these would do the work in the window's length`
    : workers === fewest
    ? `the fewest that finish within the window${driver ? '; more would cost more than they save on the driver' : ''}`
    : `the cheapest count that finishes within the window: the fewest that fit, ${fewest}, would cost ${money3(priced(fewest).cost)} a run against ${money3(cost)}, because ${driver ? 'the driver and ' : ''}what is billed for the whole run costs less when the run is shorter`;
  return {
    service: service.id,
    work,
    workers,
    fewest_workers: fewest,
    worker_vcpus: workerVcpus,
    startup_hours: startupHours,
    compute_hours: work.vcpu_hours / workerVcpus,
    run_hours: runHours,
    billed_seconds: billed,
    fits_window: runHours <= windowHours + 1e-9,
    lines,
    cost,
    sizing: `${workers} worker${workers === 1 ? '' : 's'}: ${why}`,
    working: `workers ≥ max(${service.min_workers}, ⌈${fmt(work.vcpu_hours)} vCPU-h ÷ (${available > 0 ? `${fmt(windowHours)} h window − ${fmt(startupHours)} h start-up` : `${fmt(windowHours)} h window, start-up not counted: it alone exceeds the window`}) ÷ ${perWorker} vCPU⌉) = ${fewest}; cheapest: ${workers}; run = ${fmt(startupHours)} h + ${fmt(work.vcpu_hours)} ÷ ${workerVcpus} vCPU = ${fmt(runHours)} h, billed ${billed} s on ${nodes}`,
  };
}

/** Dollars to three significant digits: a run's cost in a sentence ($2.81, $0.455). */
const money3 = (x: number) => `$${Number(x.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 })}`;

/** Beyond this many workers the compute part of a run drops under a minute: more cannot save anything. */
function maxUsefulWorkers(vcpuHours: number, perWorker: number, fewest: number): number {
  return Math.max(fewest, Math.ceil((vcpuHours * 60) / perWorker));
}

/**
 * The integer in [lo, hi] with the lowest cost. Cost per run is convex in the worker count
 * (driver time falls as 1/n, start-up grows as n) up to billing rounding, so a ternary search
 * narrows it and a scan of the last few settles the rounding; ties go to fewer workers.
 */
export function cheapestWorkers(lo: number, hi: number, cost: (n: number) => number): number {
  let a = lo;
  let b = hi;
  while (b - a > 6) {
    const m1 = a + Math.floor((b - a) / 3);
    const m2 = b - Math.floor((b - a) / 3);
    if (cost(m1) <= cost(m2)) b = m2;
    else a = m1;
  }
  let best = a;
  let bestCost = cost(a);
  for (let n = a + 1; n <= b; n++) {
    const c = cost(n);
    if (c < bestCost - 1e-12) {
      best = n;
      bestCost = c;
    }
  }
  return best;
}

function priceRun(service: ServerlessService, book: PriceBook, input: ServerlessRunInput, workers: number, startupHours: number, billing: Billing) {
  const runHours = startupHours + input.work.vcpu_hours / (workers * service.worker.vcpu);
  const billed = billedSeconds(runHours * 3600, billing);
  const lines = service.meters.map(({ meter, price }): RunLine => {
    const p = book.get(price);
    const q = quantity(meter, service, workers, billed / 3600, input.work.input_gb, input.shuffleRatio, p.billing);
    return { meter, price_id: p.id, name: p.sku, unit: p.unit, usd_per_unit: p.usd, quantity: q.value, cost: q.value * p.usd, working: `${q.working} × $${fmt(p.usd)}/${p.unit}` };
  });
  return { lines, cost: lines.reduce((a, l) => a + l.cost, 0), billed, runHours };
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
      if (!s.shuffle_tiers) return { value: g, working: `${fmt(inputGb)} GB × ${fmt(shuffleRatio)} shuffled` };
      const billed = tieredGb(g, s.shuffle_tiers.tiers);
      return { value: billed.value, working: `${fmt(inputGb)} GB × ${fmt(shuffleRatio)} shuffled = ${fmt(g)} GB, billed after the volume adjustment as ${billed.working}` };
    }
    case 'shuffle_gb_months': {
      const g = inputGb * shuffleRatio;
      const held = billedSeconds(billedHours * 3600, billing) / 3600;
      return { value: (g * held) / HOURS_PER_MONTH, working: `${fmt(g)} GB × ${fmt(held)} h ÷ ${HOURS_PER_MONTH} h/month` };
    }
  }
}

/** GB billed after per-job volume tiers: each tier's GB at its share of the list price. */
export function tieredGb(gb: number, tiers: readonly { readonly gb: number | null; readonly share: number }[]): { value: number; working: string } {
  let left = gb;
  let value = 0;
  const parts: string[] = [];
  for (const t of tiers) {
    if (left <= 0) break;
    const take = t.gb === null ? left : Math.min(left, t.gb);
    value += take * t.share;
    parts.push(`${fmt(take)} GB × ${fmt(t.share * 100)} %`);
    left -= take;
  }
  return { value, working: parts.length ? `${parts.join(' + ')} = ${fmt(value)} GB` : '0 GB' };
}
