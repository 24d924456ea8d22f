import type { Billing, Price, ProviderCatalog, ServerlessService } from './types.js';

// Google Cloud list prices, us-central1, USD. Read 2026-11-26; see `basis` on each price for
// how (types.ts). Per-second billing with a one-minute minimum is the documented rule for
// Serverless for Apache Spark (formerly Dataproc Serverless), Dataproc and Compute Engine; Dataflow bills per second per job.

const READ_ON = '2026-11-26';
const REGION = 'us-central1';
const PER_SECOND_MIN_MINUTE: Billing = { granularity_seconds: 1, minimum_seconds: 60 };
const PER_SECOND: Billing = { granularity_seconds: 1, minimum_seconds: 0, note: 'billed per second, per job' };
const MONTHLY_PRORATED: Billing = { granularity_seconds: 1, minimum_seconds: 0, note: 'monthly rate, prorated' };

const DATAFLOW = 'https://cloud.google.com/dataflow/pricing';
const SERVERLESS = 'https://cloud.google.com/dataproc-serverless/pricing';
const DATAPROC = 'https://cloud.google.com/dataproc/pricing';
const COMPUTE = 'https://cloud.google.com/compute/vm-instance-pricing';
const SUD = 'https://cloud.google.com/compute/docs/sustained-use-discounts';
const STORAGE = 'https://cloud.google.com/storage/pricing';
const DISK = 'https://cloud.google.com/compute/disks-image-pricing';

function price(p: Omit<Price, 'provider' | 'region' | 'read_on'>): Price {
  return { provider: 'gcp', region: REGION, read_on: READ_ON, ...p };
}

/**
 * Dataproc Serverless DCUs of one node: 0.6 per vCPU, 0.1 per GB of memory up to 8 GB per vCPU,
 * 0.2 per GB above that (stated on the pricing page).
 */
export function dataprocDcus(vcpu: number, memoryGb: number): number {
  const low = Math.min(memoryGb, 8 * vcpu);
  return 0.6 * vcpu + 0.1 * low + 0.2 * (memoryGb - low);
}

const SPARK_NODE = { vcpu: 4, memory_gb: 16 };

export const GCP_CATALOG: ProviderCatalog = {
  provider: 'gcp',
  version: READ_ON,
  currency: 'USD',
  region: REGION,
  prices: [
    price({ id: 'gcp.dataflow.batch_vcpu', service: 'Dataflow', sku: 'Batch worker vCPU', unit: 'vCPU-hour', usd: 0.056, billing: PER_SECOND, source: DATAFLOW, basis: 'recalled' }),
    price({ id: 'gcp.dataflow.batch_memory', service: 'Dataflow', sku: 'Batch worker memory', unit: 'GB-hour', usd: 0.003557, billing: PER_SECOND, source: DATAFLOW, basis: 'recalled' }),
    price({ id: 'gcp.dataflow.flexrs_vcpu', service: 'Dataflow', sku: 'FlexRS worker vCPU (40 % below batch; start may be delayed up to 6 h)', unit: 'vCPU-hour', usd: 0.0336, billing: PER_SECOND, source: DATAFLOW, basis: 'recalled' }),
    price({ id: 'gcp.dataflow.flexrs_memory', service: 'Dataflow', sku: 'FlexRS worker memory', unit: 'GB-hour', usd: 0.0021342, billing: PER_SECOND, source: DATAFLOW, basis: 'recalled' }),
    price({ id: 'gcp.dataflow.shuffle', service: 'Dataflow', sku: 'Dataflow Shuffle data processed (batch)', unit: 'GB', usd: 0.011, billing: PER_SECOND, source: DATAFLOW, basis: 'recalled', note: 'list rate; per job the first 250 GB are billed at 25 % and the next 4,870 GB at 50 % of it (volume adjustment)' }),
    price({ id: 'gcp.dataproc_serverless.dcu_standard', service: 'Google Cloud Serverless for Apache Spark', sku: 'Data Compute Unit (Standard)', unit: 'DCU-hour', usd: 0.06, billing: PER_SECOND_MIN_MINUTE, source: SERVERLESS, basis: 'page' }),
    price({ id: 'gcp.dataproc_serverless.dcu_premium', service: 'Google Cloud Serverless for Apache Spark', sku: 'Data Compute Unit (Premium)', unit: 'DCU-hour', usd: 0.089, billing: PER_SECOND_MIN_MINUTE, source: SERVERLESS, basis: 'page' }),
    price({ id: 'gcp.dataproc_serverless.shuffle_standard', service: 'Google Cloud Serverless for Apache Spark', sku: 'Shuffle storage (Standard)', unit: 'GB-month', usd: 0.04, billing: PER_SECOND_MIN_MINUTE, source: SERVERLESS, basis: 'recalled' }),
    price({ id: 'gcp.dataproc_serverless.shuffle_premium', service: 'Google Cloud Serverless for Apache Spark', sku: 'Shuffle storage (Premium)', unit: 'GB-month', usd: 0.1, billing: { granularity_seconds: 1, minimum_seconds: 300 }, source: SERVERLESS, basis: 'recalled' }),
    price({ id: 'gcp.dataproc.vcpu_fee', service: 'Dataproc on Compute Engine', sku: 'Dataproc fee per cluster vCPU', unit: 'vCPU-hour', usd: 0.01, billing: PER_SECOND_MIN_MINUTE, source: DATAPROC, basis: 'page', note: 'on top of the Compute Engine VMs' }),
    price({ id: 'gcp.compute.n2_vcpu', service: 'Compute Engine', sku: 'N2 predefined vCPU (on-demand)', unit: 'vCPU-hour', usd: 0.031611, billing: PER_SECOND_MIN_MINUTE, source: COMPUTE, basis: 'recalled' }),
    price({ id: 'gcp.compute.n2_memory', service: 'Compute Engine', sku: 'N2 predefined memory (on-demand)', unit: 'GB-hour', usd: 0.004237, billing: PER_SECOND_MIN_MINUTE, source: COMPUTE, basis: 'recalled' }),
    price({ id: 'gcp.compute.n2_vcpu_commit_1y', service: 'Compute Engine', sku: 'N2 vCPU, 1-year resource commitment', unit: 'vCPU-hour', usd: 0.019915, billing: { granularity_seconds: 3600, minimum_seconds: 0, note: 'committed: billed every hour of the term, used or not' }, source: COMPUTE, basis: 'recalled' }),
    price({ id: 'gcp.compute.n2_memory_commit_1y', service: 'Compute Engine', sku: 'N2 memory, 1-year resource commitment', unit: 'GB-hour', usd: 0.002669, billing: { granularity_seconds: 3600, minimum_seconds: 0, note: 'committed: billed every hour of the term, used or not' }, source: COMPUTE, basis: 'recalled' }),
    price({ id: 'gcp.compute.n2_vcpu_commit_3y', service: 'Compute Engine', sku: 'N2 vCPU, 3-year resource commitment', unit: 'vCPU-hour', usd: 0.014225, billing: { granularity_seconds: 3600, minimum_seconds: 0, note: 'committed: billed every hour of the term, used or not' }, source: COMPUTE, basis: 'recalled' }),
    price({ id: 'gcp.compute.n2_memory_commit_3y', service: 'Compute Engine', sku: 'N2 memory, 3-year resource commitment', unit: 'GB-hour', usd: 0.001907, billing: { granularity_seconds: 3600, minimum_seconds: 0, note: 'committed: billed every hour of the term, used or not' }, source: COMPUTE, basis: 'recalled' }),
    price({ id: 'gcp.compute.pd_standard', service: 'Compute Engine', sku: 'Standard persistent disk', unit: 'GB-month', usd: 0.04, billing: MONTHLY_PRORATED, source: DISK, basis: 'recalled' }),
    price({ id: 'gcp.storage.standard', service: 'Cloud Storage', sku: 'Standard storage, regional', unit: 'GB-month', usd: 0.02, billing: MONTHLY_PRORATED, source: STORAGE, basis: 'recalled' }),
  ],
  serverless: [
    dataprocServerless('dataproc_serverless', 'Google Cloud Serverless for Apache Spark (standard)', 'standard'),
    dataprocServerless('dataproc_serverless_premium', 'Google Cloud Serverless for Apache Spark (premium)', 'premium'),
    dataflow('dataflow', 'Dataflow (batch)', 'batch'),
    dataflow('dataflow_flexrs', 'Dataflow FlexRS (batch, delayed start)', 'flexrs'),
  ],
  always_on: [
    {
      id: 'dataproc_gce', kind: 'always_on', provider: 'gcp', label: 'Dataproc cluster on Compute Engine',
      fee_per_vcpu_hour: 'gcp.dataproc.vcpu_fee', master_nodes: 1, min_workers: 2, source: DATAPROC,
      disk: { price: 'gcp.compute.pd_standard', gb_per_node: 500, note: "Dataproc's default 500 GB boot disk per node" },
      machines: n2Machines(),
    },
    {
      id: 'gce', kind: 'always_on', provider: 'gcp', label: 'Self-managed Spark on Compute Engine VMs',
      master_nodes: 1, min_workers: 2, source: COMPUTE,
      disk: { price: 'gcp.compute.pd_standard', gb_per_node: 200, note: '200 GB standard disk per node (OS, Spark, shuffle spill)' },
      machines: n2Machines(),
    },
  ],
  storage_price: 'gcp.storage.standard',
  sustained_use: { incremental_rates: [1, 0.8678, 0.733, 0.6], source: SUD, read_on: READ_ON, basis: 'recalled' },
};

function dataprocServerless(id: string, label: string, tier: 'standard' | 'premium'): ServerlessService {
  return {
    id, kind: 'serverless', provider: 'gcp', label, engine: 'Spark',
    driver: SPARK_NODE, worker: SPARK_NODE, min_workers: 2,
    units_per_driver: dataprocDcus(4, 16), units_per_worker: dataprocDcus(4, 16),
    unit_formula: 'DCUs per node = 0.6 × vCPU + 0.1 × GB (up to 8 GB per vCPU) + 0.2 × GB above: 4 vCPU, 16 GB = 4 DCU',
    meters: [
      { meter: 'dcu_hours', price: `gcp.dataproc_serverless.dcu_${tier}` },
      { meter: 'shuffle_gb_months', price: `gcp.dataproc_serverless.shuffle_${tier}` },
    ],
    source: SERVERLESS,
  };
}

function dataflow(id: string, label: string, rate: 'batch' | 'flexrs'): ServerlessService {
  return {
    id, kind: 'serverless', provider: 'gcp', label, engine: 'Beam',
    worker: { vcpu: 4, memory_gb: 15 }, min_workers: 1,
    meters: [
      { meter: 'vcpu_hours', price: `gcp.dataflow.${rate}_vcpu` },
      { meter: 'gb_hours', price: `gcp.dataflow.${rate}_memory` },
      { meter: 'shuffle_gb', price: 'gcp.dataflow.shuffle' },
    ],
    // Dataflow Shuffle's volume adjustment for batch, per job: the first 250 GB 75 % off, the next 4,870 GB 50 % off, the rest at the list rate.
    shuffle_tiers: { tiers: [{ gb: 250, share: 0.25 }, { gb: 4870, share: 0.5 }, { gb: null, share: 1 }], source: DATAFLOW, basis: 'recalled' },
    source: DATAFLOW,
  };
}

function n2Machines(): ProviderCatalog['always_on'][number]['machines'] {
  return [4, 8, 16, 32].map((vcpu) => ({
    id: `n2-standard-${vcpu}`,
    vcpu,
    memory_gb: 4 * vcpu,
    sustained_use: true,
    plans: {
      on_demand: [{ per: 'vcpu', price: 'gcp.compute.n2_vcpu' }, { per: 'gb', price: 'gcp.compute.n2_memory' }],
      commit_1y: [{ per: 'vcpu', price: 'gcp.compute.n2_vcpu_commit_1y' }, { per: 'gb', price: 'gcp.compute.n2_memory_commit_1y' }],
      commit_3y: [{ per: 'vcpu', price: 'gcp.compute.n2_vcpu_commit_3y' }, { per: 'gb', price: 'gcp.compute.n2_memory_commit_3y' }],
    },
  }));
}
