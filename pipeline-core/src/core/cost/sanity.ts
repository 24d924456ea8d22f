import type { CoreResult } from './model.js';
import type { ResolvedScenario } from './scenario.js';
import { fmt } from './work.js';

/**
 * Above this many vCPUs in one run or one cluster, the figure assumes capacity a project does not
 * get without asking: default regional CPU quotas are in the hundreds of vCPUs (GCP
 * https://cloud.google.com/compute/resource-usage, AWS https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html).
 */
export const QUOTA_VCPUS = 2000;
/** More runs a day than this is no longer a nightly batch: each run pays its own start-up. */
export const MAX_BATCH_RUNS_PER_DAY = 24;

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const minutes = (h: number) => `${fmt(Math.round(h * 600) / 10)} min`;

/** Warnings for scenarios where a figure is computed but means little: the reader sees why. */
export function sanityWarnings(r: ResolvedScenario, c: CoreResult): string[] {
  const out: string[] = [];
  const startup = r.serverless.startupMinutes / 60;
  if (r.windowHours <= startup) {
    out.push(`the ${minutes(r.windowHours)} run window is not longer than the ${minutes(startup)} start-up of a serverless run: no serverless run can finish on time (each is priced with the workers that would do its work in ${minutes(r.windowHours)}, finishing late by the start-up); lengthen window_hours or lower serverless.startup_minutes`);
  }
  const peak = c.serverless.peak;
  const runVcpus = (r.serverless.service.driver?.vcpu ?? 0) + peak.worker_vcpus;
  if (runVcpus > QUOTA_VCPUS) {
    out.push(`a ${c.totals.peak_runs > 0 ? 'peak-day ' : ''}serverless run needs ${count(peak.workers)} workers (${count(runVcpus)} vCPU) at once, far beyond a project's default CPU quota (hundreds of vCPUs): the price assumes a quota increase; check the volume (${count(r.dailyGb)} GB a day) and the throughput (${fmt(r.mibPerVcpuSecond)} MiB/s per vCPU)`);
  }
  const clusterVcpus = c.alwaysOn.size.nodes * r.alwaysOn.machine.vcpu;
  if (clusterVcpus > QUOTA_VCPUS) {
    out.push(`the always-on cluster needs ${count(c.alwaysOn.size.nodes)} × ${r.alwaysOn.machine.id} (${count(clusterVcpus)} vCPU), beyond a project's default CPU quota: the price assumes a quota increase and a cluster this size being practical`);
  }
  if (c.totals.max_runs_per_day > MAX_BATCH_RUNS_PER_DAY) {
    const every = 24 / c.totals.max_runs_per_day;
    out.push(`${fmt(c.totals.max_runs_per_day)} runs a day (one every ${minutes(every)}) is more than a batch schedule: each serverless run is billed its own ${minutes(startup)} start-up${startup >= every ? ', longer than the gap between runs' : ''}; consider fewer, larger runs or a streaming pipeline`);
  }
  return out;
}
