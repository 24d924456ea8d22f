import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { allPriceIds, otherProviderMessage } from '../../core/cost/catalog/priceBook.js';
import type { Provider } from '../../core/cost/catalog/types.js';
import { priceOverridesFileSchema, type PriceOverrides } from '../../core/cost/scenarioSchema.js';
import { didYouMean } from '../../core/spec/diagnostics.js';

/** The project's price overrides: the prices this organisation actually pays. */
export const PRICE_OVERRIDES_FILE = 'cost.prices.yaml';

export class OverridesError extends Error {}

/**
 * Reads `cost.prices.yaml` (or the given file). Absent: no overrides. Present but wrong: an
 * error naming file:line:column, never a stack trace.
 */
export async function readPriceOverrides(projectDir: string, file?: string, provider?: Provider): Promise<{ path?: string; prices: PriceOverrides }> {
  const path = file ?? join(projectDir, PRICE_OVERRIDES_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && file === undefined) return { prices: {} };
    throw new OverridesError(`${path}: ${(e as Error).message}`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lc.linePos(e.pos[0]);
    throw new OverridesError(`${path}:${pos.line}:${pos.col}: YAML syntax: ${e.message.split('\n')[0]}`);
  }
  const parsed = priceOverridesFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number] } | undefined;
    const pos = node?.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
    throw new OverridesError(`${path}:${pos.line}:${pos.col}: ${issue.path.join('.') || '(document)'}: ${issue.message} — expected "prices: { <price id>: <usd> }"`);
  }
  const known = allPriceIds();
  const keyPos = (id: string) => {
    const node = doc.getIn(['prices'], true) as { items?: { key?: { value?: unknown; range?: [number, number] } }[] } | undefined;
    const key = node?.items?.find((i) => i.key?.value === id)?.key;
    return key?.range ? lc.linePos(key.range[0]) : { line: 1, col: 1 };
  };
  for (const id of Object.keys(parsed.data.prices)) {
    if (!known.includes(id)) {
      const pos = keyPos(id);
      const hint = didYouMean(id, known);
      throw new OverridesError(`${path}:${pos.line}:${pos.col}: no price '${id}' in the catalog${hint ? ` — ${hint}` : ''} (batchbook cost --catalog lists them)`);
    }
    const other = provider ? otherProviderMessage(id, provider) : undefined;
    if (other) {
      const pos = keyPos(id);
      throw new OverridesError(`${path}:${pos.line}:${pos.col}: ${other}`);
    }
  }
  return { path, prices: parsed.data.prices };
}
