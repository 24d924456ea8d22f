import type { PriceBook } from './catalog/priceBook.js';
import type { AlwaysOnPlan, AlwaysOnService, MachineType, SustainedUseTiers } from './catalog/types.js';
import { HOURS_PER_MONTH } from './defaults.js';
import { fmt } from './work.js';

export interface ClusterSize {
  readonly workers: number;
  readonly master_nodes: number;
  readonly nodes: number;
  readonly machine: string;
  readonly worker_vcpus: number;
  /** What decided the size: the peak run within the window, the peak day's total work within the up-time, or the minimum. */
  readonly bound: 'window' | 'day' | 'minimum';
  readonly working: string;
}

export interface SizeInput {
  readonly runVcpuHours: number;
  readonly dayVcpuHours: number;
  readonly windowHours: number;
  readonly hoursPerDay: number;
  readonly headroom: number;
}

/**
 * Workers so that the given run finishes within the window, and the day's work within the hours
 * the cluster is up, each with the headroom kept free; never fewer than the service's minimum.
 */
export function sizeCluster(service: AlwaysOnService, machine: MachineType, input: SizeInput): ClusterSize {
  const usable = 1 - input.headroom;
  const byWindow = Math.ceil(input.runVcpuHours / (input.windowHours * usable) / machine.vcpu - 1e-9);
  const byDay = Math.ceil(input.dayVcpuHours / (input.hoursPerDay * usable) / machine.vcpu - 1e-9);
  const workers = Math.max(service.min_workers, byWindow, byDay);
  const bound = workers === service.min_workers && service.min_workers >= Math.max(byWindow, byDay) ? 'minimum' : byWindow >= byDay ? 'window' : 'day';
  return {
    workers,
    master_nodes: service.master_nodes,
    nodes: workers + service.master_nodes,
    machine: machine.id,
    worker_vcpus: workers * machine.vcpu,
    bound,
    working: `workers = max(${service.min_workers}, ⌈${fmt(input.runVcpuHours)} vCPU-h ÷ (${fmt(input.windowHours)} h × ${fmt(usable)}) ÷ ${machine.vcpu} vCPU⌉ = ${byWindow}, ⌈${fmt(input.dayVcpuHours)} vCPU-h a day ÷ (${fmt(input.hoursPerDay)} h × ${fmt(usable)}) ÷ ${machine.vcpu}⌉ = ${byDay}) = ${workers}, plus ${service.master_nodes} master`,
  };
}

/**
 * Share of the on-demand price paid for a VM up `fraction` of the month under sustained-use
 * tiers: each equal slice of the month is billed at its incremental rate.
 */
export function sustainedUseMultiplier(tiers: SustainedUseTiers, fraction: number): number {
  if (fraction <= 0) return 1;
  const n = tiers.incremental_rates.length;
  let paid = 0;
  tiers.incremental_rates.forEach((rate, i) => {
    paid += rate * Math.min(Math.max(fraction - i / n, 0), 1 / n);
  });
  return paid / fraction;
}

export interface ClusterLine {
  readonly price_id: string;
  readonly name: string;
  readonly unit: string;
  /** Effective price per unit (after a sustained-use discount). */
  readonly usd_per_unit: number;
  readonly list_usd_per_unit: number;
  /** Units per hour the cluster is billed. */
  readonly quantity_per_hour: number;
  /** Billed every hour of the month (a commitment, a disk) rather than only the hours the cluster is up. */
  readonly always_billed: boolean;
  readonly working: string;
}

/** The cluster's price lines per billed hour for a pricing plan. */
export function clusterLines(service: AlwaysOnService, machine: MachineType, plan: AlwaysOnPlan, nodes: number, book: PriceBook, hoursPerDay: number): ClusterLine[] {
  const committed = plan === 'commit_1y' || plan === 'commit_3y';
  const planLines = plan === 'sustained_use' ? machine.plans.on_demand : machine.plans[plan];
  if (!planLines) throw new Error(`plan ${plan} is not offered for ${machine.id}`);
  const tiers = book.catalog.sustained_use;
  const sud = plan === 'sustained_use' && tiers ? sustainedUseMultiplier(tiers, hoursPerDay / 24) : 1;
  const lines: ClusterLine[] = planLines.map((l) => {
    const p = book.get(l.price);
    const per = l.per === 'vcpu' ? machine.vcpu : l.per === 'gb' ? machine.memory_gb : 1;
    const what = l.per === 'vcpu' ? `${nodes} nodes × ${per} vCPU` : l.per === 'gb' ? `${nodes} nodes × ${per} GB` : `${nodes} instances`;
    return {
      price_id: p.id, name: p.sku, unit: p.unit,
      usd_per_unit: p.usd * sud, list_usd_per_unit: p.usd,
      quantity_per_hour: nodes * per, always_billed: committed,
      working: `${what} × $${fmt(p.usd)}/${p.unit}${sud !== 1 ? ` × ${fmt(sud)} (sustained-use discount)` : ''}`,
    };
  });
  if (service.fee_per_vcpu_hour) {
    const p = book.get(service.fee_per_vcpu_hour);
    lines.push({ price_id: p.id, name: p.sku, unit: p.unit, usd_per_unit: p.usd, list_usd_per_unit: p.usd, quantity_per_hour: nodes * machine.vcpu, always_billed: false, working: `${nodes} nodes × ${machine.vcpu} vCPU × $${fmt(p.usd)}/${p.unit}` });
  }
  const disk = book.get(service.disk.price);
  lines.push({
    price_id: disk.id, name: disk.sku, unit: disk.unit, usd_per_unit: disk.usd, list_usd_per_unit: disk.usd,
    quantity_per_hour: (nodes * service.disk.gb_per_node) / HOURS_PER_MONTH, always_billed: true,
    working: `${nodes} nodes × ${service.disk.gb_per_node} GB ÷ ${HOURS_PER_MONTH} h/month × $${fmt(disk.usd)}/${disk.unit}`,
  });
  return lines;
}

/** Billed hours of a line in a month of `days` days. */
export function lineHours(line: ClusterLine, days: number, hoursPerDay: number): number {
  return days * (line.always_billed ? 24 : hoursPerDay);
}
