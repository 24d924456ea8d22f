import { didYouMean } from '../../spec/diagnostics.js';
import type { PriceOverrides } from '../scenarioSchema.js';
import { AWS_CATALOG } from './aws.js';
import { GCP_CATALOG } from './gcp.js';
import type { Price, Provider, ProviderCatalog } from './types.js';

export const CATALOGS: Readonly<Record<Provider, ProviderCatalog>> = { gcp: GCP_CATALOG, aws: AWS_CATALOG };

export class PriceError extends Error {}

/** A price as used by one estimate: the catalog's, or the project's override (the list price kept beside it). */
export interface BookPrice extends Price {
  readonly list_usd?: number;
}

export interface PriceBook {
  readonly catalog: ProviderCatalog;
  get(id: string): BookPrice;
  /** Every price of the catalog with overrides applied. */
  readonly all: readonly BookPrice[];
}

/** Every price id of every catalog. */
export function allPriceIds(): string[] {
  return Object.values(CATALOGS).flatMap((c) => c.prices.map((p) => p.id));
}

/**
 * The prices one estimate uses: the provider's catalog with the project's overrides applied.
 * An override naming an unknown price is an error (with the closest id), not silently ignored.
 */
export function priceBook(provider: Provider, overrides: PriceOverrides = {}): PriceBook {
  const catalog = CATALOGS[provider];
  const known = allPriceIds();
  for (const id of Object.keys(overrides)) {
    if (!known.includes(id)) {
      const hint = didYouMean(id, known);
      throw new PriceError(`cost.prices.yaml: no price '${id}' in the catalog${hint ? `; ${hint}` : ''}`);
    }
    const other = otherProviderMessage(id, provider);
    if (other) throw new PriceError(`cost.prices.yaml: ${other}`);
  }
  const all: BookPrice[] = catalog.prices.map((p) => {
    const o = overrides[p.id];
    if (o === undefined) return p;
    const v = typeof o === 'number' ? { usd: o } : o;
    return {
      ...p,
      usd: v.usd,
      list_usd: p.usd,
      basis: 'override',
      source: v.source ?? 'cost.prices.yaml',
      read_on: v.read_on ?? p.read_on,
      ...(v.note ? { note: v.note } : {}),
    };
  });
  const byId = new Map(all.map((p) => [p.id, p]));
  return {
    catalog,
    all,
    get(id) {
      const p = byId.get(id);
      if (!p) throw new PriceError(`the ${provider} catalog has no price '${id}'`);
      return p;
    },
  };
}

/** Why an override of another cloud's price is refused (it would be silently unused), or undefined when it is this cloud's. */
export function otherProviderMessage(id: string, provider: Provider): string | undefined {
  if (id.startsWith(`${provider}.`)) return undefined;
  const theirs = id.split('.')[0];
  return `'${id}' is ${theirs === 'aws' ? 'an AWS' : theirs === 'gcp' ? 'a Google Cloud' : `a ${theirs}`} price, but this estimate uses ${provider === 'gcp' ? 'Google Cloud' : 'AWS'} prices (cost.provider: ${provider}): it would change nothing; remove it or set cost.provider: ${theirs}`;
}
