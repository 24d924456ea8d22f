import { describe, expect, it } from 'vitest';
import { exportPipeline } from '../../../core/export/exportPipeline.js';
import { formatRefusal } from '../../../core/export/refusal.js';
import { CORPUS_GROUPS, constructsOfSpec, exportConstructs } from '../../../core/export/support/constructs.js';
import { syntheticSourceRelation } from '../../../core/export/support/probes.js';
import type { ExportTarget } from '../../../core/export/targets.js';
import { loadSpec } from '../../../core/spec/load.js';
import type { PipelineSpec } from '../../../core/spec/schema.js';
import { generateCorpus, refusingTargets, type CorpusCase } from './corpus.js';

/**
 * The conformance corpus covers every construct the registries list (exportConstructs) on every
 * engine: a construct is either used by a case that engine runs, or refused by that engine in a
 * case that says so. A new stage kind, step option, rule kind, join type, measure, function,
 * operator or castable type pair fails this test until the corpus uses it (or a target refuses it).
 */
const cases = generateCorpus();
const ENGINE_TARGETS: readonly ExportTarget[] = ['duckdb', 'spark', 'beam', 'dbt'];

function specOf(c: CorpusCase): PipelineSpec {
  const loaded = loadSpec(c.spec);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.spec || errors.length) throw new Error(`${c.name}: ${JSON.stringify(errors)}`);
  return loaded.spec;
}

describe('the conformance corpus', () => {
  it('has specs that load without errors (warnings only where a case means them)', () => {
    for (const c of cases) {
      const loaded = loadSpec(c.spec);
      expect(loaded.diagnostics.filter((d) => d.severity === 'error'), c.name).toEqual([]);
      const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
      expect([...new Set(warnings)], c.name).toEqual(warnings.length ? ["a warn-severity rule with action 'fail' still stops the outputs from being published"] : []);
    }
  });

  it.each(ENGINE_TARGETS)('covers every construct on %s, or that target refuses it in a case that says so', (target) => {
    const covered = new Set<string>();
    const refused = new Set<string>();
    for (const c of cases) {
      if (refusingTargets(c).has(target)) (c.refusals ?? []).filter((r) => r.target === target).forEach((r) => refused.add(r.construct));
      else constructsOfSpec(specOf(c)).forEach((id) => covered.add(id));
    }
    const missing = exportConstructs()
      .filter((k) => CORPUS_GROUPS.includes(k.group) && !covered.has(k.id) && !refused.has(k.id))
      .map((k) => k.id);
    expect(missing).toEqual([]);
  });

  it('declares exactly the refusals each target gives (airflow refuses whenever spark does)', () => {
    for (const c of cases) {
      const spec = specOf(c);
      const result = exportPipeline({ spec, specText: c.spec, toolVersion: 'test' }, { target: 'all', duckdbSources: syntheticSourceRelation(spec) });
      const refusing = refusingTargets(c);
      for (const target of ['duckdb', 'spark', 'beam', 'dbt', 'airflow'] as const) {
        const got = result.refusals.filter((r) => r.target === target).map(formatRefusal);
        const want = (c.refusals ?? []).filter((r) => r.target === target).map((r) => r.message);
        expect(result.written.includes(target), `${c.name}: ${target} written`).toBe(!refusing.has(target));
        if (target === 'airflow') {
          expect(got.every((g) => g.includes('the spark export is refused')), `${c.name}: ${got.join('\n')}`).toBe(true);
          continue;
        }
        expect(got.length, `${c.name} on ${target}: ${got.join('\n')}`).toBe(want.length);
        for (const w of want) expect(got.some((g) => g.includes(w)), `${c.name} on ${target}: '${w}' in\n${got.join('\n')}`).toBe(true);
      }
    }
  });

  it('is seeded: the same seed gives the same files, another seed other bulk rows', () => {
    const files = (seed?: number) => JSON.stringify(generateCorpus(seed).map((c) => c.days.map((d) => d.files)));
    expect(files()).toBe(files());
    expect(files(7)).not.toBe(files());
  });
});
