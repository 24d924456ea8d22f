import { clusterLines, lineHours, sizeCluster, type ClusterLine, type ClusterSize } from './alwaysOn.js';
import { daysInMonth } from './calendar.js';
import type { ResolvedScenario } from './scenario.js';
import { serverlessRun, type ServerlessRun } from './serverless.js';
import { fmt, runWork, type RunWork } from './work.js';

export interface CalendarTotals {
  readonly days: number;
  readonly runs: number;
  readonly normal_runs: number;
  readonly peak_runs: number;
  readonly peak_days: number;
  /** Average runs per day over the year. */
  readonly runs_per_day: number;
  readonly max_runs_per_day: number;
  /** Runs on a day that has runs, on average (a weekday cron: 1). */
  readonly runs_per_run_day: number;
}

export interface ClusterOption {
  readonly size: ClusterSize;
  readonly lines: readonly ClusterLine[];
  /** Infrastructure cost per calendar month, January first. */
  readonly monthly: readonly number[];
  readonly year: number;
  readonly hours_up_year: number;
  /** Busy share of the workers' vCPU-hours over the hours the cluster is up. */
  readonly utilisation: number;
  readonly normal_run_hours: number;
  /** Hours the workers are busy on a normal day with runs: every run of the day, one after another. */
  readonly normal_day_busy_hours: number;
  readonly peak_run_hours: number;
  /** Hours past the window a peak-day run finishes (0 if on time). */
  readonly peak_late_hours: number;
}

export interface CoreResult {
  readonly totals: CalendarTotals;
  readonly work: { readonly normal: RunWork; readonly peak: RunWork; readonly vcpu_hours_year: number };
  readonly serverless: { readonly normal: ServerlessRun; readonly peak: ServerlessRun; readonly monthly: readonly number[]; readonly year: number };
  readonly storage: { readonly stored_gb: number; readonly price_id: string; readonly usd_per_gb_month: number; readonly monthly: number; readonly year: number; readonly working: string };
  readonly alwaysOn: ClusterOption;
  /** The same cluster sized for a normal day: cheaper, late on peak days. */
  readonly undersized: ClusterOption;
  readonly ops: { readonly serverless_monthly: number; readonly always_on_monthly: number };
  readonly tco: {
    readonly serverless_year: number;
    readonly always_on_year: number;
    readonly undersized_year: number;
    readonly savings_year: number;
    readonly savings_pct: number;
  };
}

export function calendarTotals(s: ResolvedScenario): CalendarTotals {
  const days = s.calendar.days;
  let runs = 0;
  let peakRuns = 0;
  let peakDays = 0;
  let maxRuns = 0;
  let runDays = 0;
  for (const d of days) {
    runs += d.runs;
    if (d.runs > 0) runDays += 1;
    maxRuns = Math.max(maxRuns, d.runs);
    if (d.peak) {
      peakRuns += d.runs;
      peakDays += 1;
    }
  }
  return { days: days.length, runs, normal_runs: runs - peakRuns, peak_runs: peakRuns, peak_days: peakDays, runs_per_day: runs / days.length, max_runs_per_day: maxRuns, runs_per_run_day: runDays > 0 ? runs / runDays : 0 };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Every number of the comparison for one resolved scenario: the work per run, the serverless
 * runs and their calendar, the always-on cluster sized for the peak (and the one sized for a
 * normal day), storage shared by both, operations, and the total cost of ownership.
 */
export function computeCore(s: ResolvedScenario): CoreResult {
  const totals = calendarTotals(s);
  const perRunGb = totals.runs_per_day > 0 ? s.dailyGb / totals.runs_per_day : 0;
  const normal = runWork(perRunGb, s.mibPerVcpuSecond);
  // A multiplier without peak days changes nothing: no run is a peak run.
  const hasPeak = totals.peak_runs > 0;
  const peak = hasPeak ? runWork(perRunGb * s.peakMultiplier, s.mibPerVcpuSecond) : normal;
  const vcpuHoursYear = normal.vcpu_hours * totals.normal_runs + peak.vcpu_hours * totals.peak_runs;

  const runInput = { windowHours: s.windowHours, startupMinutes: s.serverless.startupMinutes, shuffleRatio: s.serverless.shuffleRatio };
  const sNormal = serverlessRun(s.serverless.service, s.book, { ...runInput, work: normal });
  const sPeak = serverlessRun(s.serverless.service, s.book, { ...runInput, work: peak });
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const serverlessMonthly = months.map((m) => sum(s.calendar.days.filter((d) => d.month === m).map((d) => d.runs * (d.peak ? sPeak.cost : sNormal.cost))));

  // Storage: the lake keeps raw files `retentionDays`; the same whichever way they are processed.
  const avgDailyGb = (s.dailyGb * (totals.days + (s.peakMultiplier - 1) * totals.peak_days)) / totals.days;
  const storedGb = avgDailyGb * s.retentionDays;
  const storagePrice = s.book.get(s.book.catalog.storage_price);
  const storageMonthly = storedGb * storagePrice.usd;

  const option = (runVcpu: number, dayVcpu: number): ClusterOption => {
    const size = sizeCluster(s.alwaysOn.service, s.alwaysOn.machine, { runVcpuHours: runVcpu, dayVcpuHours: dayVcpu, windowHours: s.windowHours, hoursPerDay: s.alwaysOn.hoursPerDay, headroom: s.alwaysOn.headroom });
    const lines = clusterLines(s.alwaysOn.service, s.alwaysOn.machine, s.alwaysOn.plan, size.nodes, s.book, s.alwaysOn.hoursPerDay);
    const monthly = months.map((m) => {
      const days = daysInMonth(s.year, m);
      return sum(lines.map((l) => l.usd_per_unit * l.quantity_per_hour * lineHours(l, days, s.alwaysOn.hoursPerDay)));
    });
    const hoursUp = totals.days * s.alwaysOn.hoursPerDay;
    const peakRunHours = peak.vcpu_hours / size.worker_vcpus;
    return {
      size, lines, monthly, year: sum(monthly), hours_up_year: hoursUp,
      utilisation: vcpuHoursYear / (size.worker_vcpus * hoursUp),
      normal_run_hours: normal.vcpu_hours / size.worker_vcpus,
      normal_day_busy_hours: Math.min(24, (normal.vcpu_hours / size.worker_vcpus) * totals.runs_per_run_day),
      peak_run_hours: peakRunHours,
      peak_late_hours: Math.max(0, peakRunHours - s.windowHours),
    };
  };
  const alwaysOn = option(peak.vcpu_hours, peak.vcpu_hours * totals.max_runs_per_day);
  const undersized = option(normal.vcpu_hours, normal.vcpu_hours * totals.max_runs_per_day);

  const ops = { serverless_monthly: s.ops.serverlessHours * s.ops.ratePerHour, always_on_monthly: s.ops.alwaysOnHours * s.ops.ratePerHour };
  const serverlessYear = sum(serverlessMonthly);
  const tcoServerless = serverlessYear + 12 * (storageMonthly + ops.serverless_monthly);
  const tcoAlwaysOn = alwaysOn.year + 12 * (storageMonthly + ops.always_on_monthly);
  const tcoUndersized = undersized.year + 12 * (storageMonthly + ops.always_on_monthly);
  return {
    totals,
    work: { normal, peak, vcpu_hours_year: vcpuHoursYear },
    serverless: { normal: sNormal, peak: sPeak, monthly: serverlessMonthly, year: serverlessYear },
    storage: {
      stored_gb: storedGb, price_id: storagePrice.id, usd_per_gb_month: storagePrice.usd, monthly: storageMonthly, year: 12 * storageMonthly,
      working: `${fmt(avgDailyGb)} GB a day on average × ${s.retentionDays} days kept = ${fmt(storedGb)} GB × $${fmt(storagePrice.usd)}/GB-month`,
    },
    alwaysOn,
    undersized,
    ops,
    tco: {
      serverless_year: tcoServerless,
      always_on_year: tcoAlwaysOn,
      undersized_year: tcoUndersized,
      savings_year: tcoAlwaysOn - tcoServerless,
      savings_pct: tcoAlwaysOn > 0 ? (tcoAlwaysOn - tcoServerless) / tcoAlwaysOn : 0,
    },
  };
}
