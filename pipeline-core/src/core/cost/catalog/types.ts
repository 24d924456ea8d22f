/**
 * The pricing catalog's shape. One file per provider (gcp.ts, aws.ts) holds versioned, dated
 * list prices and the billing rules of each service; a project may override any price in
 * `cost.prices.yaml` (see docs/cost-model.md).
 */

export type Provider = 'gcp' | 'aws';

/** What one price is charged per. */
export type PriceUnit =
  | 'vCPU-hour'
  | 'GB-hour'
  | 'DCU-hour'
  | 'DPU-hour'
  | 'instance-hour'
  /** data processed once (e.g. Dataflow Shuffle) */
  | 'GB'
  /** data kept for a month (storage, shuffle storage), prorated by the second */
  | 'GB-month';

/** How usage is metered: rounded up to `granularity_seconds`, never less than `minimum_seconds`. */
export interface Billing {
  readonly granularity_seconds: number;
  readonly minimum_seconds: number;
  readonly note?: string;
}

/**
 * How the price was read. `page`: checked on `read_on` against a stored copy of the public page
 * (the copy itself may be older). `recalled`: the published list price as known on `read_on`,
 * not re-read from the page that day (no web access where the catalog was written) — check
 * the source before relying on it. `override`: set by the project in cost.prices.yaml.
 */
export type PriceBasis = 'page' | 'recalled' | 'override';

export interface Price {
  /** Stable id used by overrides, e.g. `gcp.dataproc_serverless.dcu_standard`. */
  readonly id: string;
  readonly provider: Provider;
  readonly service: string;
  /** The SKU in the provider's words. */
  readonly sku: string;
  readonly unit: PriceUnit;
  /** USD per unit. */
  readonly usd: number;
  readonly region: string;
  readonly billing: Billing;
  readonly source: string;
  /** ISO date the price was read. */
  readonly read_on: string;
  readonly basis: PriceBasis;
  readonly note?: string;
}

/** Sustained-use discount: the month split in equal shares, each billed at an incremental rate. */
export interface SustainedUseTiers {
  /** Fractions of the on-demand price, e.g. [1, 0.8678, 0.733, 0.6] for N2 (20 % at a full month). */
  readonly incremental_rates: readonly number[];
  readonly source: string;
  readonly read_on: string;
  readonly basis: PriceBasis;
}

/** The size of one driver / worker / VM. */
export interface NodeShape {
  readonly vcpu: number;
  readonly memory_gb: number;
}

/** Which metered quantity of a run a price applies to. */
export type ServerlessMeter = 'vcpu_hours' | 'gb_hours' | 'dcu_hours' | 'dpu_hours' | 'shuffle_gb' | 'shuffle_gb_months';

export interface ServerlessService {
  readonly id: string;
  readonly kind: 'serverless';
  readonly provider: Provider;
  readonly label: string;
  readonly engine: 'Spark' | 'Beam';
  /** Billed for the whole run besides the workers (Spark driver); absent for Dataflow. */
  readonly driver?: NodeShape;
  readonly worker: NodeShape;
  /** The fewest workers a run gets (Dataproc Serverless: 2 executors; Glue: 2 DPUs incl. driver). */
  readonly min_workers: number;
  /** Billing units per node where the service bills in its own unit (DCU, DPU). */
  readonly units_per_driver?: number;
  readonly units_per_worker?: number;
  /** How the unit count of a node is derived, in words (shown in the report's working). */
  readonly unit_formula?: string;
  readonly meters: readonly { readonly meter: ServerlessMeter; readonly price: string }[];
  /** Per-job volume tiers of the `shuffle_gb` price: the first `gb` of each tier at `share` of it (null: the rest). */
  readonly shuffle_tiers?: { readonly tiers: readonly { readonly gb: number | null; readonly share: number }[]; readonly source: string; readonly basis: PriceBasis };
  readonly source: string;
}

export type AlwaysOnPlan = 'on_demand' | 'sustained_use' | 'commit_1y' | 'commit_3y';

/** One price line of a VM: per vCPU, per GB of memory, or per instance. */
export interface MachinePriceLine {
  readonly per: 'vcpu' | 'gb' | 'instance';
  readonly price: string;
}

export interface MachineType extends NodeShape {
  readonly id: string;
  /** Price lines per plan; a plan missing here is not offered for this machine. */
  readonly plans: Partial<Record<Exclude<AlwaysOnPlan, 'sustained_use'>, readonly MachinePriceLine[]>>;
  /** Whether the provider's sustained-use discount applies to on-demand use. */
  readonly sustained_use: boolean;
}

export interface AlwaysOnService {
  readonly id: string;
  readonly kind: 'always_on';
  readonly provider: Provider;
  readonly label: string;
  readonly machines: readonly MachineType[];
  /** A per-vCPU-hour management fee on top of the VMs (Dataproc on Compute Engine). */
  readonly fee_per_vcpu_hour?: string;
  /** Each node's boot / data disk, billed per GB-month for as long as the cluster exists. */
  readonly disk: { readonly price: string; readonly gb_per_node: number; readonly note: string };
  /** Nodes that coordinate but do not process (the cluster's master), same machine type. */
  readonly master_nodes: number;
  readonly min_workers: number;
  readonly source: string;
}

export interface ProviderCatalog {
  readonly provider: Provider;
  /** The catalog's version: the date its prices were last read. */
  readonly version: string;
  readonly currency: 'USD';
  /** The region the list prices below are for. */
  readonly region: string;
  readonly prices: readonly Price[];
  readonly serverless: readonly ServerlessService[];
  readonly always_on: readonly AlwaysOnService[];
  /** Object storage for the lake (raw, curated), the same whichever way it is processed. */
  readonly storage_price: string;
  readonly sustained_use?: SustainedUseTiers;
}
