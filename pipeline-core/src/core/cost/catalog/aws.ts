import type { Billing, Price, ProviderCatalog, ServerlessService } from './types.js';

// AWS list prices, us-east-1 (N. Virginia), USD. Read 2026-11-26; see `basis` on each price
// (types.ts). Glue and EMR Serverless bill per second with a one-minute minimum; EC2 Linux
// on-demand bills per second with a one-minute minimum.

const READ_ON = '2026-11-26';
const REGION = 'us-east-1';
const PER_SECOND_MIN_MINUTE: Billing = { granularity_seconds: 1, minimum_seconds: 60 };
const MONTHLY_PRORATED: Billing = { granularity_seconds: 1, minimum_seconds: 0, note: 'monthly rate, prorated' };

const GLUE = 'https://aws.amazon.com/glue/pricing/';
const EMR = 'https://aws.amazon.com/emr/pricing/';
const EC2 = 'https://aws.amazon.com/ec2/pricing/on-demand/';
const S3 = 'https://aws.amazon.com/s3/pricing/';
const EBS = 'https://aws.amazon.com/ebs/pricing/';

function price(p: Omit<Price, 'provider' | 'region' | 'read_on'>): Price {
  return { provider: 'aws', region: REGION, read_on: READ_ON, ...p };
}

const SPARK_NODE = { vcpu: 4, memory_gb: 16 };

export const AWS_CATALOG: ProviderCatalog = {
  provider: 'aws',
  version: READ_ON,
  currency: 'USD',
  region: REGION,
  prices: [
    price({ id: 'aws.glue.dpu', service: 'AWS Glue', sku: 'Spark ETL job, DPU (standard execution)', unit: 'DPU-hour', usd: 0.44, billing: PER_SECOND_MIN_MINUTE, source: GLUE, basis: 'page' }),
    price({ id: 'aws.glue.flex_dpu', service: 'AWS Glue', sku: 'Spark ETL job, DPU (Flex execution: spare capacity, start may wait)', unit: 'DPU-hour', usd: 0.29, billing: PER_SECOND_MIN_MINUTE, source: GLUE, basis: 'recalled' }),
    price({ id: 'aws.emr_serverless.vcpu', service: 'Amazon EMR Serverless', sku: 'vCPU (x86)', unit: 'vCPU-hour', usd: 0.052624, billing: PER_SECOND_MIN_MINUTE, source: EMR, basis: 'recalled' }),
    price({ id: 'aws.emr_serverless.memory', service: 'Amazon EMR Serverless', sku: 'Memory (x86)', unit: 'GB-hour', usd: 0.0057785, billing: PER_SECOND_MIN_MINUTE, source: EMR, basis: 'recalled' }),
    price({ id: 'aws.ec2.m6i_2xlarge', service: 'Amazon EC2', sku: 'm6i.2xlarge Linux on-demand (8 vCPU, 32 GiB)', unit: 'instance-hour', usd: 0.384, billing: PER_SECOND_MIN_MINUTE, source: EC2, basis: 'recalled' }),
    price({ id: 'aws.ec2.m6i_4xlarge', service: 'Amazon EC2', sku: 'm6i.4xlarge Linux on-demand (16 vCPU, 64 GiB)', unit: 'instance-hour', usd: 0.768, billing: PER_SECOND_MIN_MINUTE, source: EC2, basis: 'recalled' }),
    price({ id: 'aws.ec2.m6i_8xlarge', service: 'Amazon EC2', sku: 'm6i.8xlarge Linux on-demand (32 vCPU, 128 GiB)', unit: 'instance-hour', usd: 1.536, billing: PER_SECOND_MIN_MINUTE, source: EC2, basis: 'recalled' }),
    price({ id: 'aws.ebs.gp3', service: 'Amazon EBS', sku: 'gp3 volume storage', unit: 'GB-month', usd: 0.08, billing: MONTHLY_PRORATED, source: EBS, basis: 'recalled' }),
    price({ id: 'aws.s3.standard', service: 'Amazon S3', sku: 'S3 Standard, first 50 TB / month', unit: 'GB-month', usd: 0.023, billing: MONTHLY_PRORATED, source: S3, basis: 'recalled' }),
  ],
  serverless: [
    glue('glue', 'AWS Glue (Spark, standard)', 'aws.glue.dpu'),
    glue('glue_flex', 'AWS Glue Flex (Spark, spare capacity)', 'aws.glue.flex_dpu'),
    {
      id: 'emr_serverless', kind: 'serverless', provider: 'aws', label: 'Amazon EMR Serverless (Spark)', engine: 'Spark',
      driver: SPARK_NODE, worker: SPARK_NODE, min_workers: 1,
      meters: [
        { meter: 'vcpu_hours', price: 'aws.emr_serverless.vcpu' },
        { meter: 'gb_hours', price: 'aws.emr_serverless.memory' },
      ],
      source: EMR,
    },
  ],
  always_on: [
    {
      id: 'ec2', kind: 'always_on', provider: 'aws', label: 'Self-managed Spark on EC2 (m6i)',
      master_nodes: 1, min_workers: 2, source: EC2,
      disk: { price: 'aws.ebs.gp3', gb_per_node: 200, note: '200 GB gp3 volume per node (OS, Spark, shuffle spill)' },
      machines: [
        { id: 'm6i.2xlarge', vcpu: 8, memory_gb: 32, sustained_use: false, plans: { on_demand: [{ per: 'instance', price: 'aws.ec2.m6i_2xlarge' }] } },
        { id: 'm6i.4xlarge', vcpu: 16, memory_gb: 64, sustained_use: false, plans: { on_demand: [{ per: 'instance', price: 'aws.ec2.m6i_4xlarge' }] } },
        { id: 'm6i.8xlarge', vcpu: 32, memory_gb: 128, sustained_use: false, plans: { on_demand: [{ per: 'instance', price: 'aws.ec2.m6i_8xlarge' }] } },
      ],
    },
  ],
  storage_price: 'aws.s3.standard',
};

function glue(id: string, label: string, price: string): ServerlessService {
  return {
    id, kind: 'serverless', provider: 'aws', label, engine: 'Spark',
    driver: SPARK_NODE, worker: SPARK_NODE, min_workers: 1,
    units_per_driver: 1, units_per_worker: 1,
    unit_formula: "G.1X worker = 1 DPU = 4 vCPU + 16 GB; the driver runs on one of the job's workers (2 DPU minimum)",
    meters: [{ meter: 'dpu_hours', price }],
    source: GLUE,
  };
}
