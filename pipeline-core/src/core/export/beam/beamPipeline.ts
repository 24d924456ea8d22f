import type { ExportContext } from '../exportFile.js';
import { exportParams, RUN_DATE } from '../layout.js';
import { stageInputs } from '../../stages/registry.js';
import { pyLiteral } from '../python/pyLiteral.js';
import type { BeamPlan } from './beamPlan.js';

/** PLAN: what the launcher and the writes need besides the stage code (parameters, sources, reject schemas). */
function planData(ctx: ExportContext, plan: BeamPlan) {
  const spec = ctx.spec;
  return {
    pipeline: spec.name,
    params: exportParams(spec, ctx.params).map((p) => ({ name: p.name, type: p.type, default: p.value ?? null })),
    sources: Object.fromEntries(Object.entries(spec.sources).map(([name, s]) => [name, { format: s.format, path: s.path, options: s.options ?? {} }])),
    stages: plan.stages.map(({ stage }) => ({ name: stage.name, kind: stage.kind })),
    schemas: Object.fromEntries(
      plan.stages.filter(({ stage }) => ['ingest', 'cleanse', 'validate'].includes(stage.kind)).map(({ stage, schema }) => [stage.name, schema.map((c) => [c.name, c.type])]),
    ),
  };
}

export function runDateOf(ctx: ExportContext): string {
  return exportParams(ctx.spec, ctx.params).find((p) => p.name === RUN_DATE)?.value ?? 'YYYY-MM-DD';
}

const indent = (text: string) => text.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');

/** pipeline.py: the stages as readable Beam code over the runtime, parameters as pipeline options. */
export function beamPipelinePy(ctx: ExportContext, plan: BeamPlan): string {
  const runDate = runDateOf(ctx);
  const stages = plan.stages.map(({ stage, compiled }) => {
    const from = [...new Set(stageInputs(stage))];
    const title = `# ── ${stage.name}: ${stage.kind}${from.length ? ` ← ${from.join(', ')}` : stage.kind === 'ingest' ? ` ← source ${stage.source}` : ''} `;
    const about = stage.description ? `\n# ${stage.description.replace(/\s+/g, ' ').trim()}` : '';
    return indent(`${title.padEnd(96, '─')}${about}\n${compiled.code}`);
  });
  return `#!/usr/bin/env python3
"""${ctx.spec.name}: Apache Beam pipeline exported by Batchbook ${ctx.toolVersion}. Generated: edit pipeline.yaml, not this file.

Locally, on the DirectRunner:
    python pipeline.py --input_root ../data --output_root ./out --run_date ${runDate}
On Dataflow (see README.md for the options):
    python pipeline.py --runner=DataflowRunner --project=PROJECT --region=REGION --temp_location=gs://BUCKET/tmp \\
        --setup_file=./setup.py --input_root=gs://BUCKET/inbox --output_root=gs://BUCKET/lake --run_date=${runDate}

Exit status: 0 ok, 3 an error-severity rule failed, 1 runtime error, 2 bad arguments.
The semantics live in bb_runtime.py (values, expressions, steps, rules) and bb_beam.py (transforms).
"""
import sys

import bb_beam
import bb_runtime as bb

PLAN = ${pyLiteral(planData(ctx, plan))}


def build(run):
    """Adds every stage to the pipeline, in the spec's order; run.finish() adds the writes."""
    P = run.params  # noqa: F841 (parameter values, typed: expressions read P["name"])

${stages.join('\n\n')}


def main(argv=None):
    return bb_beam.main(sys.argv[1:] if argv is None else argv, PLAN, build)


if __name__ == '__main__':
    sys.exit(main())
`;
}

/** pipeline_streaming.py: the same stages, sources from Pub/Sub in fixed windows (Dataflow streaming). */
export function beamStreamingPy(ctx: ExportContext): string {
  return `#!/usr/bin/env python3
"""${ctx.spec.name}: streaming variant of pipeline.py (exported by Batchbook ${ctx.toolVersion}).

The same stages as pipeline.py; each source given with --subscription is read from Pub/Sub
(one record per message) and put in fixed windows of --window_seconds; grouping stages
(dedupe, join, aggregate, unique / relationship rules, table rules) then work per window and
outputs, rejects and rule results are written per window. See README.md, "Streaming".

    python pipeline_streaming.py --runner=DataflowRunner --streaming --project=PROJECT --region=REGION \\
        --temp_location=gs://BUCKET/tmp --setup_file=./setup.py --window_seconds=3600 \\
${Object.keys(ctx.spec.sources).filter((s) => ctx.spec.sources[s]?.format !== 'parquet').map((s) => `        --subscription=${s}=projects/PROJECT/subscriptions/${s} \\`).join('\n')}
        --input_root=gs://BUCKET/inbox --output_root=gs://BUCKET/stream --run_date=${runDateOf(ctx)}
"""
import sys

import bb_beam
from pipeline import PLAN, build


def main(argv=None):
    return bb_beam.main(sys.argv[1:] if argv is None else argv, PLAN, build, streaming=True)


if __name__ == '__main__':
    sys.exit(main())
`;
}
